import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { defaultNeuMFSettings } from '../../../src/engine/model/neumfSettings';
import { db } from '../../../src/storage/db';
import {
  clearSetting,
  defaultTrainingChoice,
  readSetting,
  savedTrainingChoice,
  saveTrainingChoice,
  writeSetting,
} from '../../../src/storage/settingsStore';

beforeEach(async () => {
  await db.delete();
  await db.open();
});

describe('settings', () => {
  it('are read back as written, and null when absent', async () => {
    expect(await readSetting('activeProfileId')).toBeNull();
    await writeSetting('activeProfileId', 3);
    expect(await readSetting('activeProfileId')).toBe(3);
    await clearSetting('activeProfileId');
    expect(await readSetting('activeProfileId')).toBeNull();
  });

  it('offer the defaults for training until a choice is saved, then that choice', async () => {
    expect(await savedTrainingChoice()).toEqual({ settings: { ...defaultNeuMFSettings }, backend: 'auto', baselines: true });
    const choice = { settings: { ...defaultNeuMFSettings, epochs: 3, mlpLayers: [32, 16] }, backend: 'fused' as const, baselines: false };
    await saveTrainingChoice(choice);
    expect(await savedTrainingChoice()).toEqual(choice);
  });

  it('remember only the settings changed from the defaults, so retuned defaults reach everyone else', async () => {
    await saveTrainingChoice({ settings: { ...defaultNeuMFSettings, epochs: 3 }, backend: 'auto', baselines: true });
    expect(await readSetting('trainingSettings')).toEqual({ epochs: 3 });
  });

  it('fill a setting an older version did not save with its default', async () => {
    const { learningRate: _dropped, ...older } = { ...defaultNeuMFSettings, epochs: 5 };
    await db.settings.put({ key: 'trainingSettings', value: older });
    expect((await savedTrainingChoice()).settings).toEqual({ ...defaultNeuMFSettings, epochs: 5 });
  });

  it('give each caller its own default layers, so editing one never edits the defaults', () => {
    const choice = defaultTrainingChoice();
    choice.settings.mlpLayers.push(4);
    expect(defaultTrainingChoice().settings.mlpLayers).toEqual([...defaultNeuMFSettings.mlpLayers]);
  });
});
