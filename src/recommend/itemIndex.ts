/**
 * MovieLens movieIds to the model's item indices of one stored data set (the import numbers the
 * items, in leaveLatestOut). The workers and the recommendations turn movies into items here only.
 */
export type ItemOfMovie = ReadonlyMap<number, number>;

/** From a stored split's `itemMovieIds` (item i is movie itemMovieIds[i]). */
export function itemOfMovieMap(itemMovieIds: ArrayLike<number>): Map<number, number> {
  const itemOfMovie = new Map<number, number>();
  for (let item = 0; item < itemMovieIds.length; item++) itemOfMovie.set(itemMovieIds[item], item);
  return itemOfMovie;
}

/**
 * The distinct items of a history, in first-seen order. Movies the data set does not have are
 * left out: a history is kept across data sets, and each learns from the part it knows.
 */
export function historyItems(itemOfMovie: ItemOfMovie, movieIds: Iterable<number>): Int32Array {
  const items = new Set<number>();
  for (const movieId of movieIds) {
    const item = itemOfMovie.get(movieId);
    if (item !== undefined) items.add(item);
  }
  return Int32Array.from(items);
}

/** The item of every candidate, in order. Candidates come from the data set's catalogue, so a stranger is an error. */
export function candidateItems(itemOfMovie: ItemOfMovie, movieIds: ArrayLike<number>): Int32Array {
  const items = new Int32Array(movieIds.length);
  for (let i = 0; i < movieIds.length; i++) {
    const item = itemOfMovie.get(movieIds[i]);
    if (item === undefined) throw new Error(`Movie ${movieIds[i]} is not in the data set the model was trained on.`);
    items[i] = item;
  }
  return items;
}
