/**
 * "Why this film": the movies of a person's history most often watched by the same people as the
 * recommended one, in the data set (cosine over who watched what: |both| / √(|one| · |other|)).
 * The same for every model, and in words a person can check: "people who watched these watched it".
 */
import type { SparseRows } from '../engine/data/sparseRows';

/** History movies named per recommendation. */
export const REASONS_PER_FILM = 2;

/**
 * The `count` items of `history` whose watchers overlap most with `item`'s (`itemUsers`: each item's
 * sorted users), best first; items nobody watched together with it are left out.
 */
export function becauseYouWatched(itemUsers: SparseRows, item: number, history: ArrayLike<number>, count = REASONS_PER_FILM): number[] {
  const scored: { item: number; similarity: number }[] = [];
  const watchers = (i: number) => itemUsers.entries.subarray(itemUsers.offsets[i], itemUsers.offsets[i + 1]);
  const target = watchers(item);
  if (target.length === 0) return [];
  for (let k = 0; k < history.length; k++) {
    const other = history[k];
    if (other === item || other < 0 || other >= itemUsers.rows) continue;
    const theirs = watchers(other);
    const both = sortedOverlap(target, theirs);
    if (both > 0) scored.push({ item: other, similarity: both / Math.sqrt(target.length * theirs.length) });
  }
  scored.sort((a, b) => b.similarity - a.similarity || a.item - b.item);
  return scored.slice(0, count).map((s) => s.item);
}

/** How many values two sorted arrays share. */
function sortedOverlap(a: Int32Array, b: Int32Array): number {
  let i = 0;
  let j = 0;
  let both = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      both++;
      i++;
      j++;
    } else if (a[i] < b[j]) i++;
    else j++;
  }
  return both;
}
