#!/usr/bin/env node
/**
 * Fits the non-neural baselines (ItemPop, EASE, iALS) on NCF-format splits in Node and prints one
 * JSON line per fit: sampled HR@10 / NDCG@10 against the file's 99 negatives, whole-catalogue
 * HR@10 / NDCG@10 against every item outside the user's training set (ties count against the
 * model), fit and evaluation seconds, and the process's peak memory so far.
 *
 *   node scripts/bench-baselines-node.mjs [--data ml-100k,ml-latest-small,ml-1m] [--models itempop,ease,ials]
 *     [--lambda 300[,1000]] [--max-size 4000]                                    EASE
 *     [--dimension 64] [--alpha0 0.1] [--reg 0.01] [--nu 1] [--stdev 0.1]       iALS (each may be a list:
 *     [--epochs 10] [--solver cholesky|cg] [--cg-steps 3] [--seed 2022]         every combination is fitted)
 *   (defaults: the settings modules' defaults)
 *     [--every-epoch true]                                                      iALS: evaluate after each epoch
 *   node scripts/bench-baselines-node.mjs --synthetic 20000x30000x3300000 --models ials --epochs 1
 *     a seeded synthetic split of that many users × items × training rows (popularity-skewed), no negatives file
 *   node scripts/bench-baselines-node.mjs --inverse 1682,3706,9724   times the dense SPD inverse alone
 *   --simd false: the plain-JS loops instead of the WebAssembly SIMD kernels (iALS and --inverse)
 *
 * The TypeScript modules are loaded through Vite's SSR module loader, so no build step is needed.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { NCF_SPLITS } from './lib/ncfSplits.mjs';
import { parseFlags, root, withSsrModules } from './lib/ssrModules.mjs';

const args = parseFlags(process.argv.slice(2));
const list = (value, fallback) => (value ?? fallback).split(',');
const numbers = (value, fallback) => list(value, String(fallback)).map(Number);
const round = (x, d = 5) => Number(x.toFixed(d));
let peakBytes = 0;
const sampleMemory = () => {
  const { rss, heapUsed, arrayBuffers } = process.memoryUsage();
  peakBytes = Math.max(peakBytes, rss);
  return { rss, heapUsed, arrayBuffers };
};
setInterval(sampleMemory, 200).unref();
const memoryFields = () => {
  const now = sampleMemory();
  return {
    rss_mb: Math.round(now.rss / 2 ** 20),
    peak_rss_mb: Math.round(peakBytes / 2 ** 20),
    array_buffers_mb: Math.round(now.arrayBuffers / 2 ** 20),
  };
};
const line = (o) => console.log(JSON.stringify(o));

/** Every combination of the listed values, e.g. {a: [1, 2], b: [3]} → [{a: 1, b: 3}, {a: 2, b: 3}]. */
function grid(lists) {
  return Object.entries(lists).reduce((combos, [key, values]) => combos.flatMap((c) => values.map((v) => ({ ...c, [key]: v }))), [{}]);
}

