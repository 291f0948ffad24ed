import { describeError } from '../bridge/failure';
import { runImport } from '../bridge/importClient';
import { runTraining } from '../bridge/trainingClient';
import type { ModelSpec, TrainingData } from '../bridge/trainingMessages';
import { defaultImportSettings, defaultMaxUsers } from '../data/importSettings';
import { parseNcfSplit } from '../engine/data/ncfSplit';
import { EVALUATION_NEGATIVES } from '../engine/metrics/rankingMetrics';
import { resolveEaseSettings } from '../engine/baselines/easeSettings';
import { resolveIalsSettings } from '../engine/baselines/ialsSettings';
import { resolveNeuMFSettings, paperNeuMFSettings } from '../engine/model/neumfSettings';
import { EASE_LAMBDAS } from '../engine/training/baselineRun';
import type { EpochReport } from '../engine/training/trainingRun';
import { BENCH_DONE, BENCH_LINE_PREFIX, type BenchConfig } from './benchConfig';
import { benchEpochLine, benchSummaryLine } from './benchLines';

/**
 * The benchmark page: the product's own import and training workers, driven by `npm run bench`.
 * Lines go to the console, where the bench script reads them.
 */
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
  const { dataset } = await runImport({
    name: 'bench',
    input: { kind: 'urls', files: config.data.files },
    maxUsers: maxUsersOf(config.data),
    seed: config.data.seed ?? defaultImportSettings.seed,
  });
  return { data: { kind: 'dataset', datasetId: dataset.id, profiles: [] }, perUser: EVALUATION_NEGATIVES };
}

/** The users the import keeps: as the Data page would for these files, unless the bench says. */
function maxUsersOf(data: Extract<BenchConfig['data'], { kind: 'movielens' }>): number {
  if (data.maxUsers === 'all') return Infinity;
  return data.maxUsers ?? defaultMaxUsers(data.files.reduce((sum, f) => sum + f.size, 0));
}

/** The request's one model, over the product's defaults. */
function modelSpec(model: BenchConfig['model']): ModelSpec {
  switch (model.kind) {
    case 'neumf':
      return {
        kind: 'neumf',
        settings: resolveNeuMFSettings({ ...(model.paper ? paperNeuMFSettings : {}), ...model.settings }),
        backend: model.backend,
      };
    case 'itempop':
      return { kind: 'itempop' };
    case 'ease':
      return { kind: 'ease', settings: resolveEaseSettings(model.settings), lambdas: model.lambdas ?? EASE_LAMBDAS };
    case 'ials':
      return { kind: 'ials', settings: resolveIalsSettings(model.settings) };
  }
}

export async function runBench(config: BenchConfig): Promise<void> {
  const spec = modelSpec(config.model);
  const { data, perUser } = await trainingData(config);
  let backend = '';
  let threads: number | null = null;
  const print = (m: EpochReport): void => {
    const batch = spec.kind === 'neumf' ? spec.settings.batchSize : null;
    const averageEpochs = spec.kind === 'neumf' ? (spec.settings.averageEpochs ?? 0) : null;
    console.log(
      BENCH_LINE_PREFIX + JSON.stringify(benchEpochLine(m, { model: spec.kind, backend, batch, threads, average_epochs: averageEpochs })),
    );
  };
  const { runs } = await runTraining(
    { data, models: [spec], evaluationNegatives: perUser, maxFullUsers: config.maxFullUsers, save: false },
    {
      onEvent: (event) => {
        if (event.type === 'started') {
          backend = event.backend;
          threads = event.threads;
          console.log(`REEL_BENCH_INFO ${event.model} on ${event.backend}: ${event.reason}`);
        } else if (event.type === 'epoch') print(event.metrics);
      },
    },
  );
  for (const run of runs) console.log(BENCH_LINE_PREFIX + JSON.stringify(benchSummaryLine(run)));
  console.log(BENCH_DONE);
}

const config = (window as unknown as { __REEL_BENCH__?: BenchConfig }).__REEL_BENCH__;
if (config) {
  runBench(config).catch((error: unknown) => console.log(BENCH_LINE_PREFIX + JSON.stringify({ error: describeError(error) })));
}
