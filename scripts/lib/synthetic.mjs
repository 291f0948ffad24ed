// Synthetic MovieLens files in the real formats, for the sizes this machine has no copy of:
// ml-latest-small's ratings repeated with shifted user ids and timestamps.
import { createWriteStream, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { root } from './browser.mjs';

const SIZES = { '1m': { copies: 10, format: 'ml-1m' }, '25m': { copies: 248, format: 'csv' } };

function sourceDir() {
  const candidates = [
    process.env.MOVIELENS_DIR,
    join(root, 'public', 'datasets', 'ml-latest-small'),
    resolve(root, '..', 'shared', 'data', 'ml-latest-small'),
  ];
  const dir = candidates.find((d) => d && existsSync(join(d, 'ratings.csv')));
  if (!dir) throw new Error('no ml-latest-small to build synthetic data from: run npm run data first');
  return dir;
}

export async function writeSynthetic(size) {
  const spec = SIZES[size];
  if (!spec) throw new Error(`--synthetic takes ${Object.keys(SIZES).join(' or ')}`);
  const src = sourceDir();
  const out = join(root, '.bench', `synthetic-${size}`);
  mkdirSync(out, { recursive: true });
  const ratingLines = readFileSync(join(src, 'ratings.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(','));
  const maxUser = Math.max(...ratingLines.map((r) => Number(r[0])));
  const names = spec.format === 'ml-1m' ? ['ratings.dat', 'movies.dat'] : ['ratings.csv', 'movies.csv'];
  const ratingsPath = join(out, names[0]);
  const moviesPath = join(out, names[1]);
  const expectedRows = ratingLines.length * spec.copies;
  const marker = join(out, `.rows-${expectedRows}`);
  if (!existsSync(marker) || !existsSync(ratingsPath)) {
    const stream = createWriteStream(ratingsPath, { encoding: spec.format === 'ml-1m' ? 'latin1' : 'utf8' });
    if (spec.format === 'csv') stream.write('userId,movieId,rating,timestamp\n');
    for (let copy = 0; copy < spec.copies; copy++) {
      const lines = [];
      for (const [user, movie, rating, ts] of ratingLines) {
        const u = Number(user) + copy * maxUser;
        const t = Number(ts) + copy;
        lines.push(
          spec.format === 'ml-1m' ? `${u}::${movie}::${Math.max(1, Math.round(Number(rating)))}::${t}` : `${u},${movie},${rating},${t}`,
        );
      }
      if (!stream.write(lines.join('\n') + '\n')) await new Promise((r) => stream.once('drain', r));
    }
    await new Promise((r) => stream.end(r));
    const movies = readFileSync(join(src, 'movies.csv'), 'utf8');
    if (spec.format === 'ml-1m') {
      // movies.csv quotes titles with commas; .dat separates with '::' and writes titles as they are.
      const rows = movies
        .trim()
        .split('\n')
        .slice(1)
        .map((line) => {
          const m = /^(\d+),("(?:[^"]|"")*"|[^,]*),(.*)$/.exec(line.trim());
          const title = m[2].startsWith('"') ? m[2].slice(1, -1).replace(/""/g, '"') : m[2];
          return `${m[1]}::${title}::${m[3]}`;
        });
      writeFileSync(moviesPath, rows.join('\n') + '\n', 'latin1');
    } else {
      writeFileSync(moviesPath, movies);
    }
    writeFileSync(marker, '');
  }
  console.error(
    `synthetic ${size}: ${expectedRows.toLocaleString('en')} rows, ${(statSync(ratingsPath).size / 1e6).toFixed(0)} MB in ${out}`,
  );
  return [ratingsPath, moviesPath];
}
