import type { TrainingBackend } from '../engine/backends/chooseBackend';
import { defaultNeuMFSettings, type NeuMFSettings } from '../engine/model/neumfSettings';
import { db } from './db';
import type { RecommenderChoice } from './modelStore';
import { storageWrite } from './storageWrite';

/** Every setting the app keeps in the `settings` table, with the type of its value. */
interface SettingValues {
  activeDatasetId: number;
  activeProfileId: number;
  /** Only the settings changed from the defaults (saveTrainingChoice). */
  trainingSettings: Partial<NeuMFSettings>;
  trainingBackend: TrainingBackend;
  trainingBaselines: boolean;
  /** Which model the Recommend page ranks with ('best': the one that ranks validation best). */
  recommenderChoice: RecommenderChoice;
}

type SettingKey = keyof SettingValues;

/**
 * The stored value, or null. The value is as it was written, possibly by an older version of the
 * app: callers that can meet an old shape check it.
 */
export async function readSetting<K extends SettingKey>(key: K): Promise<SettingValues[K] | null> {
  const record = await db.settings.get(key);
  return record === undefined ? null : (record.value as SettingValues[K]);
}

export async function writeSetting<K extends SettingKey>(key: K, value: SettingValues[K]): Promise<void> {
  await storageWrite(() => db.settings.put({ key, value }));
}

export async function clearSetting(key: SettingKey): Promise<void> {
  await storageWrite(() => db.settings.delete(key));
}

/** What the Train page offers: the model's settings and where to train. */
export interface TrainingChoice {
  settings: NeuMFSettings;
  backend: TrainingBackend;
  /** Fit the baselines (most popular, EASE, iALS) beside NeuMF, so the best of them recommends. */
  baselines: boolean;
}

export function defaultTrainingChoice(): TrainingChoice {
  return { settings: { ...defaultNeuMFSettings, mlpLayers: [...defaultNeuMFSettings.mlpLayers] }, backend: 'auto', baselines: true };
}

/** The choice of the last training started here, over the defaults: a setting added since keeps its default. */
export async function savedTrainingChoice(): Promise<TrainingChoice> {
  const defaults = defaultTrainingChoice();
  const [settings, backend, baselines] = await Promise.all([
    readSetting('trainingSettings'),
    readSetting('trainingBackend'),
    readSetting('trainingBaselines'),
  ]);
  return {
    settings: { ...defaults.settings, ...settings },
    backend: backend ?? defaults.backend,
    baselines: baselines ?? defaults.baselines,
  };
}

/**
 * Remembers the settings a person changed from the defaults, and only those: when a new version
 * of the app tunes its defaults, every setting left alone gets the new default.
 */
export async function saveTrainingChoice(choice: TrainingChoice): Promise<void> {
  const defaults = defaultTrainingChoice().settings;
  const changed = Object.fromEntries(
    Object.entries(choice.settings).filter(
      ([key, value]) => JSON.stringify(value) !== JSON.stringify(defaults[key as keyof NeuMFSettings]),
    ),
  ) as Partial<NeuMFSettings>;
  await storageWrite(() =>
    db.transaction('rw', db.settings, async () => {
      await writeSetting('trainingSettings', changed);
      await writeSetting('trainingBackend', choice.backend);
      await writeSetting('trainingBaselines', choice.baselines);
    }),
  );
}

/** The model the person picked for recommendations, or 'best' (the default). */
export async function recommenderChoice(): Promise<RecommenderChoice> {
  return (await readSetting('recommenderChoice')) ?? 'best';
}

export async function chooseRecommender(choice: RecommenderChoice): Promise<void> {
  await writeSetting('recommenderChoice', choice);
}
