import { expect } from 'vitest';
import type { TrainingThreads } from '../../../../src/engine/training/trainingThreads';

/**
 * Scores `pairs` (user, item) pairs and every user's whole catalogue through `threads.scoringModel()`
 * (shared blocks, every thread), then the same on thread 0's model alone, and expects the same
 * numbers (catalogues compared for `checkedUsers`). The shared scoring goes first, so nothing the
 * model alone does before it can hide a difference.
 */
export function expectSharedScoresAsAlone(threads: TrainingThreads, pairs: number, checkedUsers: number[]): void {
  const { numUsers, numItems } = threads.model;
  const scoring = threads.scoringModel();
  const users = Int32Array.from({ length: pairs }, (_, r) => (r * 7) % numUsers);
  const items = Int32Array.from({ length: pairs }, (_, r) => (r * 13) % numItems);
  const [shared, alone] = [new Float32Array(pairs), new Float32Array(pairs)];
  scoring.scorePairs!(users, items, shared);
  const everyone = Int32Array.from({ length: numUsers }, (_, u) => u);
  const block = new Float32Array(numUsers * numItems);
  scoring.scoreUsers!(everyone, block);

  threads.model.predict(users, items, alone);
  expect(shared).toEqual(alone);
  const one = new Float32Array(numItems);
  for (const u of checkedUsers) {
    threads.model.scoreUser(u, one);
    expect(block.subarray(u * numItems, (u + 1) * numItems)).toEqual(one);
  }
}
