import { describe, expect, it } from 'vitest';
import { FusedNeuMF } from '../../../../src/engine/model/fusedNeuMF';
import { paperNeuMFSettings, resolveNeuMFSettings } from '../../../../src/engine/model/neumfSettings';
import { buildUserHistories } from '../../../../src/engine/data/sparseRows';
import { sampleTrainingEpoch } from '../../../../src/engine/sampling/negatives';
import { defaultFoldInSettings, foldInUser, type FoldInSettings } from '../../../../src/engine/training/foldIn';
import { trainEpoch } from '../../../../src/engine/training/trainEpoch';
import { plantedSplit } from '../fixtures';

const split = plantedSplit(40, 120, 4, 12, 2);
const settings = resolveNeuMFSettings({ ...paperNeuMFSettings, learningRate: 0.01, seed: 3 });
/** The split's users plus one spare row, the way the ranking worker loads a model for fold-in. */
const spare = split.numUsers;

function trainedModel(): FusedNeuMF {
  const seen = buildUserHistories(split);
  const model = new FusedNeuMF(split.numUsers + 1, split.numItems, settings);
  for (let e = 1; e <= 6; e++) trainEpoch(model, sampleTrainingEpoch(split, seen, 4, e), 64);
  return model;
}
const trained = trainedModel().getWeights();

function freshModel(): FusedNeuMF {
  const model = new FusedNeuMF(split.numUsers + 1, split.numItems, settings);
  model.setWeights(trained);
  return model;
}

/** A new user who has seen some of cluster 1's training items (items 30 .. 59). */
const positives = Int32Array.from([31, 34, 38, 41, 45, 50, 52, 57]);

describe('foldInUser', () => {
  it("learns the user's taste against the frozen network", () => {
    const model = freshModel();
    const { loss } = foldInUser(model, spare, positives);
    expect(loss).toBeLessThan(0.4); // ln 2 ≈ 0.69 before learning anything

    // The rest of cluster 1 now scores above the other clusters' items.
    const unseen = Int32Array.from({ length: split.numItems }, (_, i) => i).filter((i) => !positives.includes(i));
    const scores = new Float32Array(unseen.length);
    model.predict(new Int32Array(unseen.length).fill(spare), unseen, scores);
    const mean = (inCluster: boolean) => {
      const picked = Array.from(unseen.keys()).filter((k) => (unseen[k] >= 30 && unseen[k] < 60) === inCluster);
      return picked.reduce((sum, k) => sum + scores[k], 0) / picked.length;
    };
    expect(mean(true)).toBeGreaterThan(2 * mean(false));
  });

  it("changes the user's row and nothing else", () => {
    const model = freshModel();
    foldInUser(model, spare, positives);
    const after = model.getWeights();
    for (let w = 0; w < after.length; w++) {
      const { name, shape, values } = after[w];
      if (!name.startsWith('user_')) {
        expect(values, name).toEqual(trained[w].values);
        continue;
      }
      const width = shape[1];
      expect(values.subarray(0, spare * width), name).toEqual(trained[w].values.subarray(0, spare * width));
      expect(
        values.subarray(spare * width).some((x) => x !== 0),
        name,
      ).toBe(true);
    }
  });

  it('is the same for the same seed and differs for another', () => {
    const row = (seed: number) => {
      const model = freshModel();
      foldInUser(model, spare, positives, { ...defaultFoldInSettings, epochs: 5, seed });
      return model.getUserRow(spare);
    };
    expect(row(1)).toEqual(row(1));
    expect(row(1)).not.toEqual(row(2));
  });

  it('trains on every positive with `negatives` unseen items each, one step per pass', () => {
    const batches: { users: Int32Array; items: Int32Array; labels: Float32Array }[] = [];
    class RecordingNeuMF extends FusedNeuMF {
      override trainUserRows(
        users: Int32Array,
        items: Int32Array,
        labels: Float32Array,
        start: number,
        end: number,
        learningRate: number,
      ): number {
        batches.push({ users: users.slice(start, end), items: items.slice(start, end), labels: labels.slice(start, end) });
        return super.trainUserRows(users, items, labels, start, end, learningRate);
      }
    }
    const recordingModel = new RecordingNeuMF(split.numUsers + 1, split.numItems, settings);
    recordingModel.setWeights(trained);
    const foldIn: FoldInSettings = { epochs: 3, negatives: 5, learningRate: 0.02, seed: 4 };
    foldInUser(recordingModel, spare, positives, foldIn);
    expect(batches).toHaveLength(foldIn.epochs);
    for (const { users, items, labels } of batches) {
      expect(users.every((u) => u === spare)).toBe(true);
      const positive = Array.from(items.filter((_, r) => labels[r] === 1)).sort((a, b) => a - b);
      expect(positive).toEqual(Array.from(positives));
      const negative = items.filter((_, r) => labels[r] === 0);
      expect(negative).toHaveLength(positives.length * foldIn.negatives);
      expect(negative.some((i) => positives.includes(i))).toBe(false);
    }
    expect(batches[0].items).not.toEqual(batches[1].items); // fresh negatives every pass
  });
});
