#!/usr/bin/env node
// npm run bench:threads-node -- [--data ml-100k|ml-1m|<split base path>] [--threads 1,2] [--epochs 3] [--rounds 3] [--apart]
// Trains NeuMF (default settings) on worker_threads as the app's training threads do, alternating the
// thread counts round after round, and prints one JSON line an epoch with the round trip of a value
// between two cores measured right after it (src/bench/threadsInNode.ts says why). With --apart, each
// epoch on N > 1 threads is followed by N separate one-thread models training at once
// (apart_samples_per_s): what the cores give when the model is not shared. Node only, no browser:
// it isolates the engine's scaling from the page's.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { NCF_SPLITS } from './lib/ncfSplits.mjs';
import { bundleForNode } from './lib/nodeBundle.mjs';
import { parseFlags, root } from './lib/ssrModules.mjs';

const args = process.argv.slice(2);
const apart = args.includes('--apart');
const flags = parseFlags(args.filter((arg) => arg !== '--apart'));
const base = resolve(root, NCF_SPLITS[flags.data ?? 'ml-100k'] ?? flags.data);
const threadCounts = (flags.threads ?? '1,2').split(',').map(Number);
const epochs = Number(flags.epochs ?? 3);
const rounds = Number(flags.rounds ?? 3);

const outDir = resolve(root, 'node_modules/.cache/bench-threads-node');
await bundleForNode({ threadsInNode: 'src/bench/threadsInNode.ts' }, outDir);
for (let round = 1; round <= rounds; round++) {
  for (const threads of threadCounts) {
    const run = spawnSync(
      process.execPath,
      [resolve(outDir, 'threadsInNode.mjs'), base, String(threads), String(epochs), ...(apart ? ['apart'] : [])],
      {
        encoding: 'utf8',
      },
    );
    if (run.status !== 0) throw new Error(`threads ${threads}: ${run.stderr}`);
    for (const line of run.stdout.trim().split('\n')) console.log(JSON.stringify({ round, ...JSON.parse(line) }));
  }
}
