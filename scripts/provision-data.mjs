#!/usr/bin/env node
// Puts the default data set (MovieLens ml-latest-small) where the built app serves it:
// public/datasets/ml-latest-small/. Source, in order: $MOVIELENS_DIR, ../shared/data/ml-latest-small,
// else a download from GroupLens. Data files are never committed (public/datasets/ is git-ignored).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { unzipSync } from 'fflate';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DATASET = 'ml-latest-small';
const target = join(root, 'public', 'datasets', DATASET);
const DOWNLOAD_URL = `https://files.grouplens.org/datasets/movielens/${DATASET}.zip`;

const FILES = {
  'ratings.csv': { header: 'userId,movieId,rating,timestamp', required: true },
  'movies.csv': { header: 'movieId,title,genres', required: true },
  'links.csv': { header: 'movieId,imdbId,tmdbId', required: false },
};
// Copies whose content is known (the project's shared copy; see ../shared/data/README.md).
const KNOWN_SHA256 = {
  '80da8b3393dae325bbba5a31f291a6ba55d8d4f4396de3c456f2c1635b1b70e8': 'ratings.csv',
  c47b783f23eb304413307e1bb05335e427737da20ec8d3c0e96335567dd5f3dc: 'movies.csv',
  '028a4a1d17751ca9276e0e0718cfc22356350f224a996e1ec348c23274b9209d': 'links.csv',
};

function fail(message) {
  console.error(`data: ${message}`);
  process.exit(1);
}

function findLocalDir() {
  const candidates = [];
  if (process.env.MOVIELENS_DIR) {
    const dir = resolve(process.env.MOVIELENS_DIR);
    candidates.push(dir, join(dir, DATASET));
    const found = candidates.find((d) => existsSync(join(d, 'ratings.csv')));
    if (!found) fail(`MOVIELENS_DIR=${process.env.MOVIELENS_DIR} has no ratings.csv (nor ${DATASET}/ratings.csv).`);
    return { dir: found, how: `from MOVIELENS_DIR (${found})` };
  }
  const shared = resolve(root, '..', 'shared', 'data', DATASET);
  if (existsSync(join(shared, 'ratings.csv'))) return { dir: shared, how: `from ${shared}` };
  return null;
}

async function download() {
  console.log(`data: downloading ${DOWNLOAD_URL} …`);
  let response;
  try {
    response = await fetch(DOWNLOAD_URL);
  } catch (error) {
    fail(`no local copy and the download failed (${error.cause?.code ?? error.message}). Set MOVIELENS_DIR to a folder with ${DATASET}.`);
  }
  if (!response.ok) fail(`download failed: ${response.status} ${response.statusText}`);
  const entries = unzipSync(new Uint8Array(await response.arrayBuffer()));
  const files = {};
  for (const [path, bytes] of Object.entries(entries)) {
    const name = path.split('/').pop();
    if (name in FILES) files[name] = Buffer.from(bytes);
  }
  return { files, how: `downloaded from ${DOWNLOAD_URL}` };
}

function readLocal(dir) {
  const files = {};
  for (const name of Object.keys(FILES)) {
    const path = join(dir, name);
    if (existsSync(path)) files[name] = readFileSync(path);
  }
  return files;
}

function verify(files) {
  const report = [];
  for (const [name, spec] of Object.entries(FILES)) {
    const bytes = files[name];
    if (!bytes) {
      if (spec.required) fail(`${name} is missing from the source.`);
      continue;
    }
    const firstLine = bytes
      .subarray(0, 200)
      .toString('utf8')
      .split(/\r?\n/)[0]
      .replace(/^\uFEFF/, '');
    if (firstLine !== spec.header) fail(`${name} has the wrong columns: expected "${spec.header}", found "${firstLine}".`);
    const sha = createHash('sha256').update(bytes).digest('hex');
    const known = KNOWN_SHA256[sha] === name;
    report.push({ name, bytes: bytes.length, sha256: sha, known });
  }
  return report;
}

const local = findLocalDir();
const { files, how } = local ? { files: readLocal(local.dir), how: local.how } : await download();
const report = verify(files);

const manifestPath = join(root, 'public', 'datasets', 'index.json');
const previous = existsSync(manifestPath) ? JSON.parse(readFileSync(manifestPath, 'utf8')) : null;
const unchanged =
  previous?.datasets?.[0]?.files?.length === report.length &&
  report.every((f, i) => previous.datasets[0].files[i].sha256 === f.sha256 && existsSync(join(target, f.name)));

if (unchanged) {
  console.log(`data: ${DATASET} already in public/datasets/ (checked ${report.map((f) => f.name).join(', ')}).`);
} else {
  mkdirSync(target, { recursive: true });
  for (const f of report) writeFileSync(join(target, f.name), files[f.name]);
  const manifest = {
    datasets: [
      {
        id: DATASET,
        name: 'MovieLens latest-small',
        files: report.map(({ name, bytes, sha256 }) => ({ name, path: `${DATASET}/${name}`, size: bytes, sha256 })),
      },
    ],
  };
  writeFileSync(manifestPath, JSON.stringify(manifest, null, 2) + '\n');
  console.log(`data: ${DATASET} ${how} -> public/datasets/${DATASET}/`);
}
for (const f of report) {
  console.log(
    `  ${f.name.padEnd(12)} ${String(f.bytes).padStart(9)} bytes  sha256 ${f.sha256.slice(0, 16)}…  ${f.known ? 'verified (known copy)' : 'columns checked (copy not in the known list)'}`,
  );
}