await withSsrModules(async (load) => {
  const { parseNcfSplit } = await load('/src/engine/data/ncfSplit.ts');
  const { fitItemPop } = await load('/src/engine/baselines/itemPop.ts');
  const { fitEase } = await load('/src/engine/baselines/ease.ts');
  const { fitIals } = await load('/src/engine/baselines/ials.ts');
  const { invertSpdInPlace } = await load('/src/engine/baselines/spdInverse.ts');
  const { evaluateHeldOut, planHeldOutEvaluation } = await load('/src/engine/evaluation/heldOutEvaluation.ts');
  const { buildUserHistories } = await load('/src/engine/data/sparseRows.ts');
  const { SeededRandom } = await load('/src/shared/random.ts');

  if (args.inverse) {
    const { allocateSpdMatrix } = await load('/src/engine/baselines/wasm/tileDotsKernel.ts');
    const simd = args.simd !== 'false';
    for (const n of numbers(args.inverse)) {
      // The EASE system of a random 0/1 matrix: XᵀX + λI over n items.
      const rng = new SeededRandom(n);
      const { matrix: a, tileDots } = allocateSpdMatrix(n, simd);
      const row = new Int32Array(n);
      for (let u = 0; u < 2 * n; u++) {
        let k = 0;
        for (let i = 0; i < n; i++) if (rng.nextFloat() < 0.02) row[k++] = i;
        for (let x = 0; x < k; x++) for (let y = 0; y <= x; y++) a[row[x] * n + row[y]]++;
      }
      for (let i = 0; i < n; i++) a[i * n + i] += 300;
      const started = performance.now();
      const cpu = process.cpuUsage();
      invertSpdInPlace(a, n, undefined, tileDots);
      const seconds = (performance.now() - started) / 1000;
      const used = process.cpuUsage(cpu);
      const cpuSeconds = (used.user + used.system) / 1e6;
      line({
        inverse: n,
        simd: tileDots !== null,
        seconds: round(seconds, 2),
        cpu_s: round(cpuSeconds, 2),
        gflops_cpu: round(n ** 3 / cpuSeconds / 1e9, 2),
        ...memoryFields(),
      });
    }
    return;
  }

  const models = list(args.models, 'itempop,ease,ials');
  const { defaultEaseSettings: ease } = await load('/src/engine/baselines/easeSettings.ts');
  const { defaultIalsSettings: ials } = await load('/src/engine/baselines/ialsSettings.ts');
  const easeGrid = grid({ lambda: numbers(args.lambda, ease.lambda), maxSize: numbers(args['max-size'], ease.maxSize) });
  const ialsGrid = grid({
    dimension: numbers(args.dimension, ials.dimension),
    alpha0: numbers(args.alpha0, ials.alpha0),
    lambda: numbers(args.reg, ials.lambda),
    nu: numbers(args.nu, ials.nu),
    initStdev: numbers(args.stdev, ials.initStdev),
    epochs: numbers(args.epochs, ials.epochs),
    solver: list(args.solver, ials.solver),
    cgSteps: numbers(args['cg-steps'], ials.cgSteps),
    seed: numbers(args.seed, ials.seed),
  });

  const datasets = args.synthetic ? [`synthetic:${args.synthetic}`] : list(args.data, 'ml-100k,ml-latest-small');
  for (const name of datasets) {
    const loadStarted = performance.now();
    const { split, negatives, negativesPerUser } = name.startsWith('synthetic:')
      ? syntheticSplit(name.slice(10), SeededRandom)
      : readNcf(name, parseNcfSplit);
    const histories = buildUserHistories(split);
    line({
      data: name,
      users: split.numUsers,
      items: split.numItems,
      train_rows: split.trainItems.length,
      load_s: round((performance.now() - loadStarted) / 1000, 2),
      ...memoryFields(),
    });
    const plan =
      negativesPerUser > 0
        ? planHeldOutEvaluation(split, {
            givenNegatives: { items: negatives, perUser: negativesPerUser },
            perUser: negativesPerUser,
            histories,
            maxFullUsers: 1e9,
          })
        : null;
    const evaluate = (model) => {
      if (!plan) return {};
      const e = evaluateHeldOut(plan, { scoreUser: (user, out) => model.scoreUser(user, out) });
      return {
        hr10: round(e.hr10),
        ndcg10: round(e.ndcg10),
        val_hr10: round(e.valHr10),
        val_ndcg10: round(e.valNdcg10),
        full_hr10: round(e.fullHr10),
        full_ndcg10: round(e.fullNdcg10),
        eval_s: round(e.evalSeconds, 2),
      };
    };
    // Wall seconds and this process's CPU seconds: on a shared machine the second is the honest one.
    const fitted = (fit) => {
      const started = performance.now();
      const cpu = process.cpuUsage();
      const result = fit();
      const used = process.cpuUsage(cpu);
      return { result, fit_s: round((performance.now() - started) / 1000, 2), fit_cpu_s: round((used.user + used.system) / 1e6, 2) };
    };

    if (models.includes('itempop')) {
      const { result, fit_s, fit_cpu_s } = fitted(() => fitItemPop(split));
      line({ data: name, model: 'itempop', fit_s, fit_cpu_s, ...evaluate(result), ...memoryFields() });
    }
    if (models.includes('ease')) {
      for (const settings of easeGrid) {
        const { result, fit_s, fit_cpu_s } = fitted(() => fitEase(split, settings));
        line({
          data: name,
          model: 'ease',
          ...settings,
          form: result.form,
          fitted_items: result.fittedItems,
          fit_s,
          fit_cpu_s,
          ...evaluate(result),
          ...memoryFields(),
        });
      }
    }
    if (models.includes('ials')) {
      const everyEpoch = args['every-epoch'] === 'true';
      const simd = args.simd !== 'false';
      for (const settings of ialsGrid) {
        let halfStarted = performance.now();
        const onProgress = (p) => {
          const half_s = round((performance.now() - halfStarted) / 1000, 2);
          if (p.half === 'items' && (everyEpoch || p.epoch === p.epochs)) {
            line({
              data: name,
              model: 'ials',
              epoch: p.epoch,
              loss: round(p.loss, 2),
              half_s,
              seconds: round(p.seconds, 2),
              ...(everyEpoch ? evaluate(p.model) : {}),
              ...memoryFields(),
            });
          }
          halfStarted = performance.now();
        };
        const { result, fit_s, fit_cpu_s } = fitted(() => fitIals(split, settings, onProgress, { simd }));
        line({ data: name, model: 'ials', ...settings, simd, fit_s, fit_cpu_s, ...evaluate(result), ...memoryFields() });
      }
    }
  }
});

