/**
 * Most popular (ItemPop): every user gets the same ranking, by how many users have the item in
 * training. The floor any personal model must clear.
 */
import type { CatalogueScorer } from './catalogueScorer';
import { checkScoresLength } from './catalogueScorer';
import type { TrainingPositives } from '../data/sparseRows';
import { buildUserHistories, itemTrainingCounts } from '../data/sparseRows';

export interface ItemPopParameters {
  kind: 'itempop';
  /** Distinct training users per item; the score. */
  counts: Int32Array;
}

export class ItemPopModel implements CatalogueScorer {
  readonly numItems: number;

  constructor(private readonly counts: Int32Array) {
    this.numItems = counts.length;
  }

  scoreUser(_user: number, out: Float32Array): void {
    this.scoreHistory(new Int32Array(0), out);
  }

  scoreHistory(_items: Int32Array, out: Float32Array): void {
    checkScoresLength(this, out);
    for (let i = 0; i < this.numItems; i++) out[i] = this.counts[i];
  }

  exportParameters(): ItemPopParameters {
    return { kind: 'itempop', counts: this.counts.slice() };
  }

  static fromParameters(parameters: ItemPopParameters): ItemPopModel {
    return new ItemPopModel(parameters.counts.slice());
  }
}

export function fitItemPop(data: TrainingPositives): ItemPopModel {
  return new ItemPopModel(itemTrainingCounts(buildUserHistories(data)));
}
