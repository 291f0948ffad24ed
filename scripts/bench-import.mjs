#!/usr/bin/env node
// npm run bench:import -- <dir|zip> [--users N|all] [--seed S]
// npm run bench:import -- --synthetic 1m|25m [--users N|all]
// Runs the real import (the Data page, its worker, IndexedDB) in headless Chromium and prints one JSON line.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { launchChromium, rendererMemoryMb, serveBuild } from './lib/browser.mjs';
import { writeSynthetic } from './lib/synthetic.mjs';

const args = process.argv.slice(2);
const option = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const KNOWN = /^(ratings\.(csv|dat)|movies\.(csv|dat)|links\.csv|u\.data|u\.item)$/i;

let files;
const synthetic = option('--synthetic');
if (synthetic) {
  files = await writeSynthetic(synthetic);
} else {
  const target = args.find((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
  if (!target || !existsSync(target)) {
    console.log(JSON.stringify({ error: `usage: npm run bench:import -- <dir|zip> | --synthetic 1m|25m (got ${target ?? 'nothing'})` }));
    process.exit(2);
  }
  files = statSync(target).isDirectory()
    ? readdirSync(target)
        .filter((n) => KNOWN.test(n))
        .map((n) => resolve(target, n))
    : [resolve(target)];
}
const users = option('--users');
const seed = option('--seed');

const server = await serveBuild();
const browser = await launchChromium();
let peakMb = 0;
const sampler = setInterval(() => (peakMb = Math.max(peakMb, rendererMemoryMb())), 100);
let exitCode = 0;
try {
  const page = await browser.newPage();
  await page.goto(`${server.url}?no-default-data#/data`);
  await page.getByTestId('import-files').setInputFiles(files);
  if (users === 'all') {
    await page.getByTestId('keep-all-users').check();
  } else if (users) {
    await page.getByTestId('keep-all-users').uncheck();
    await page.getByTestId('max-users').fill(users);
  } else if (!synthetic || synthetic === '1m') {
    await page.getByTestId('keep-all-users').check();
  }
  if (seed) await page.getByLabel('Seed').fill(seed);
  await page.getByTestId('start-import').click();
  const outcome = await Promise.race([
    page
      .getByTestId('dataset-report')
      .waitFor({ timeout: 0 })
      .then(() => 'done'),
    page
      .getByTestId('import-error')
      .waitFor({ timeout: 0 })
      .then(() => 'error'),
  ]);
  if (outcome === 'error') {
    console.log(JSON.stringify({ error: await page.getByTestId('import-error').innerText() }));
    exitCode = 1;
  } else {
    const r = JSON.parse((await page.getByTestId('dataset-report').getAttribute('data-report')) ?? '{}');
    const round = (x) => Math.round(x * 1000) / 1000;
    console.log(
      JSON.stringify({
        format: r.format,
        rows: r.rows,
        skipped_rows: r.skipped_rows,
        users: r.users,
        dropped_users: r.dropped_users,
        movies: r.movies,
        train: r.train,
        test: r.test,
        parse_s: round(r.parse_s),
        split_s: round(r.split_s),
        store_s: round(r.store_s),
        total_s: round(r.total_s),
        rows_per_s: Math.round(r.rows / r.total_s),
        peak_mb: Math.round(peakMb),
      }),
    );
  }
} catch (error) {
  console.log(JSON.stringify({ error: String(error.message ?? error) }));
  exitCode = 1;
} finally {
  clearInterval(sampler);
  await browser.close();
  await server.close();
}
process.exit(exitCode);
