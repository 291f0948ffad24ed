import type { InteractionSplit } from './interactions';
import type { RatingsTable } from './ratingsTable';

/** The product's train/validation/test split of implicit feedback, with the ids needed to map back to MovieLens. */
export interface LeaveLatestOutSplit extends InteractionSplit {
  /** Movies with at least one training or validation interaction: item indices 0 .. numTrainItems-1. */
  numTrainItems: number;
  /** MovieLens userId of each dense user index (ascending). */
  userIds: Int32Array;
  /** MovieLens movieId of each dense item index. */
  itemMovieIds: Int32Array;
  /** Users left out because they had fewer than 2 distinct movies: nothing to hold out and train on. */
  droppedUsers: number;
  /** Repeated (user, movie) rows merged into one interaction. */
  duplicateRows: number;
}

const TS_RANGE = 4294967296;

/**
 * Leave-latest-out: every rating is an interaction; for each user the latest one by timestamp
 * (on a tie, the larger movieId, so the result never depends on file order) is held out as the
 * test interaction, the second-latest (same order; users with at least 3 movies) as the
 * validation interaction, and the rest are training data. Users are numbered in ascending
 * MovieLens id; items are numbered in ascending movieId, training and validation movies first and
 * then movies that only occur as someone's test movie.
 *
 * `keepRow(i)` says which rows of the table take part (user subset, known movies).
 * Timestamps must be integers in [0, 2^32), which the parsers guarantee.
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

  // Counting sort of the kept rows by user.
  const userStart = new Int32Array(numCandidates + 1);
  const rowUser = new Int32Array(kept);
  for (let k = 0; k < kept; k++) {
    const u = userIndex.get(users[keptRows[k]]) as number;
    rowUser[k] = u;
    userStart[u + 1]++;
  }
  for (let u = 0; u < numCandidates; u++) userStart[u + 1] += userStart[u];
  // Per row one sortable key: movieId in the high part, timestamp in the low part, so sorting a
  // user's keys orders by movie and, within a movie, by time.
  const keys = new Float64Array(kept);
  const fill = userStart.slice(0, numCandidates);
  for (let k = 0; k < kept; k++) {
    const row = keptRows[k];
    keys[fill[rowUser[k]]++] = movies[row] * TS_RANGE + timestamps[row];
  }

  const testMovie = new Int32Array(numCandidates).fill(-1);
  const validationMovie = new Int32Array(numCandidates).fill(-1);
  const trainMovieCount = new Int32Array(numCandidates);
  // Training movies of each user, written in place over the keys' positions (as movieIds).
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
      const movie = Math.floor(userKeys[k] / TS_RANGE);
      const ts = userKeys[k] - movie * TS_RANGE;
      const last = k + 1 === userKeys.length || Math.floor(userKeys[k + 1] / TS_RANGE) !== movie;
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
  const userIds = new Int32Array(numUsers);
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
  const trainMovieIds = Int32Array.from(trainMovieSet).sort();
  const testOnly = new Set<number>();
  for (let u = 0; u < numCandidates; u++) {
    if (testMovie[u] >= 0 && !trainMovieSet.has(testMovie[u])) testOnly.add(testMovie[u]);
  }
  const testOnlyIds = Int32Array.from(testOnly).sort();
  const itemMovieIds = new Int32Array(trainMovieIds.length + testOnlyIds.length);
  itemMovieIds.set(trainMovieIds);
  itemMovieIds.set(testOnlyIds, trainMovieIds.length);
  const itemIndex = new Map<number, number>();
  itemMovieIds.forEach((movieId, item) => itemIndex.set(movieId, item));

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
      trainItems[t++] = itemIndex.get(trainMovies[k]) as number;
    }
    if (validationMovie[u] >= 0) validationItems[v] = itemIndex.get(validationMovie[u]) as number;
    testItems[v++] = itemIndex.get(testMovie[u]) as number;
  }

  return {
    numUsers,
    numItems: itemMovieIds.length,
    numTrainItems: trainMovieIds.length,
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

/** Distinct values of `column` over the given rows, ascending. */
function uniqueSorted(rows: Int32Array, column: Int32Array): Int32Array {
  const set = new Set<number>();
  let previous = NaN;
  for (let k = 0; k < rows.length; k++) {
    const value = column[rows[k]];
    // Ratings files are grouped by user, so most rows repeat the previous user.
    if (value !== previous) set.add(value);
    previous = value;
  }
  return Int32Array.from(set).sort();
}
