#!/usr/bin/env node
// npm run bench:gpu-node -- [--data ml-100k|ml-1m|<split base path>] [--batches 1024,8192] [--epochs 2] [--ms 1500]
// npm run bench:gpu-node -- --pack <folder>
//
// The app's tfjs WebGPU trainer beside the fused CPU trainer on this machine's GPU, in Node through
// Dawn (src/bench/gpuInNode.ts says why not the browser): the adapter, both trainers' samples/s at
// each batch size (WebGPU reading its loss every 16 batches and every batch), what the app's
// automatic choice picks, where a WebGPU step's time goes, then a validation-chosen training run on
// each (2 epochs by default: one WebGPU epoch of ml-100k took ~75 s on an H100, docs/BENCHMARKS.md).
// JSON lines.
//
// --pack writes a folder that runs where only a Node binary is (a lent GPU machine has no npm):
// the bundles (this bench and bench:threads-node) and the `webgpu` package for this platform.
// scripts/gpu-machine/run.sh runs it there.
//
// The `webgpu` package (Dawn for Node, 51 MB for every platform) is fetched from npm on first use
// into node_modules/.cache rather than installed with the app: nothing else needs it.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { NCF_SPLITS } from './lib/ncfSplits.mjs';
import { bundleForNode } from './lib/nodeBundle.mjs';
import { parseFlags, root } from './lib/ssrModules.mjs';

const WEBGPU_PACKAGE = 'webgpu@0.6.2';
const flags = parseFlags(process.argv.slice(2));
const outDir = resolve(root, 'node_modules/.cache/bench-gpu-node');
const cacheDir = resolve(root, 'node_modules/.cache/webgpu-package');
const platformDir = `${process.platform}-${process.platform === 'darwin' ? 'universal' : process.arch}`;

/** The package's loader and this platform's Dawn binary, unpacked once into the cache. */
function fetchWebGpu() {
  const unpacked = resolve(cacheDir, 'package');
  if (!existsSync(resolve(unpacked, 'dist', platformDir, 'dawn.node'))) {
    mkdirSync(cacheDir, { recursive: true });
    const tarball = execFileSync('npm', ['pack', WEBGPU_PACKAGE, '--silent', '--pack-destination', cacheDir], { encoding: 'utf8' }).trim();
    const members = ['package/package.json', 'package/index.js', 'package/LICENSE.md', `package/dist/${platformDir}`];
    execFileSync('tar', ['xzf', resolve(cacheDir, tarball), '-C', cacheDir, ...members]);
    rmSync(resolve(cacheDir, tarball));
  }
  return unpacked;
}

await bundleForNode({ gpuInNode: 'src/bench/gpuInNode.ts', threadsInNode: 'src/bench/threadsInNode.ts' }, outDir, ['webgpu']);
cpSync(fetchWebGpu(), resolve(outDir, 'node_modules/webgpu'), { recursive: true });

if (flags.pack) {
  cpSync(outDir, resolve(flags.pack), { recursive: true });
  console.log(`packed into ${flags.pack}: node ${flags.pack}/gpuInNode.mjs --mode adapter`);
} else {
  const base = resolve(root, NCF_SPLITS[flags.data ?? 'ml-100k'] ?? flags.data);
  const runs = [
    ['--mode', 'adapter'],
    ['--mode', 'speed', '--data', base, '--batches', flags.batches ?? '1024', '--ms', flags.ms ?? '1500'],
    ['--mode', 'steps', '--data', base, '--batches', flags.batches ?? '1024'],
    ...['webgpu', 'fused'].map((backend) => ['--mode', 'train', '--data', base, '--backend', backend, '--epochs', flags.epochs ?? '2']),
  ];
  for (const args of runs) {
    const run = spawnSync(process.execPath, [resolve(outDir, 'gpuInNode.mjs'), ...args], { stdio: ['ignore', 'inherit', 'inherit'] });
    if (run.status !== 0) process.exit(run.status ?? 1);
  }
}
