/**
 * The product's measures of what the top-10 lists look like as a whole (docs/EVALUATION.md), beside
 * HR@10 / NDCG@10 which only ask whether the held-out movie made it:
 * - coverage@10: distinct movies over all evaluated users' top-10 lists / movies in the catalogue;
 * - top-100 share@10: the share of all top-10 slots taken by the 100 most popular movies.
 * A model that recommends the same blockbusters to everyone has low coverage and a high share.
 */
import { CUTOFF } from './rankingMetrics';

/** How many of the most popular movies count as "blockbusters" in the top-100 share. */
export const POPULAR_HEAD = 100;

/** Marks the `head` most popular items (ties: the smaller item first, so the set is stable). */
export function popularHead(popularity: Int32Array, head = POPULAR_HEAD): Uint8Array {
  const order = Array.from({ length: popularity.length }, (_, i) => i);
  order.sort((a, b) => popularity[b] - popularity[a] || a - b);
  const mask = new Uint8Array(popularity.length);
  for (let k = 0; k < Math.min(head, order.length); k++) mask[order[k]] = 1;
  return mask;
}

/** Running coverage@10 and top-100 share@10 over top-10 lists. */
export class TopListAccumulator {
  readonly #recommended: Uint8Array;
  readonly #popular: Uint8Array;
  #distinct = 0;
  #slots = 0;
  #popularSlots = 0;

  constructor(numItems: number, popular: Uint8Array) {
    this.#recommended = new Uint8Array(numItems);
    this.#popular = popular;
  }

  /** One user's list: `items[0 .. length)` (at most CUTOFF are counted). */
  addList(items: ArrayLike<number>, length = items.length): void {
    for (let k = 0; k < Math.min(length, CUTOFF); k++) {
      const item = items[k];
      if (!this.#recommended[item]) {
        this.#recommended[item] = 1;
        this.#distinct++;
      }
      this.#slots++;
      this.#popularSlots += this.#popular[item];
    }
  }

  get coverage10(): number {
    return this.#recommended.length === 0 ? 0 : this.#distinct / this.#recommended.length;
  }

  get top100Share10(): number {
    return this.#slots === 0 ? 0 : this.#popularSlots / this.#slots;
  }
}
