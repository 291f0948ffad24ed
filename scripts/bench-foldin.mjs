#!/usr/bin/env node
/**
 * npm run bench:foldin -- [--data ml-latest-small|ml-100k|<ncf prefix>] [--epochs 7] [--users 300]
 *                         [--foldin-epochs N] [--foldin-lr X]
 * How good and how fast is instant personalization? Trains NeuMF (default settings) for `--epochs`
 * epochs, no epoch chosen (7: about where validation stops the defaults on these splits), then
 * for each sampled user folds that user in from their training movies alone (a fresh vector,
 * network frozen: exactly what the app does for a profile that changed since training) and ranks
 * the user's held-out movie among the split's 99 given negatives with the folded-in vector and
 * with the fully trained one. Prints one JSON line.
 */
import { resolve } from 'node:path';
import { NCF_SPLITS } from './lib/ncfSplits.mjs';
import { parseFlags, root, withSsrModules } from './lib/ssrModules.mjs';

const args = parseFlags(process.argv.slice(2));
const name = args.data ?? 'ml-latest-small';
const base = resolve(root, NCF_SPLITS[name] ?? name);

await withSsrModules(async (load) => {
  const { readNcfSplitFiles } = await load('/src/bench/ncfSplitFiles.ts');
  const { FusedNeuMF } = await load('/src/engine/model/fusedNeuMF.ts');
  const { resolveNeuMFSettings } = await load('/src/engine/model/neumfSettings.ts');
  const { sampleTrainingEpoch, epochSeed } = await load('/src/engine/sampling/negatives.ts');
  const { buildUserHistories } = await load('/src/engine/data/sparseRows.ts');
  const { trainEpoch } = await load('/src/engine/training/trainEpoch.ts');
  const { rankOfHeldOut, RankingAccumulator } = await load('/src/engine/metrics/rankingMetrics.ts');
  const { foldInUser, defaultFoldInSettings } = await load('/src/engine/training/foldIn.ts');

  const { split, negatives, negativesPerUser } = readNcfSplitFiles(base);
  const settings = resolveNeuMFSettings({ epochs: Number(args.epochs ?? 7) });
  const foldIn = {
    ...defaultFoldInSettings,
    ...(args['foldin-epochs'] ? { epochs: Number(args['foldin-epochs']) } : {}),
    ...(args['foldin-lr'] ? { learningRate: Number(args['foldin-lr']) } : {}),
  };

  // One spare user row past the split's users: never trained, it is where fold-ins happen.
  const spare = split.numUsers;
  const model = new FusedNeuMF(split.numUsers + 1, split.numItems, settings);
  const seen = buildUserHistories(split);
  // Exactly `epochs` epochs, no epoch chosen: the figures below are read once, on the test movies.
  for (let epoch = 1; epoch <= settings.epochs; epoch++) {
    trainEpoch(model, sampleTrainingEpoch(split, seen, settings.negatives, epochSeed(settings.seed, epoch)), settings.batchSize);
  }

  // Users with a spread of history sizes: every k-th user.
  const wanted = Math.min(split.numUsers, Number(args.users ?? 300));
  const step = split.numUsers / wanted;
  const trained = new RankingAccumulator();
  const folded = new RankingAccumulator();
  const times = [];
  const candidates = negativesPerUser + 1;
  const users = new Int32Array(candidates);
  const items = new Int32Array(candidates);
  const scores = new Float32Array(candidates);
  for (let k = 0; k < wanted; k++) {
    const u = Math.floor(k * step);
    items[0] = split.testItems[u];
    items.set(negatives.subarray(u * negativesPerUser, (u + 1) * negativesPerUser), 1);
    users.fill(u);
    model.predict(users, items, scores);
    trained.addRank(rankOfHeldOut(scores, 0));
    const positives = seen.entries.slice(seen.offsets[u], seen.offsets[u + 1]);
    const { seconds } = foldInUser(model, spare, Int32Array.from(positives), { ...foldIn, seed: u + 1 });
    times.push(seconds);
    users.fill(spare);
    model.predict(users, items, scores);
    folded.addRank(rankOfHeldOut(scores, 0));
  }
  times.sort((a, b) => a - b);
  const round = (x, d = 4) => Number(x.toFixed(d));
  console.log(
    JSON.stringify({
      data: name,
      users: wanted,
      trained_epochs: settings.epochs,
      trained_hr10: round(trained.hr10),
      trained_ndcg10: round(trained.ndcg10),
      foldin_hr10: round(folded.hr10),
      foldin_ndcg10: round(folded.ndcg10),
      foldin_mean_s: round(times.reduce((a, b) => a + b, 0) / times.length, 4),
      foldin_p95_s: round(times[Math.floor(times.length * 0.95)], 4),
      foldin_max_s: round(times[times.length - 1], 4),
      foldin_epochs: foldIn.epochs,
      foldin_lr: foldIn.learningRate,
    }),
  );
});
