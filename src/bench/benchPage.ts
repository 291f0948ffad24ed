import { describeError } from '../bridge/failure';
import { runImport } from '../bridge/importClient';
import { runTraining } from '../bridge/trainingClient';
import type { TrainingData } from '../bridge/trainingMessages';
import { defaultImportSettings } from '../data/importSettings';
import { parseNcfSplit } from '../engine/data/ncfSplit';
import { EVALUATION_NEGATIVES } from '../engine/metrics/rankingMetrics';
import { resolveNeuMFSettings } from '../engine/model/neumfSettings';
import type { EpochReport } from '../engine/training/trainingRun';
import { BENCH_DONE, BENCH_LINE_PREFIX, type BenchConfig, type BenchEpochLine } from './benchConfig';

/**
 * The benchmark page: the product's own import and training workers, driven by `npm run bench`.
 * Lines go to the console, where the bench script reads them.
 */
const round = (x: number, digits = 4): number => Math.round(x * 10 ** digits) / 10 ** digits;

async function fetchText(url: string): Promise<string> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return response.text();
}

async function trainingData(config: BenchConfig): Promise<{ data: TrainingData; perUser: number }> {
  if (config.data.kind === 'ncf') {
    const [trainRating, testRating, testNegative] = await Promise.all(
      [config.data.train, config.data.test, config.data.negative].map(fetchText),
    );
    const { split, negatives, negativesPerUser } = parseNcfSplit({ trainRating, testRating, testNegative });
    return { data: { kind: 'split', split, negatives }, perUser: negativesPerUser };
  }
  const dataset = await runImport({
    name: 'bench',
    input: { kind: 'urls', files: config.data.files },
    maxUsers: config.data.maxUsers ?? defaultImportSettings.maxUsers,
    seed: config.data.seed ?? defaultImportSettings.seed,
  });
  return { data: { kind: 'dataset', datasetId: dataset.id, profiles: [] }, perUser: EVALUATION_NEGATIVES };
}

export async function runBench(config: BenchConfig): Promise<void> {
  const settings = resolveNeuMFSettings(config.settings);
  const { data, perUser } = await trainingData(config);
  let backend = '';
  const print = (m: EpochReport): void => {
    const line: BenchEpochLine = {
      epoch: m.epoch,
      backend,
      batch: settings.batchSize,
      train_s: round(m.trainSeconds, 3),
      samples_per_s: m.samplesPerSecond === null ? null : Math.round(m.samplesPerSecond),
      loss: m.loss === null ? null : round(m.loss),
      hr10: round(m.hr10),
      ndcg10: round(m.ndcg10),
      eval_s: round(m.evalSeconds, 3),
    };
    console.log(BENCH_LINE_PREFIX + JSON.stringify(line));
  };
  await runTraining(
    { data, settings, evaluationNegatives: perUser, save: false, backend: config.backend },
    {
      onEvent: (event) => {
        if (event.type === 'started') {
          backend = event.backend;
          console.log(`REEL_BENCH_INFO backend ${event.backend}: ${event.reason}`);
        } else if (event.type === 'epoch') print(event.metrics);
      },
    },
  );
  console.log(BENCH_DONE);
}

const config = (window as unknown as { __REEL_BENCH__?: BenchConfig }).__REEL_BENCH__;
if (config) {
  runBench(config).catch((error: unknown) => console.log(BENCH_LINE_PREFIX + JSON.stringify({ error: describeError(error) })));
}
