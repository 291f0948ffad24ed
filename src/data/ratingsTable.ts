/**
 * A column of MovieLens ids: 32-bit while every id fits (12 bytes a row for the whole table, as
 * MovieLens's ids are all below 300,000), 64-bit floats once one does not (any safe integer).
 */
export type IdColumn = Int32Array | Float64Array;

/** Largest id a 32-bit column holds. */
const INT32_MAX = 2147483647;

/**
 * Raw ratings as they stream in: MovieLens user id, movie id and timestamp in growable typed
 * columns. The rating value itself is not kept: every rating is an implicit interaction. Columns
 * grow by doubling, so appending is amortised O(1) without a JS object per row; an id column is
 * widened to 64 bits the first time an id above 2^31 − 1 arrives, so odd files cost memory, not rows.
 */
export class RatingsTable {
  users: IdColumn = new Int32Array(1 << 16);
  movies: IdColumn = new Int32Array(1 << 16);
  timestamps = new Float64Array(1 << 16);
  length = 0;

  append(user: number, movie: number, timestamp: number): void {
    if (this.length === this.users.length) this.grow();
    if (user > INT32_MAX && this.users instanceof Int32Array) this.users = widen(this.users);
    if (movie > INT32_MAX && this.movies instanceof Int32Array) this.movies = widen(this.movies);
    const i = this.length++;
    this.users[i] = user;
    this.movies[i] = movie;
    this.timestamps[i] = timestamp;
  }

  private grow(): void {
    const capacity = this.users.length * 2;
    this.users = resized(this.users, capacity);
    this.movies = resized(this.movies, capacity);
    this.timestamps = resized(this.timestamps, capacity);
  }
}

function widen(column: Int32Array): Float64Array {
  return Float64Array.from(column);
}

function resized<T extends Int32Array | Float64Array>(column: T, capacity: number): T {
  const out = (column instanceof Int32Array ? new Int32Array(capacity) : new Float64Array(capacity)) as T;
  out.set(column);
  return out;
}
