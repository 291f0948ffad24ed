#!/usr/bin/env node
// npm run bench -- --data ncf:<dir>/<name> | --data <MovieLens folder or zip>
//                  [--model neumf|gmf|mlp|neumf-pretrained] [--backend auto|fused|webgpu|webgl|wasm|cpu] [--epochs 20] [--batch 256] [--lr 0.001] [--neg 4] [--seed 2017] [--users N]
// Trains with the app's own workers in headless Chromium and prints one JSON line per epoch (epoch 0 = untrained):
// epoch, backend, batch, train_s, samples_per_s, loss, hr10, ndcg10, eval_s.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { launchChromium, serveBuild } from './lib/browser.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const fail = (message) => {
  console.log(JSON.stringify({ error: message }));
  process.exit(2);
};

const dataArg = option('--data');
if (!dataArg)
  fail(
    'usage: npm run bench -- --data ncf:<dir>/<name> | --data <MovieLens folder> [--epochs N] [--batch N] [--lr X] [--neg N] [--model neumf|gmf|mlp]',
  );

const served = new Map(); // url path -> file path
let data;
if (dataArg.startsWith('ncf:')) {
  const prefix = resolve(dataArg.slice(4));
  const files = { train: `${prefix}.train.rating`, test: `${prefix}.test.rating`, negative: `${prefix}.test.negative` };
  for (const [key, path] of Object.entries(files)) {
    if (!existsSync(path)) fail(`${path} not found (expected ${basename(prefix)}.train.rating, .test.rating, .test.negative)`);
    served.set(`/__bench_data/${key}`, path);
  }
  data = { kind: 'ncf', train: '/__bench_data/train', test: '/__bench_data/test', negative: '/__bench_data/negative' };
} else {
  const dir = resolve(dataArg);
  if (!existsSync(dir)) fail(`${dir} not found`);
  const names = statSync(dir).isDirectory()
    ? readdirSync(dir).filter((n) => /^(ratings\.(csv|dat)|movies\.(csv|dat)|links\.csv|u\.data|u\.item)$/i.test(n))
    : [basename(dir)];
  const files = names.map((name) => {
    const path = statSync(dir).isDirectory() ? join(dir, name) : dir;
    served.set(`/__bench_data/${name}`, path);
    return { url: `/__bench_data/${name}`, name, size: statSync(path).size };
  });
  const users = option('--users');
  // null: the app's own import defaults (src/data/importSettings.ts).
  const seed = option('--seed');
  data = { kind: 'movielens', files, maxUsers: users ? Number(users) : null, seed: seed === undefined ? null : Number(seed) };
}

const settings = {};
const numeric = {
  '--epochs': 'epochs',
  '--batch': 'batchSize',
  '--lr': 'learningRate',
  '--neg': 'negatives',
  '--seed': 'seed',
  '--gmf': 'gmfDim',
};
for (const [flag, key] of Object.entries(numeric)) if (option(flag) !== undefined) settings[key] = Number(option(flag));
if (option('--model')) settings.model = option('--model');
if (option('--layers')) settings.mlpLayers = option('--layers').split(',').map(Number);

const server = await serveBuild();
// WebGPU sits behind a flag in headless Linux Chromium.
const browser = await launchChromium(option('--backend') === 'webgpu' ? ['--enable-unsafe-webgpu'] : []);
let exitCode = 0;
try {
  const page = await browser.newPage();
  await page.route('**/__bench_data/**', (route) => {
    const path = served.get(new URL(route.request().url()).pathname);
    return path ? route.fulfill({ body: readFileSync(path), contentType: 'text/plain' }) : route.fulfill({ status: 404 });
  });
  await page.addInitScript((config) => (window.__REEL_BENCH__ = config), { data, settings, backend: option('--backend', 'auto') });
  const done = new Promise((resolveDone, rejectDone) => {
    page.on('console', (message) => {
      const text = message.text();
      if (text === 'REEL_BENCH_DONE') resolveDone();
      else if (text.startsWith('REEL_BENCH_INFO ')) console.error(text.slice('REEL_BENCH_INFO '.length));
      else if (text.startsWith('REEL_BENCH ')) {
        const line = text.slice('REEL_BENCH '.length);
        console.log(line);
        if (line.startsWith('{"error"')) rejectDone(new Error(JSON.parse(line).error));
      }
    });
    page.on('pageerror', (error) => rejectDone(error));
  });
  await page.goto(`${server.url}?bench`);
  await done;
} catch (error) {
  console.log(JSON.stringify({ error: String(error.message ?? error) }));
  exitCode = 1;
} finally {
  await browser.close();
  await server.close();
}
process.exit(exitCode);
