#!/usr/bin/env node
/**
 * Trains the engine's fused NeuMF on NCF-format splits in Node and prints one JSON line per
 * epoch (epoch 0 = untrained): {"data","epoch","batch","train_s","samples_per_s","loss","hr10","ndcg10","eval_s"}.
 *
 *   node scripts/bench-engine-node.mjs [--data ml-100k,ml-latest-small,ml-1m] [--epochs 20]
 *     [--batch 256] [--model neumf|gmf|mlp] [--embedding-adam dense|lazy] [--seed 2017] [--lr 0.001] [--probe MS]
 *
 * --probe MS: first, the automatic choice's speed probe of the fused trainer (`measureTrainingSpeed`, MS of warm-up
 * and MS timed) on random pairs and on the run's own rows (`sampleTrainingRows`), one line each
 * ({"data","probe","batch","samples_per_s"}); with --epochs 1 the epoch line beside them is the training rate.
 *
 * The TypeScript engine is loaded through Vite's SSR module loader, so no build step is needed.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createServer } from 'vite';
import { NCF_SPLITS } from './lib/ncfSplits.mjs';

function parseArgs(argv) {
  const args = {};
  for (let i = 0; i < argv.length; i += 2) args[argv[i].replace(/^--/, '')] = argv[i + 1];
  return args;
}

const args = parseArgs(process.argv.slice(2));
const dataNames = (args.data ?? 'ml-100k,ml-latest-small').split(',');

const vite = await createServer({
  configFile: false,
  root: new URL('..', import.meta.url).pathname,
  server: { middlewareMode: true, hmr: false, ws: false },
  appType: 'custom',
  optimizeDeps: { noDiscovery: true, include: [] },
  logLevel: 'error',
});
try {
  const { parseNcfSplit } = await vite.ssrLoadModule('/src/engine/data/ncfSplit.ts');
  const { FusedNeuMF } = await vite.ssrLoadModule('/src/engine/model/fusedNeuMF.ts');
  const { resolveNeuMFSettings } = await vite.ssrLoadModule('/src/engine/model/neumfSettings.ts');
  const { sampleTrainingEpoch, sampleTrainingRows, epochSeed } = await vite.ssrLoadModule('/src/engine/sampling/negatives.ts');
  const { buildUserHistories } = await vite.ssrLoadModule('/src/engine/data/sparseRows.ts');
  const { evaluateRanking } = await vite.ssrLoadModule('/src/engine/evaluation/evaluateRanking.ts');
  const { trainEpoch } = await vite.ssrLoadModule('/src/engine/training/trainEpoch.ts');
  const { measureTrainingSpeed } = await vite.ssrLoadModule('/src/engine/backends/chooseBackend.ts');

  const overrides = {};
  if (args.epochs) overrides.epochs = Number(args.epochs);
  if (args.batch) overrides.batchSize = Number(args.batch);
  if (args.model) overrides.model = args.model;
  if (args.seed) overrides.seed = Number(args.seed);
  if (args.lr) overrides.learningRate = Number(args.lr);
  if (args.negatives) overrides.negatives = Number(args.negatives);
  const settings = resolveNeuMFSettings(overrides);
  const embeddingAdam = args['embedding-adam'] ?? 'dense';

  for (const name of dataNames) {
    const base = resolve(new URL('..', import.meta.url).pathname, NCF_SPLITS[name] ?? name);
    const { split, negatives, negativesPerUser } = parseNcfSplit({
      trainRating: readFileSync(`${base}.train.rating`, 'utf8'),
      testRating: readFileSync(`${base}.test.rating`, 'utf8'),
      testNegative: readFileSync(`${base}.test.negative`, 'utf8'),
    });
    const seen = buildUserHistories(split);
    const model = new FusedNeuMF(split.numUsers, split.numItems, settings, { embeddingAdam });
    const given = { kind: 'given', items: negatives, perUser: negativesPerUser };
    const scorer = (users, items, out) => model.predict(users, items, out);
    const line = (o) => console.log(JSON.stringify({ data: name, ...o }));
    const round = (x, d = 4) => Number(x.toFixed(d));

    if (args.probe) {
      const runRows = sampleTrainingRows(split, seen, settings.negatives, epochSeed(settings.seed, 0), 4 * settings.batchSize);
      for (const [probe, rows] of [
        ['random pairs', undefined],
        ["the run's rows", runRows],
      ]) {
        const probed = new FusedNeuMF(split.numUsers, split.numItems, settings, { embeddingAdam });
        const rate = await measureTrainingSpeed(probed, settings.batchSize, Number(args.probe), rows);
        line({ probe, batch: settings.batchSize, samples_per_s: Math.round(rate) });
      }
    }

    let evaluation = evaluateRanking(split, scorer, given);
    line({
      epoch: 0,
      batch: settings.batchSize,
      train_s: 0,
      samples_per_s: 0,
      loss: null,
      hr10: round(evaluation.hr10),
      ndcg10: round(evaluation.ndcg10),
      eval_s: round(evaluation.seconds, 3),
    });
    let best = { hr10: 0, ndcg10: 0, epoch: 0 };
    for (let epoch = 1; epoch <= settings.epochs; epoch++) {
      const sampleStart = performance.now();
      const rows = sampleTrainingEpoch(split, seen, settings.negatives, epochSeed(settings.seed, epoch));
      const sampleSeconds = (performance.now() - sampleStart) / 1000;
      const trained = trainEpoch(model, rows, settings.batchSize);
      evaluation = evaluateRanking(split, scorer, given);
      if (evaluation.hr10 > best.hr10) best = { hr10: evaluation.hr10, ndcg10: evaluation.ndcg10, epoch };
      line({
        epoch,
        batch: settings.batchSize,
        train_s: round(trained.seconds, 3),
        samples_per_s: Math.round(trained.rows / trained.seconds),
        loss: round(trained.loss),
        hr10: round(evaluation.hr10),
        ndcg10: round(evaluation.ndcg10),
        eval_s: round(evaluation.seconds, 3),
        sample_s: round(sampleSeconds, 3),
      });
    }
    line({
      summary: true,
      model: settings.model,
      embeddingAdam,
      best_epoch: best.epoch,
      best_hr10: round(best.hr10),
      best_ndcg10: round(best.ndcg10),
    });
  }
} finally {
  await vite.close();
}
