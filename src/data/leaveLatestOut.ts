import type { InteractionSplit } from './interactions';
import type { IdColumn, RatingsTable } from './ratingsTable';
import { lowerBound } from '../shared/lowerBound';

/** The product's train/validation/test split of implicit feedback, with the ids needed to map back to MovieLens. */
export interface LeaveLatestOutSplit extends InteractionSplit {
  /** Movies with at least one training or validation interaction: item indices 0 .. numTrainItems-1. */
  numTrainItems: number;
  /** MovieLens userId of each dense user index (ascending); any safe integer, so 64-bit. */
  userIds: Float64Array;
  /** MovieLens movieId of each dense item index; any safe integer, so 64-bit. */
  itemMovieIds: Float64Array;
  /** Users left out because they had fewer than 2 distinct movies: nothing to hold out and train on. */
  droppedUsers: number;
  /** Repeated (user, movie) rows merged into one interaction. */
  duplicateRows: number;
}

/** Room for a rank in a sort key: above MAX_KEPT_ROWS (2^25), with 2^26 * 2^25 well within exact doubles. */
const RANK_RANGE = 2 ** 26;

/**
 * Leave-latest-out: every rating is an interaction; for each user the latest one by timestamp
 * (on a tie, the larger movieId, so the result never depends on file order) is held out as the
 * test interaction, the second-latest (same order; users with at least 3 movies) as the
 * validation interaction, and the rest are training data. Users are numbered in ascending
 * MovieLens id; items are numbered in ascending movieId, training and validation movies first and
 * then movies that only occur as someone's test movie.
 *
 * `keepRow(i)` says which rows of the table take part (user subset, known movies).
 * Ids and timestamps may be any non-negative integers the parsers accept.
 */
export function leaveLatestOut(table: RatingsTable, keepRow: (row: number) => boolean): LeaveLatestOutSplit {
  const n = table.length;
  const { users, movies, timestamps } = table;

  // Dense user ids in ascending MovieLens order.
  const keptRows = new Int32Array(n);
  let kept = 0;
  for (let i = 0; i < n; i++) if (keepRow(i)) keptRows[kept++] = i;
  const distinctUsers = uniqueSorted(keptRows.subarray(0, kept), users);
  const userIndex = new Map<number, number>();
  distinctUsers.forEach((id, index) => userIndex.set(id, index));
  const numCandidates = distinctUsers.length;

  // How many kept rows each user has, as start offsets.
  const userStart = new Int32Array(numCandidates + 1);
  const rowUser = new Int32Array(kept);
  for (let k = 0; k < kept; k++) {
    const u = userIndex.get(users[keptRows[k]]) as number;
    rowUser[k] = u;
    userStart[u + 1]++;
  }
  for (let u = 0; u < numCandidates; u++) userStart[u + 1] += userStart[u];
  // Kept rows grouped by user (a counting sort).
  const grouped = new Int32Array(kept);
  const fill = userStart.slice(0, numCandidates);
  for (let k = 0; k < kept; k++) grouped[fill[rowUser[k]]++] = keptRows[k];
  // Per row one sortable key: the movie's rank among the kept movies in the high part and the
  // timestamp's rank among the user's in the low part, so sorting a user's keys orders by movie
  // and, within a movie, by time. Ranks (both below 2^25, the most rows an import keeps) keep the
  // key exact whatever the ids and timestamps are: packing the values themselves overflowed.
  const { movieIds, rankOf } = rankMovies(grouped, movies);
  const keys = new Float64Array(kept);
  for (let u = 0; u < numCandidates; u++) {
    const start = userStart[u];
    const end = userStart[u + 1];
    const times = new Float64Array(end - start);
    for (let k = start; k < end; k++) times[k - start] = timestamps[grouped[k]];
    times.sort();
    for (let k = start; k < end; k++) {
      const row = grouped[k];
      keys[k] = rankOf(movies[row]) * RANK_RANGE + lowerBound(times, timestamps[row]);
    }
  }

  // From here on movies are their ranks (ascending with movieId, below 2^25), so 32 bits hold them whatever the ids are.
  const testMovie = new Int32Array(numCandidates).fill(-1);
  const validationMovie = new Int32Array(numCandidates).fill(-1);
  const trainMovieCount = new Int32Array(numCandidates);
  // Training movies of each user, written in place over the keys' positions (as ranks).
  const trainMovies = new Int32Array(kept);
  let duplicateRows = 0;
  let droppedUsers = 0;
  for (let u = 0; u < numCandidates; u++) {
    const start = userStart[u];
    const end = userStart[u + 1];
    const userKeys = keys.subarray(start, end);
    userKeys.sort();
    // Merge repeated movies, keeping the latest time; find the latest interaction.
    let distinct = 0;
    let latestMovie = -1;
    let latestTs = -1;
    let secondMovie = -1;
    let secondTs = -1;
    for (let k = 0; k < userKeys.length; k++) {
      const movie = Math.floor(userKeys[k] / RANK_RANGE);
      const ts = userKeys[k] - movie * RANK_RANGE;
      const last = k + 1 === userKeys.length || Math.floor(userKeys[k + 1] / RANK_RANGE) !== movie;
      if (!last) {
        duplicateRows++;
        continue;
      }
      trainMovies[start + distinct++] = movie;
      // Movies ascend, so ">=" makes the larger movieId win a tie on time.
      if (ts >= latestTs) {
        secondTs = latestTs;
        secondMovie = latestMovie;
        latestTs = ts;
        latestMovie = movie;
      } else if (ts >= secondTs) {
        secondTs = ts;
        secondMovie = movie;
      }
    }
    if (distinct < 2) {
      droppedUsers++;
      continue;
    }
    testMovie[u] = latestMovie;
    if (distinct >= 3) validationMovie[u] = secondMovie;
    // Remove the held-out movies from the user's training movies (they are sorted and distinct).
    // The validation movie stays in trainMovies past the user's training count, so that it still
    // numbers among the catalogue's movies below.
    let w = start;
    for (let k = start; k < start + distinct; k++) {
      if (trainMovies[k] !== latestMovie && trainMovies[k] !== validationMovie[u]) trainMovies[w++] = trainMovies[k];
    }
    trainMovieCount[u] = w - start;
    if (validationMovie[u] >= 0) trainMovies[w] = validationMovie[u];
  }

  // Final user numbering skips the dropped users.
  const numUsers = numCandidates - droppedUsers;
  const userIds = new Float64Array(numUsers);
  let trainTotal = 0;
  for (let u = 0, v = 0; u < numCandidates; u++) {
    if (testMovie[u] < 0) continue;
    userIds[v++] = distinctUsers[u];
    trainTotal += trainMovieCount[u];
  }

  // Item numbering: training and validation movies ascending, then test-only movies ascending.
  const trainMovieSet = new Set<number>();
  for (let u = 0; u < numCandidates; u++) {
    const start = userStart[u];
    const end = start + trainMovieCount[u] + (validationMovie[u] >= 0 ? 1 : 0);
    for (let k = start; k < end; k++) trainMovieSet.add(trainMovies[k]);
  }
  const trainRanks = Int32Array.from(trainMovieSet).sort();
  const testOnly = new Set<number>();
  for (let u = 0; u < numCandidates; u++) {
    if (testMovie[u] >= 0 && !trainMovieSet.has(testMovie[u])) testOnly.add(testMovie[u]);
  }
  const testOnlyRanks = Int32Array.from(testOnly).sort();
  const itemRanks = new Int32Array(trainRanks.length + testOnlyRanks.length);
  itemRanks.set(trainRanks);
  itemRanks.set(testOnlyRanks, trainRanks.length);
  const itemMovieIds = Float64Array.from(itemRanks, (rank) => movieIds[rank]);
  const itemIndex = new Int32Array(movieIds.length).fill(-1);
  itemRanks.forEach((rank, item) => (itemIndex[rank] = item));

  const trainUsers = new Int32Array(trainTotal);
  const trainItems = new Int32Array(trainTotal);
  const testItems = new Int32Array(numUsers);
  const validationItems = new Int32Array(numUsers).fill(-1);
  let t = 0;
  for (let u = 0, v = 0; u < numCandidates; u++) {
    if (testMovie[u] < 0) continue;
    const start = userStart[u];
    // Training movies are ascending by movieId, and so are their item indices.
    for (let k = start; k < start + trainMovieCount[u]; k++) {
      trainUsers[t] = v;
      trainItems[t++] = itemIndex[trainMovies[k]];
    }
    if (validationMovie[u] >= 0) validationItems[v] = itemIndex[validationMovie[u]];
    testItems[v++] = itemIndex[testMovie[u]];
  }

  return {
    numUsers,
    numItems: itemMovieIds.length,
    numTrainItems: trainRanks.length,
    trainUsers,
    trainItems,
    validationItems,
    testItems,
    userIds,
    itemMovieIds,
    droppedUsers,
    duplicateRows,
  };
}

