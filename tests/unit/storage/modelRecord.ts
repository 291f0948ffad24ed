import type { NewModelRecord } from '../../../src/storage/db';

/** The smallest model record a store accepts: a most-popular model of `datasetId` with no epochs. */
export function modelRecord(datasetId: number, createdAt: number): NewModelRecord {
  return {
    datasetId,
    createdAt,
    kind: 'itempop',
    settings: null,
    backend: 'test',
    numUsers: 1,
    numItems: 1,
    datasetUsers: 1,
    profileUsers: [],
    epochs: [],
    bestEpoch: 0,
    trainSeconds: 0,
  };
}
