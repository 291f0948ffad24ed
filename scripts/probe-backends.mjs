#!/usr/bin/env node
/**
 * Trains NeuMF in a Worker in headless Chromium on each training backend (through the same
 * `createTrainer` the app uses) and prints samples/s per batch size, scoring pairs/s, the loss
 * on planted data and the tfjs tensor counts (which must not grow).
 *
 *   node scripts/probe-backends.mjs [--backends auto,fused,webgpu,webgpu-async,webgl,wasm,cpu] [--batches 256,4096]
 *     [--ms 2000] [--users 6040] [--items 3706] [--flags NAME=value,...] [--build] [--json out.json]
 *
 * --build probes the production build (vite build + preview) instead of the dev server.
 * --pack DIR only builds it, into DIR, for a machine without npm (scripts/gpu-machine/browser_bench.py serves it there).
 * WebGPU needs --enable-unsafe-webgpu in headless Chromium; it is passed.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, createServer, preview } from 'vite';
import { launchChromium } from './lib/browser.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => {
    if (arg.startsWith('--')) pairs.push([arg.slice(2), all[i + 1]?.startsWith('--') || all[i + 1] === undefined ? 'true' : all[i + 1]]);
    return pairs;
  }, []),
);
const backends = (args.backends ?? 'auto,fused,webgpu,webgpu-async,webgl,wasm,cpu').split(',');
const batchSizes = (args.batches ?? '256,4096').split(',').map(Number);
const milliseconds = Number(args.ms ?? 2000);
const numUsers = Number(args.users ?? 6040);
const numItems = Number(args.items ?? 3706);
/** tfjs flags set once the trainer exists, e.g. --flags WEBGL_USE_SHAPES_UNIFORMS=false */
const flags = Object.fromEntries(
  (args.flags ?? '')
    .split(',')
    .filter(Boolean)
    .map((pair) => {
      const [name, value] = pair.split('=');
      return [name, value === 'true' ? true : value === 'false' ? false : Number(value)];
    }),
);

const config = {
  configFile: false,
  root: `${root}scripts/probe`,
  base: './',
  logLevel: 'warn',
  worker: { format: 'es' },
  server: { host: '127.0.0.1', port: 5191, strictPort: false, fs: { allow: [root] } },
  preview: { host: '127.0.0.1', port: 5192, strictPort: false },
  build: { outDir: '/tmp/reel-probe-dist', emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 8192 },
  optimizeDeps: {
    include: ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-backend-webgpu'],
    entries: ['probe.worker.ts'],
  },
};

if (args.pack) {
  await build({ ...config, build: { ...config.build, outDir: resolve(args.pack) } });
  process.exit(0);
}

let server;
if (args.build) {
  await build(config);
  server = await preview(config);
} else {
  server = await createServer(config);
  await server.listen();
}
const url = server.resolvedUrls.local[0];

const browser = await launchChromium(['--enable-unsafe-webgpu']);
const reports = [];
try {
  for (const backend of backends) {
    const page = await browser.newPage();
    page.on('console', (message) => {
      if (message.type() === 'log') console.log(message.text());
    });
    await page.goto(url);
    await page.waitForFunction(() => typeof window.runProbe === 'function');
    const report = await page.evaluate((request) => window.runProbe(request), {
      backend,
      batchSizes,
      milliseconds,
      numUsers,
      numItems,
      flags,
    });
    if (report.error) console.log(`${backend}: ERROR ${report.error}`);
    reports.push(report);
    await page.close();
  }
} finally {
  await browser.close();
  await (server.close?.() ?? server.httpServer?.close());
}

const rate = (n) => (Number.isFinite(n) && n > 0 ? Math.round(n).toLocaleString('en-US') : '—');
console.log(`\n${numUsers} users x ${numItems} items, NeuMF defaults, ${args.build ? 'production build' : 'dev server'}`);
console.log(
  `| requested | trainer | ${batchSizes.map((b) => `b${b} samples/s`).join(' | ')} | score pairs/s | loss epoch 1 → 5 | tfjs tensors per epoch | setup s |`,
);
console.log(`|---|---|${batchSizes.map(() => '---|').join('')}---|---|---|---|`);
for (const r of reports) {
  const loss = Number.isFinite(r.lossFirst) ? `${r.lossFirst.toFixed(3)} → ${r.lossLast.toFixed(3)}` : '—';
  console.log(
    `| ${r.requested} | ${r.error ? `failed: ${r.error.split('\n')[0]}` : r.backend} | ${batchSizes.map((b) => rate(r.samplesPerSecond[b])).join(' | ')} | ${rate(r.predictPairsPerSecond)} | ${loss} | ${r.tensors.join(' ') || '—'} | ${r.setupSeconds.toFixed(1)} |`,
  );
}
for (const r of reports) if (r.reason) console.log(`- ${r.requested}: ${r.reason}`);
console.log('\nbackends as described:', JSON.stringify(reports[0]?.descriptions, null, 1));
if (args.json) writeFileSync(args.json, JSON.stringify(reports, null, 2));