/** Movie ids up to this are ranked through a lookup table (MovieLens's are below 300,000, ml-100k's near 1,000,000). */
const MAX_TABLE_MOVIE_ID = 1 << 24;

/** The distinct movies of the given rows, ascending, and each one's rank among them. */
function rankMovies(rows: Int32Array, movies: IdColumn): { movieIds: Float64Array; rankOf: (movieId: number) => number } {
  let maxId = 0;
  for (let k = 0; k < rows.length; k++) maxId = Math.max(maxId, movies[rows[k]]);
  if (maxId <= MAX_TABLE_MOVIE_ID) {
    const rank = new Int32Array(maxId + 1).fill(-1);
    for (let k = 0; k < rows.length; k++) rank[movies[rows[k]]] = 0;
    let next = 0;
    for (let id = 0; id <= maxId; id++) if (rank[id] === 0) rank[id] = next++;
    const movieIds = new Float64Array(next);
    for (let id = 0; id <= maxId; id++) if (rank[id] >= 0) movieIds[rank[id]] = id;
    return { movieIds, rankOf: (movieId) => rank[movieId] };
  }
  const set = new Set<number>();
  for (let k = 0; k < rows.length; k++) set.add(movies[rows[k]]);
  const movieIds = Float64Array.from(set).sort();
  const rank = new Map<number, number>();
  movieIds.forEach((id, r) => rank.set(id, r));
  return { movieIds, rankOf: (movieId) => rank.get(movieId) as number };
}

/** Distinct values of `column` over the given rows, ascending. */
function uniqueSorted(rows: Int32Array, column: IdColumn): Float64Array {
  const set = new Set<number>();
  let previous = NaN;
  for (let k = 0; k < rows.length; k++) {
    const value = column[rows[k]];
    // Ratings files are grouped by user, so most rows repeat the previous user.
    if (value !== previous) set.add(value);
    previous = value;
  }
  return Float64Array.from(set).sort();
}
