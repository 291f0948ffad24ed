import { RECOMMENDER_NAMES } from '../bridge/trainingMessages';
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

/** A figure for a table: 3 decimals, or a dash where it was not measured. */
export function formatFigure(value: number | null | undefined, digits = 3): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '—' : value.toFixed(digits);
}
