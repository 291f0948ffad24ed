import type { ModelWeightsRecord } from '../../../src/storage/db';

/**
 * The weights of a NeuMF with two users and three items, GMF only, 2 numbers a user row:
 * users [1, 2] and [3, 4], then the items. Enough to see which user rows a save kept or zeroed.
 */
export function twoUserWeights(): Omit<Extract<ModelWeightsRecord, { artifacts: unknown }>, 'modelId'> {
  return {
    artifacts: {
      modelTopology: {},
      weightSpecs: [
        { name: 'user_gmf_embedding/embeddings', shape: [2, 2], dtype: 'float32' },
        { name: 'item_gmf_embedding/embeddings', shape: [3, 1], dtype: 'float32' },
      ],
      weightData: Float32Array.from([1, 2, 3, 4, 5, 6, 7]).buffer,
    },
  };
}
