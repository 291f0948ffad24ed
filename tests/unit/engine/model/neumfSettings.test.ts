import { describe, expect, it } from 'vitest';
import {
  defaultNeuMFSettings,
  defaultThreads,
  findSettingsProblems,
  paperNeuMFSettings,
  resolveNeuMFSettings,
} from '../../../../src/engine/model/neumfSettings';
import { InvalidSettingsError } from '../../../../src/shared/settings';

describe('NeuMF settings', () => {
  it('defaults to the set-up chosen on validation (docs/BENCHMARKS.md)', () => {
    expect(resolveNeuMFSettings()).toEqual({
      model: 'neumf',
      gmfDim: 64,
      mlpLayers: [16, 8],
      negatives: 16,
      batchSize: 1024,
      learningRate: 0.001,
      l2: 0.001,
      epochs: 50,
      patience: 5,
      seed: 2017,
      threads: defaultThreads(),
      averageEpochs: 0.2,
    });
    expect(findSettingsProblems({ ...defaultNeuMFSettings })).toEqual([]);
    // The frozen default layers are copied: the settings returned are the caller's to change.
    expect(Object.isFrozen(resolveNeuMFSettings().mlpLayers)).toBe(false);
  });

  it('trains on all cores but one by default, at least one; settings saved before threads existed stay valid', () => {
    const cores = typeof navigator === 'object' ? navigator.hardwareConcurrency : 1;
    expect(defaultThreads()).toBe(Math.max(1, cores - 1));
    expect(findSettingsProblems({ ...defaultNeuMFSettings, threads: undefined })).toEqual([]);
    expect(findSettingsProblems({ ...defaultNeuMFSettings, threads: 0 })).toEqual(['Threads must be a whole number from 1 to 64.']);
  });

  it('averages the weights over a fifth of an epoch by default, not in the paper set-up; settings saved before averaging existed stay valid', () => {
    expect(resolveNeuMFSettings({ ...paperNeuMFSettings }).averageEpochs).toBe(0);
    expect(findSettingsProblems({ ...defaultNeuMFSettings, averageEpochs: undefined })).toEqual([]);
    expect(findSettingsProblems({ ...defaultNeuMFSettings, averageEpochs: 0 })).toEqual([]);
    for (const bad of [-1, 11, Number.NaN])
      expect(findSettingsProblems({ ...defaultNeuMFSettings, averageEpochs: bad })).toEqual([
        'Epochs averaged over must be a number from 0 (no averaging) to 10, e.g. 0.2.',
      ]);
  });

  it('explains what is wrong in words a person can act on', () => {
    const problems = findSettingsProblems({ ...defaultNeuMFSettings, mlpLayers: [63, 32], batchSize: 0, learningRate: 2 });
    expect(problems).toHaveLength(3);
    expect(problems.join(' ')).toMatch(/first MLP layer must be even/);
    expect(() => resolveNeuMFSettings({ epochs: -1 })).toThrow(InvalidSettingsError);
    expect(() => resolveNeuMFSettings({ epochs: -1 })).toThrow('Invalid model settings: Epochs must be a whole number of at least 1.');
  });

  it('ignores the MLP layers of a GMF-only model', () => {
    expect(findSettingsProblems({ ...defaultNeuMFSettings, model: 'gmf', mlpLayers: [] })).toEqual([]);
  });
});
