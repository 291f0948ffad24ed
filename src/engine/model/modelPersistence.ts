import * as tf from '@tensorflow/tfjs';
import type { ModelRecord, NewModelRecord, StoredArtifacts } from '../../storage/db';
import { modelWeightsOf, saveModel } from '../../storage/modelStore';
import { FusedNeuMF } from './fusedNeuMF';
import { isUserEmbedding, neumfLayout, type NamedWeight } from './neumfLayout';
import { buildTfNeuMF, copyWeightsToTfModel, readWeightsFromTfModel } from './tfNeuMF';

/**
 * The trained model is always a tfjs LayersModel, saved and loaded through tfjs IO; this file is
 * the IOHandler that puts its artifacts into the app's IndexedDB (with the model record, in one
 * transaction: weights, settings and metrics are saved together or not at all).
 */

let cpuReady: Promise<void> | null = null;
/** Building and (de)serialising a LayersModel needs a backend; the cpu one is always there and enough. */
function ensureTfBackend(): Promise<void> {
  cpuReady ??= tf.setBackend('cpu').then(() => tf.ready());
  return cpuReady;
}

/** A NeuMF model record before it is saved. */
export type NewNeuMFRecord = Extract<NewModelRecord, { kind: 'neumf' }>;
/** A saved NeuMF model record. */
export type NeuMFRecord = Extract<ModelRecord, { kind: 'neumf' }>;

export async function saveFusedModel(fused: FusedNeuMF, record: NewNeuMFRecord, finishesJob = true): Promise<number> {
  await ensureTfBackend();
  const model = buildTfNeuMF(fused.numUsers, fused.numItems, fused.settings);
  try {
    copyWeightsToTfModel(fused, model);
    let saved: StoredArtifacts | null = null;
    await model.save(
      tf.io.withSaveHandler(async (artifacts) => {
        saved = {
          modelTopology: artifacts.modelTopology,
          weightSpecs: (artifacts.weightSpecs ?? []).map(({ name, shape, dtype }) => ({ name, shape, dtype })),
          weightData: tf.io.concatenateArrayBuffers(
            Array.isArray(artifacts.weightData) ? artifacts.weightData : artifacts.weightData ? [artifacts.weightData] : [],
          ),
          format: artifacts.format,
          generatedBy: artifacts.generatedBy,
          convertedBy: artifacts.convertedBy ?? null,
        };
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    if (!saved) throw new Error('tfjs did not hand over the model artifacts.');
    return await saveModel(record, { artifacts: saved }, finishesJob);
  } finally {
    model.dispose();
  }
}

/**
 * Loads a stored model through tfjs IO and into a fused model for fast scoring. `spareUsers`
 * extra user rows (zero) are added after the trained ones, for profiles folded in later.
 */
export async function loadFusedModel(record: NeuMFRecord, spareUsers = 0): Promise<FusedNeuMF> {
  await ensureTfBackend();
  const weights = await modelWeightsOf(record.id);
  if (!('artifacts' in weights)) throw new Error(`Model ${record.id} is not a NeuMF model.`);
  const artifacts = weights.artifacts;
  const model = await tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: artifacts.modelTopology as tf.io.ModelArtifacts['modelTopology'],
      weightSpecs: artifacts.weightSpecs as tf.io.WeightsManifestEntry[],
      weightData: artifacts.weightData,
    }),
  );
  try {
    const named = readWeightsFromTfModel(model, neumfLayout(record.numUsers, record.numItems, record.settings));
    const fused = new FusedNeuMF(record.numUsers + spareUsers, record.numItems, record.settings);
    fused.setWeights(named.map((w) => (isUserEmbedding(w.name) ? withZeroRows(w, spareUsers) : w)));
    return fused;
  } finally {
    model.dispose();
  }
}

/** `weight` (one row per user) with `rows` rows of zeros after its own. */
function withZeroRows(weight: NamedWeight, rows: number): NamedWeight {
  const [height, width] = weight.shape;
  const values = new Float32Array((height + rows) * width);
  values.set(weight.values);
  return { name: weight.name, shape: [height + rows, width], values };
}
