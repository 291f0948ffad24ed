#!/usr/bin/env node
// npm run bench:threads-node -- [--data ml-100k|ml-1m|<split base path>] [--threads 1,2] [--epochs 3] [--rounds 3] [--apart]
// npm run bench:threads-node -- --stage [--data …] [--threads 1,2] [--seeds 2017,1] [--epochs N, default the settings']
// Trains NeuMF (default settings) on worker_threads as the app's training threads do, alternating the
// thread counts round after round, and prints one JSON line an epoch with the round trip of a value
// between two cores measured right after it (src/bench/threadsInNode.ts says why). With --apart, each
// epoch on N > 1 threads is followed by N separate one-thread models training at once
// (apart_samples_per_s): what the cores give when the model is not shared. Node only, no browser:
// it isolates the engine's scaling from the page's.
// With --stage, each seed and thread count trains a whole validation-chosen stage as the app does and
// prints `npm run bench`'s lines (seed and threads on each): quality on N threads where N cores are.
// With one thread among the counts, it then prints issue 12's pairs (src/bench/threadPairs.ts): per seed,
// each other count's speed-up over one thread and its chosen test HR@10s' differences from one thread's,
// then per count how many seeds are within 0.01 on both; last, per count, the means over the seeds of the
// chosen figures (src/bench/seedMeans.ts).
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { NCF_SPLITS } from './lib/ncfSplits.mjs';
import { bundleForNode } from './lib/nodeBundle.mjs';
import { parseFlags, root } from './lib/ssrModules.mjs';

const args = process.argv.slice(2);
const apart = args.includes('--apart');
const stage = args.includes('--stage');
const flags = parseFlags(args.filter((arg) => arg !== '--apart' && arg !== '--stage'));
const base = resolve(root, NCF_SPLITS[flags.data ?? 'ml-100k'] ?? flags.data);
const threadCounts = (flags.threads ?? '1,2').split(',').map(Number);
const epochs = Number(flags.epochs ?? (stage ? 0 : 3));
const rounds = stage ? 1 : Number(flags.rounds ?? 3);
const seeds = stage ? (flags.seeds ?? '2017').split(',') : [];

const outDir = resolve(root, 'node_modules/.cache/bench-threads-node');
await bundleForNode(
  { threadsInNode: 'src/bench/threadsInNode.ts', threadPairs: 'src/bench/threadPairs.ts', seedMeans: 'src/bench/seedMeans.ts' },
  outDir,
);
const { threadPairLines } = await import(resolve(outDir, 'threadPairs.mjs'));
const { seedMeansLines } = await import(resolve(outDir, 'seedMeans.mjs'));
/** Runs the bundle with `args`, prints its lines, each with `extra` first, and returns them. */
function runBundle(args, extra) {
  const run = spawnSync(process.execPath, [resolve(outDir, 'threadsInNode.mjs'), ...args], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`${args.join(' ')}: ${run.stderr}`);
  const lines = run.stdout
    .trim()
    .split('\n')
    .map((line) => ({ ...extra, ...JSON.parse(line) }));
  for (const line of lines) console.log(JSON.stringify(line));
  return lines;
}
const stages = [];
for (const seed of seeds)
  for (const threads of threadCounts) {
    const lines = runBundle([base, String(threads), String(epochs), 'stage', seed], {});
    const summary = lines.find((line) => line.summary);
    stages.push({ seed: Number(seed), threads: summary.threads, epochs: lines.filter((line) => !line.summary), summary });
  }
for (const line of threadPairLines(stages)) console.log(JSON.stringify(line));
if (stage) for (const line of seedMeansLines(stages)) console.log(JSON.stringify(line));
for (let round = 1; round <= rounds && !stage; round++) {
  for (const threads of threadCounts) {
    runBundle([base, String(threads), String(epochs), ...(apart ? ['apart'] : [])], { round });
  }
}
