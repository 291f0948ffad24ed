#!/usr/bin/env node
// npm run bench -- --data ncf:<dir>/<name> | --data <MovieLens folder or zip> | --synthetic 1m|25m  [--users N|all] [--full-users N|all]
//   NeuMF:      [--paper] [--model neumf|gmf|mlp|neumf-pretrained] [--backend auto|fused|webgpu|webgl|wasm|cpu] [--epochs N] [--patience N]
//               [--batch N] [--lr X] [--l2 X] [--neg N] [--gmf N] [--layers 64,32,16,8] [--seed N] [--threads N] [--average EPOCHS]
//   a baseline: --baseline itempop | ease [--lambdas 50,300] [--max-size N] | ials [--dim N] [--alpha0 X] [--ials-lambda X] [--ials-epochs N]
// Trains with the app's own workers in headless Chromium and prints one JSON line per epoch (epoch 0 = untrained NeuMF;
// for EASE one per λ tried): epoch, model, backend, batch, train_s, samples_per_s, loss, hr10, ndcg10 (test among 99
// sampled or given movies), val_hr10, val_ndcg10 (validation, full catalogue: what epochs are chosen on), full_hr10,
// full_ndcg10, coverage10, top100_share10 (test, full catalogue), full_users, eval_s, threads, and peak_mb (the renderer
// processes' peak resident memory so far, as bench:import); then one summary line with the test figures at the epoch
// chosen on validation (docs/EVALUATION.md). --users: the import's users (default: what the Data page keeps for files
// that size, 20,000 above 2M rows); --synthetic: the generated sets of bench:import (scripts/lib/synthetic.mjs).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { launchChromium, rendererMemoryMb, serveBuild } from './lib/browser.mjs';
import { writeSynthetic } from './lib/synthetic.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const fail = (message) => {
  console.log(JSON.stringify({ error: message }));
  process.exit(2);
};

const synthetic = option('--synthetic');
const dataArg = synthetic ? await writeSynthetic(synthetic).then((files) => dirnameOf(files[0])) : option('--data');
if (!dataArg)
  fail(
    'usage: npm run bench -- --data ncf:<dir>/<name> | --data <MovieLens folder> [--epochs N] [--batch N] [--lr X] [--l2 X] [--neg N] [--model neumf|gmf|mlp] | [--baseline itempop|ease|ials]',
  );

function dirnameOf(path) {
  return resolve(path, '..');
}

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
  const maxUsers = users === undefined ? null : users === 'all' ? 'all' : Number(users);
  data = { kind: 'movielens', files, maxUsers, seed: seed === undefined ? null : Number(seed) };
}

/** Settings from the flags that are given: { flag: settingName }, read as numbers. */
const numbers = (flags) => {
  const out = {};
  for (const [flag, key] of Object.entries(flags)) if (option(flag) !== undefined) out[key] = Number(option(flag));
  return out;
};
const list = (flag) => (option(flag) === undefined ? null : option(flag).split(',').map(Number));

let model;
const baseline = option('--baseline');
if (baseline === 'itempop') model = { kind: 'itempop' };
else if (baseline === 'ease') model = { kind: 'ease', settings: numbers({ '--max-size': 'maxSize' }), lambdas: list('--lambdas') };
else if (baseline === 'ials')
  model = {
    kind: 'ials',
    settings: numbers({ '--dim': 'dimension', '--alpha0': 'alpha0', '--ials-lambda': 'lambda', '--ials-epochs': 'epochs' }),
  };
else if (baseline !== undefined) fail(`--baseline must be itempop, ease or ials, not ${baseline}`);
else {
  const settings = {
    ...numbers({
      '--epochs': 'epochs',
      '--patience': 'patience',
      '--batch': 'batchSize',
      '--lr': 'learningRate',
      '--l2': 'l2',
      '--neg': 'negatives',
      '--seed': 'seed',
      '--gmf': 'gmfDim',
      '--threads': 'threads',
      '--average': 'averageEpochs',
    }),
  };
  if (option('--model')) settings.model = option('--model');
  if (option('--layers')) settings.mlpLayers = list('--layers');
  // --paper: He et al. 2017's set-up (src/engine/model/neumfSettings.ts), which the defaults replaced; other flags still apply.
  model = { kind: 'neumf', settings, paper: args.includes('--paper'), backend: option('--backend', 'auto') };
}
const fullUsers = option('--full-users');
const maxFullUsers = fullUsers === undefined ? null : fullUsers === 'all' ? 1e9 : Number(fullUsers);

const server = await serveBuild(served);
// WebGPU sits behind a flag in headless Linux Chromium.
const browser = await launchChromium(option('--backend') === 'webgpu' ? ['--enable-unsafe-webgpu'] : []);
let peakMb = 0;
const sampler = setInterval(() => (peakMb = Math.max(peakMb, rendererMemoryMb())), 100);
let exitCode = 0;
try {
  const page = await browser.newPage();
  await page.addInitScript((config) => (window.__REEL_BENCH__ = config), { data, model, maxFullUsers });
  const done = new Promise((resolveDone, rejectDone) => {
    page.on('console', (message) => {
      const text = message.text();
      if (text === 'REEL_BENCH_DONE') resolveDone();
      else if (text.startsWith('REEL_BENCH_INFO ')) console.error(text.slice('REEL_BENCH_INFO '.length));
      else if (text.startsWith('REEL_BENCH ')) {
        const line = JSON.parse(text.slice('REEL_BENCH '.length));
        if (line.error) return rejectDone(new Error(line.error));
        peakMb = Math.max(peakMb, rendererMemoryMb());
        console.log(JSON.stringify({ ...line, peak_mb: Math.round(peakMb) }));
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
  clearInterval(sampler);
  await browser.close();
  await server.close();
}
process.exit(exitCode);
