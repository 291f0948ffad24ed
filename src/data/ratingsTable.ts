/**
 * Raw ratings as they stream in: MovieLens user id, movie id and timestamp in growable typed
 * columns (12 bytes a row). The rating value itself is not kept: every rating is an implicit
 * interaction. Columns grow by doubling, so appending is amortised O(1) without a JS object per row.
 */
export class RatingsTable {
  users = new Int32Array(1 << 16);
  movies = new Int32Array(1 << 16);
  timestamps = new Float64Array(1 << 16);
  length = 0;

  append(user: number, movie: number, timestamp: number): void {
    if (this.length === this.users.length) this.grow();
    const i = this.length++;
    this.users[i] = user;
    this.movies[i] = movie;
    this.timestamps[i] = timestamp;
  }

  private grow(): void {
    const capacity = this.users.length * 2;
    const users = new Int32Array(capacity);
    users.set(this.users);
    const movies = new Int32Array(capacity);
    movies.set(this.movies);
    const timestamps = new Float64Array(capacity);
    timestamps.set(this.timestamps);
    this.users = users;
    this.movies = movies;
    this.timestamps = timestamps;
  }
}
