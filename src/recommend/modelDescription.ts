import { RECOMMENDER_NAMES } from '../bridge/trainingMessages';
import { EVALUATION_NEGATIVES } from '../engine/metrics/rankingMetrics';
import type { EpochReport } from '../engine/training/trainingRun';
import type { ModelRecord } from '../storage/db';

/** A model's name with the settings that tell it apart, e.g. "NeuMF (GMF 64 + MLP 32-16-8)" or "EASE (λ 300)". */
export function describeModel(model: ModelRecord): string {
  const name = RECOMMENDER_NAMES[model.kind];
  switch (model.kind) {
    case 'neumf': {
      const s = model.settings;
      if (s.model === 'gmf') return `${name} (GMF path only, ${s.gmfDim} factors)`;
      if (s.model === 'mlp') return `${name} (MLP path only, ${s.mlpLayers.join('-')})`;
      const paths = `GMF ${s.gmfDim} + MLP ${s.mlpLayers.join('-')}`;
      return `${name} (${s.model === 'neumf-pretrained' ? 'pre-trained, ' : ''}${paths})`;
    }
    case 'ease':
      return `${name} (λ ${model.settings.lambda})`;
    case 'ials':
      return `${name} (${model.settings.dimension} factors)`;
    case 'itempop':
      return name;
  }
}

/** The report of the epoch (or step) whose weights the model kept. */
export function keptEpoch(model: ModelRecord): EpochReport | null {
  return model.epochs.find((e) => e.epoch === model.bestEpoch) ?? null;
}

/** How the kept epoch (or setting) was chosen, for the line under a model's figures. */
export function keptEpochRule(model: ModelRecord): string {
  if (model.kind === 'itempop') return 'nothing to choose';
  if (model.kind === 'ease')
    return `its regularisation λ = ${model.settings.lambda} ranked the validation movies best of ${model.epochs.length} values tried`;
  const rule =
    model.kind === 'neumf' && model.epochChoice === 'smoothed'
      ? `epoch ${model.bestEpoch} was kept: the best on validation NDCG@10, with the epochs either side counted at half weight`
      : `epoch ${model.bestEpoch} was kept: the best on validation NDCG@10`;
  const averaged = model.kind === 'neumf' && model.bestEpoch > 0 ? (model.settings.averageEpochs ?? 0) : 0;
  return averaged > 0 ? `${rule}; its weights are averaged over about the last ${averaged} of an epoch's updates` : rule;
}

/**
 * A kept epoch's test hit rates in words a movie fan can check ("for 61 of every 100 people here,
 * the movie they watched last makes its top 10 …"), with the figures after them for those who know
 * them. Among random movies the share is the original app's metric (docs/EVALUATION.md).
 */
export function describeHitRates(epoch: Pick<EpochReport, 'hr10' | 'fullHr10'>): string {
  const perHundred = (rate: number) => Math.round(rate * 100);
  const sampled = `for ${perHundred(epoch.hr10)} of every 100 people here, the movie they watched last makes its top 10 when mixed with ${EVALUATION_NEGATIVES} random movies they had not seen (HR@10 ${formatFigure(epoch.hr10)})`;
  if (epoch.fullHr10 === null || !Number.isFinite(epoch.fullHr10)) return `In a test, ${sampled}.`;
  return `In a test, ${sampled}; among every movie, for ${perHundred(epoch.fullHr10)} of 100 (${formatFigure(epoch.fullHr10)}).`;
}

/** A figure for a table: 3 decimals, or a dash where it was not measured. */
export function formatFigure(value: number | null | undefined, digits = 3): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '—' : value.toFixed(digits);
}
