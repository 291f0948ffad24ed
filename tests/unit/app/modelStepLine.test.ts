import { describe, expect, it } from 'vitest';
import { modelStepLine } from '../../../src/app/state/modelStepLine';
import type { EpochReport } from '../../../src/engine/training/trainingRun';

/** Reports of epochs 0 .. last (only the epoch number matters to the line). */
const epochsUpTo = (last: number) => Array.from({ length: last + 1 }, (_, epoch) => ({ epoch }) as EpochReport);

describe('modelStepLine', () => {
  it('names the NeuMF epoch being trained, as the progress line does, not the last one done', () => {
    // Before the untrained model is evaluated, and while epoch 1 trains after it: epoch 1.
    expect(modelStepLine({ kind: 'neumf', state: 'training', epochs: [], fraction: null })).toBe('NeuMF: epoch 1');
    expect(modelStepLine({ kind: 'neumf', state: 'training', epochs: epochsUpTo(0), fraction: null })).toBe('NeuMF: epoch 1');
    expect(modelStepLine({ kind: 'neumf', state: 'training', epochs: epochsUpTo(6), fraction: null })).toBe('NeuMF: epoch 7');
  });

  it('says where the other models stand, and which is waiting, saving or done', () => {
    expect(modelStepLine({ kind: 'ials', state: 'training', epochs: epochsUpTo(2).slice(1), fraction: 0.4 })).toBe('iALS: epoch 3');
    expect(modelStepLine({ kind: 'ease', state: 'training', epochs: epochsUpTo(1).slice(1), fraction: 0.1 })).toBe('EASE: trying λ 2');
    expect(modelStepLine({ kind: 'itempop', state: 'training', epochs: [], fraction: null })).toBe('Most popular: counting');
    expect(modelStepLine({ kind: 'neumf', state: 'waiting', epochs: [], fraction: null })).toBe('NeuMF: waiting');
    expect(modelStepLine({ kind: 'neumf', state: 'saving', epochs: epochsUpTo(9), fraction: null })).toBe('NeuMF: saving');
    expect(modelStepLine({ kind: 'ease', state: 'done', epochs: [], fraction: null })).toBe('EASE: done');
  });
});
