/**
 * The NeuMF architecture (`neumfLayout.ts`, trained by `fusedNeuMF.ts`) as a tfjs LayersModel: the form the product saves
 * and loads with tfjs IO (IndexedDB, files). Training and bulk scoring use the fused model; the
 * two exchange weights by layer name, so a saved model scores exactly like the one trained.
 */
import * as tf from '@tensorflow/tfjs';
import type { FusedNeuMF } from './fusedNeuMF';
import type { NamedWeights, NeuMFLayout } from './neumfLayout';
import { LAYER_NAMES, neumfLayout } from './neumfLayout';
import type { NeuMFSettings } from './neumfSettings';

/**
 * Inputs `user` and `item` (int32, shape [batch, 1]); output the interaction probability,
 * shape [batch, 1]. Layer names match the fused model's weight names.
 */
export function buildTfNeuMF(numUsers: number, numItems: number, settings: NeuMFSettings): tf.LayersModel {
  const { gmfDim, mlpHalf, towerSizes } = neumfLayout(numUsers, numItems, settings);
  const user = tf.input({ shape: [1], dtype: 'int32', name: 'user' });
  const item = tf.input({ shape: [1], dtype: 'int32', name: 'item' });
  const embed = (input: tf.SymbolicTensor, rows: number, dim: number, name: string) =>
    tf.layers
      .flatten({ name: `${name}_flat` })
      .apply(tf.layers.embedding({ inputDim: rows, outputDim: dim, inputLength: 1, name }).apply(input)) as tf.SymbolicTensor;

  const predictInputs: tf.SymbolicTensor[] = [];
  if (gmfDim > 0) {
    const u = embed(user, numUsers, gmfDim, LAYER_NAMES.userGmf);
    const i = embed(item, numItems, gmfDim, LAYER_NAMES.itemGmf);
    predictInputs.push(tf.layers.multiply({ name: 'gmf_product' }).apply([u, i]) as tf.SymbolicTensor);
  }
  if (mlpHalf > 0) {
    const u = embed(user, numUsers, mlpHalf, LAYER_NAMES.userMlp);
    const i = embed(item, numItems, mlpHalf, LAYER_NAMES.itemMlp);
    let x = tf.layers.concatenate({ name: 'mlp_concat' }).apply([u, i]) as tf.SymbolicTensor;
    for (let l = 1; l < towerSizes.length; l++) {
      x = tf.layers.dense({ units: towerSizes[l], activation: 'relu', name: LAYER_NAMES.mlpDense(l - 1) }).apply(x) as tf.SymbolicTensor;
    }
    predictInputs.push(x);
  }
  const joined =
    predictInputs.length === 1
      ? predictInputs[0]
      : (tf.layers.concatenate({ name: 'neumf_concat' }).apply(predictInputs) as tf.SymbolicTensor);
  const output = tf.layers.dense({ units: 1, activation: 'sigmoid', name: LAYER_NAMES.prediction }).apply(joined) as tf.SymbolicTensor;
  return tf.model({ inputs: [user, item], outputs: output, name: `reel_${settings.model}` });
}

/** "layer/param" → the layer's name; the fused model names its weights this way. */
function layerOf(weightName: string): string {
  return weightName.slice(0, weightName.lastIndexOf('/'));
}

/** Copies the fused model's weights into `model` (built by `buildTfNeuMF` with the same settings). */
export function copyWeightsToTfModel(fused: FusedNeuMF, model: tf.LayersModel): void {
  const byLayer = new Map<string, NamedWeights>();
  for (const weight of fused.getWeights()) {
    const layer = layerOf(weight.name);
    byLayer.set(layer, [...(byLayer.get(layer) ?? []), weight]);
  }
  for (const [layer, weights] of byLayer) {
    // Each layer lists its weights in the order tfjs does: embeddings, or kernel then bias.
    const tensors = weights.map((w) => tf.tensor(w.values, w.shape, 'float32'));
    model.getLayer(layer).setWeights(tensors);
    tf.dispose(tensors);
  }
}

/** The weights of `model` (e.g. just loaded from IndexedDB), read by the names and order of `layout`. */
export function readWeightsFromTfModel(model: tf.LayersModel, layout: NeuMFLayout): NamedWeights {
  return layout.slots.map(({ name }) => {
    const layer = model.getLayer(layerOf(name));
    const param = name.slice(name.lastIndexOf('/') + 1);
    const variable = layer.weights.find((w) => w.originalName.endsWith(`/${param}`) || w.originalName === param);
    if (!variable) throw new Error(`The saved model has no weight ${name}.`);
    const tensor = variable.read();
    return { name, shape: tensor.shape, values: Float32Array.from(tensor.dataSync() as Float32Array) };
  });
}

/** Copies `model`'s weights into the fused model (built with the same settings and sizes). */
export function copyWeightsFromTfModel(model: tf.LayersModel, fused: FusedNeuMF): void {
  fused.setWeights(readWeightsFromTfModel(model, fused.layout));
}
