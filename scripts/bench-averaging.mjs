#!/usr/bin/env node
// npm run bench:averaging -- [--data ml-100k|ml-latest-small|ml-1m] [--seeds 2017,1] [--epochs 14] [--steps 0,250,500,1000,2000]
// One NeuMF training run per seed (the defaults, one thread on the training threads as the app trains it, fused
// kernels, Node through Vite's module loader), scored
// at every epoch with the weights averaged over each window of `--steps` Adam steps (0: the last step's weights), as
// `WeightAveraging` averages them (src/engine/training/weightAveraging.ts). Averaging changes no training, so every
// window is scored on the same run. Prints one JSON line per seed and epoch ({"seed","epoch","loss","w<steps>": [val
// NDCG@10, HR@10 (99), full HR@10, full NDCG@10, coverage, top-100 share]}), then per window the epoch each seed keeps
// (EpochChoice, patience as the defaults) and, over the seeds, the means and standard deviations of the kept test
// figures and the seed pairs within 0.01 of each other on both HR@10s. Node's runs differ from the browser's
// (`npm run bench -- --average X`) in the last digits.
import { resolve } from 'node:path';
import { NCF_SPLITS } from './lib/ncfSplits.mjs';
import { parseFlags, root, withSsrModules } from './lib/ssrModules.mjs';

const flags = parseFlags(process.argv.slice(2));
const data = flags.data ?? 'ml-100k';
const seeds = (flags.seeds ?? '2017,1').split(',').map(Number);
const epochs = Number(flags.epochs ?? 14);
const windows = (flags.steps ?? '0,250,500,1000,2000').split(',').map(Number);
if (!NCF_SPLITS[data]) {
  console.error(
    `usage: npm run bench:averaging -- --data ${Object.keys(NCF_SPLITS).join('|')} [--seeds 2017,1] [--epochs 14] [--steps 0,250,500]`,
  );
  process.exit(2);
}
const round = (x) => Number(x.toFixed(4));
const figures = (m) => [m.valNdcg10, m.hr10, m.fullHr10, m.fullNdcg10, m.coverage10, m.top100Share10].map(round);

await withSsrModules(async (load) => {
  const { readNcfSplitFiles } = await load('/src/bench/ncfSplitFiles.ts');
  const { TrainingThreads } = await load('/src/engine/training/trainingThreads.ts');
  const { TablesAverage } = await load('/src/engine/model/tablesAverage.ts');
  const { resolveNeuMFSettings } = await load('/src/engine/model/neumfSettings.ts');
  const { epochSeed } = await load('/src/engine/sampling/negatives.ts');
  const { buildUserHistories } = await load('/src/engine/data/sparseRows.ts');
  const { planHeldOutEvaluation, evaluateHeldOut } = await load('/src/engine/evaluation/heldOutEvaluation.ts');
  const { positivesPerChunk } = await load('/src/engine/training/trainEpoch.ts');
  const { WeightAveraging } = await load('/src/engine/training/weightAveraging.ts');
  const { EpochChoice } = await load('/src/engine/training/epochChoice.ts');
  const { withinPairTolerance } = await load('/src/bench/threadPairs.ts');
  const { mean, standardDeviation: sd } = await load('/src/bench/seedMeans.ts');

  const { split, negatives, negativesPerUser } = readNcfSplitFiles(resolve(root, NCF_SPLITS[data]));
  const seen = buildUserHistories(split);
  const evaluation = planHeldOutEvaluation(split, {
    givenNegatives: { items: negatives, perUser: negativesPerUser },
    perUser: negativesPerUser,
  });
  const kept = new Map(windows.map((w) => [w, []]));
  for (const seed of seeds) {
    const settings = resolveNeuMFSettings({ seed, threads: 1, epochs, averageEpochs: 0 });
    const threads = await TrainingThreads.start(split, seen, settings, 1, positivesPerChunk(settings.batchSize), () => {
      throw new Error('one thread needs no helper');
    });
    const model = threads.model;
    const evaluate = async () =>
      evaluateHeldOut(evaluation, { scoreUser: (u, out) => model.scoreUser(u, out), scorePairs: (u, i, out) => model.predict(u, i, out) });
    // One average per window beside the model's own, folded and swapped as the trainer does its own.
    const averagings = windows.map((steps) => {
      if (steps === 0) return null;
      const average = new TablesAverage();
      const trainer = { foldIntoAverage: (keep) => model.foldIntoAverage(keep, average), swapAverage: () => model.swapAverage(average) };
      return new WeightAveraging(trainer, steps, split.numUsers, split.numItems, settings.batchSize);
    });
    const untrained = figures(await evaluate());
    const choices = windows.map(() => new EpochChoice(untrained[0], 0));
    const curves = windows.map(() => [untrained]);
    const stopped = windows.map(() => false);
    let rows = 0;
    for (let epoch = 1; epoch <= epochs; epoch++) {
      const plan = threads.planEpoch(epochSeed(seed, epoch));
      const before = rows;
      // Folded while the model is whole, as the app folds (trainStage).
      const result = threads.trainEpoch(plan, undefined, Infinity, (done) => {
        for (const averaging of averagings) averaging?.afterStep((before + done) / settings.batchSize);
      });
      rows += result.rows;
      const line = { seed, epoch, loss: round(result.loss) };
      for (let w = 0; w < windows.length; w++) {
        const averaging = averagings[w];
        const scored = figures(averaging ? await averaging.standingIn(rows / settings.batchSize, evaluate) : await evaluate());
        line[`w${windows[w]}`] = scored;
        curves[w].push(scored);
        // Each window's choice stops where training with it would have stopped (trainStage's rule).
        if (stopped[w]) continue;
        choices[w].add(epoch, scored[0], epoch);
        stopped[w] = choices[w].epochsWithoutImprovement >= settings.patience && epoch < epochs;
      }
      console.log(JSON.stringify(line));
      if (stopped.every(Boolean)) break;
    }
    windows.forEach((w, k) => {
      const epoch = choices[k].finish(stopped[k]).epoch;
      kept.get(w).push({ seed, epoch, figures: curves[k][epoch] });
    });
    threads.close();
  }
  for (const [steps, runs] of kept) {
    const column = (i) => runs.map((r) => r.figures[i]);
    let pairs = 0;
    let within = 0;
    for (let a = 0; a < runs.length; a++)
      for (let b = a + 1; b < runs.length; b++) {
        pairs++;
        const hrs = (run) => ({ hr10: run.figures[1], full_hr10: run.figures[2] });
        if (withinPairTolerance(hrs(runs[a]), hrs(runs[b]))) within++;
      }
    console.log(
      JSON.stringify({
        summary: true,
        data,
        steps,
        kept_epochs: runs.map((r) => r.epoch),
        val_ndcg10: round(mean(column(0))),
        hr10: round(mean(column(1))),
        hr10_sd: round(sd(column(1))),
        full_hr10: round(mean(column(2))),
        full_hr10_sd: round(sd(column(2))),
        full_ndcg10: round(mean(column(3))),
        coverage10: round(mean(column(4))),
        top100_share10: round(mean(column(5))),
        seed_pairs_within_001: `${within} of ${pairs}`,
      }),
    );
  }
});
