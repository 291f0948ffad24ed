import { SeededRandom } from '../../shared/random';
import type { FusedNeuMF } from '../model/fusedNeuMF';

/**
 * Fold-in: learns one user's embedding rows (GMF and MLP user vectors) against a frozen network,
 * from that user's positives and freshly sampled negatives. This is how a profile gets
 * personal recommendations seconds after editing its history, without a full retrain.
 */
export interface FoldInSettings {
  /** Passes over the positives (each with fresh negatives). */
  epochs: number;
  negatives: number;
  learningRate: number;
  seed: number;
}

/** Enough to converge a 40-number vector; measured with `npm run bench:foldin`. */
export const defaultFoldInSettings: Readonly<FoldInSettings> = Object.freeze({ epochs: 60, negatives: 4, learningRate: 0.02, seed: 1 });

/** Same scale as the trainer's own embedding initialisation (normal, std 0.01). */
const INIT_STD = 0.01;

export function foldInUser(
  model: FusedNeuMF,
  user: number,
  positives: Int32Array,
  settings: FoldInSettings = defaultFoldInSettings,
): { loss: number; seconds: number } {
  const started = performance.now();
  const rng = new SeededRandom(settings.seed);
  const width = model.rowWidth;
  const row = new Float32Array(width);
  for (let k = 0; k < width; k++) row[k] = rng.nextGaussian() * INIT_STD;
  model.setUserRow(user, row);
  model.resetUserRowOptimiser(user);

  const seen = new Set(positives);
  const perEpoch = positives.length * (1 + settings.negatives);
  const users = new Int32Array(perEpoch).fill(user);
  const items = new Int32Array(perEpoch);
  const labels = new Float32Array(perEpoch);
  let loss = 0;
  for (let epoch = 0; epoch < settings.epochs; epoch++) {
    let r = 0;
    for (let p = 0; p < positives.length; p++) {
      items[r] = positives[p];
      labels[r++] = 1;
      for (let n = 0; n < settings.negatives; n++) {
        let item: number;
        do item = rng.nextInt(model.numItems);
        while (seen.has(item));
        items[r] = item;
        labels[r++] = 0;
      }
    }
    // One step per pass: the rows all belong to one user, so one batch is the whole signal.
    loss = model.trainUserRows(users, items, labels, 0, perEpoch, settings.learningRate);
  }
  return { loss, seconds: (performance.now() - started) / 1000 };
}