function readNcf(name, parseNcfSplit) {
  const base = resolve(root, NCF_SPLITS[name] ?? name);
  return parseNcfSplit({
    trainRating: readFileSync(`${base}.train.rating`, 'utf8'),
    testRating: readFileSync(`${base}.test.rating`, 'utf8'),
    testNegative: readFileSync(`${base}.test.negative`, 'utf8'),
  });
}

/**
 * A seeded stand-in for a large import ("USERSxITEMSxROWS"): user history lengths log-normal,
 * items drawn with Zipf-like popularity (P(item < k) ∝ log k), distinct per user, grouped by user.
 * It has the sizes and the skew of the ml-25m subset, not its structure: for timing only.
 */
function syntheticSplit(spec, SeededRandom) {
  const [numUsers, numItems, rows] = spec.split('x').map(Number);
  const rng = new SeededRandom(25);
  const weights = Float64Array.from({ length: numUsers }, () => Math.exp(1.1 * rng.nextGaussian()));
  const total = weights.reduce((a, b) => a + b, 0);
  const lengths = Int32Array.from(weights, (w) => Math.min(numItems - 1, Math.max(2, Math.round((w / total) * rows))));
  const trainUsers = new Int32Array(lengths.reduce((a, b) => a + b, 0));
  const trainItems = new Int32Array(trainUsers.length);
  const testItems = new Int32Array(numUsers);
  const drawItem = () => Math.min(numItems - 1, Math.floor(Math.pow(numItems + 1, rng.nextFloat())) - 1);
  let at = 0;
  const chosen = new Set();
  for (let u = 0; u < numUsers; u++) {
    chosen.clear();
    while (chosen.size < lengths[u] + 1) chosen.add(chosen.size < lengths[u] * 0.8 ? drawItem() : rng.nextInt(numItems));
    const items = [...chosen];
    testItems[u] = items.pop();
    items.sort((a, b) => a - b);
    for (const item of items) {
      trainUsers[at] = u;
      trainItems[at++] = item;
    }
  }
  return { split: { numUsers, numItems, trainUsers, trainItems, testItems }, negatives: new Int32Array(0), negativesPerUser: 0 };
}
