/**
 * The sparse layouts the engine reads a split in: each user's training items (what models are
 * fitted on and training negatives are drawn outside of), each item's users (the transpose), and
 * each user's every known interaction (what evaluation candidates are drawn outside of).
 *
 * `InteractionSplit` (src/data/interactions.ts) satisfies `TrainingPositives` as it is.
 */
import type { InteractionSplit } from '../../data/interactions';

export interface TrainingPositives {
  numUsers: number;
  numItems: number;
  /** Training positives, grouped by user in ascending user order. */
  trainUsers: Int32Array;
  trainItems: Int32Array;
}

/**
 * Compressed sparse rows: row r's entries are `entries[offsets[r] .. offsets[r+1])`, sorted and
 * distinct. Users → items (a user's history) or, transposed, items → users.
 */
export interface SparseRows {
  rows: number;
  /** Range of the entries (items for user rows, users for item rows). */
  columns: number;
  offsets: Int32Array;
  entries: Int32Array;
}

/** Training rows that are not grouped by user, or that name a user or item outside the counts. */
export class TrainingPositivesError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TrainingPositivesError';
  }
}

/**
 * Each user's distinct training items, sorted. Rows must already be grouped by user in
 * ascending order (as the import and the NCF reader write them); a repeated (user, item) row
 * counts once, as in a 0/1 interaction matrix.
 */
export function buildUserHistories(data: TrainingPositives): SparseRows {
  const { numUsers, numItems, trainUsers, trainItems } = data;
  if (trainUsers.length !== trainItems.length) {
    throw new TrainingPositivesError(`${trainUsers.length} training users but ${trainItems.length} training items.`);
  }
  const offsets = new Int32Array(numUsers + 1);
  const entries = new Int32Array(trainItems.length);
  let written = 0;
  let row = 0;
  while (row < trainUsers.length) {
    const user = trainUsers[row];
    if (!(user >= 0 && user < numUsers))
      throw new TrainingPositivesError(`Training row ${row} names user ${user}, outside 0..${numUsers - 1}.`);
    if (row > 0 && user < trainUsers[row - 1]) {
      throw new TrainingPositivesError(
        `Training rows are not grouped by user in ascending order (row ${row}: user ${user} after ${trainUsers[row - 1]}).`,
      );
    }
    let end = row;
    while (end < trainUsers.length && trainUsers[end] === user) end++;
    const start = written;
    for (let p = row; p < end; p++) {
      const item = trainItems[p];
      if (!(item >= 0 && item < numItems))
        throw new TrainingPositivesError(`Training row ${p} names item ${item}, outside 0..${numItems - 1}.`);
      entries[written++] = item;
    }
    const slice = entries.subarray(start, written).sort();
    let kept = slice.length > 0 ? 1 : 0;
    for (let k = 1; k < slice.length; k++) if (slice[k] !== slice[kept - 1]) slice[kept++] = slice[k];
    written = start + kept;
    offsets[user + 1] = kept;
    row = end;
  }
  for (let u = 0; u < numUsers; u++) offsets[u + 1] += offsets[u];
  return { rows: numUsers, columns: numItems, offsets, entries: written === entries.length ? entries : entries.slice(0, written) };
}

/** The transpose of `rows`: for each column, the sorted rows that contain it. */
export function transposeRows(sparse: SparseRows): SparseRows {
  const { rows, columns, offsets, entries } = sparse;
  const counts = new Int32Array(columns + 1);
  for (let p = 0; p < entries.length; p++) counts[entries[p] + 1]++;
  for (let c = 0; c < columns; c++) counts[c + 1] += counts[c];
  const fill = counts.slice(0, columns);
  const out = new Int32Array(entries.length);
  // Rows in ascending order, so every column's list comes out sorted.
  for (let r = 0; r < rows; r++) {
    for (let p = offsets[r]; p < offsets[r + 1]; p++) out[fill[entries[p]]++] = r;
  }
  return { rows: columns, columns: rows, offsets: counts, entries: out };
}

/** How many distinct users have each item in training. */
export function itemTrainingCounts(histories: SparseRows): Int32Array {
  const counts = new Int32Array(histories.columns);
  for (let p = 0; p < histories.entries.length; p++) counts[histories.entries[p]]++;
  return counts;
}

/** Row r of `sparse` as a view. */
export function rowOf(sparse: SparseRows, r: number): Int32Array {
  return sparse.entries.subarray(sparse.offsets[r], sparse.offsets[r + 1]);
}

/**
 * Each user's every known interaction: the training items plus the validation and test items
 * (sorted, distinct). Evaluation candidates are drawn outside of these, so a candidate is never
 * a hidden positive (docs/EVALUATION.md).
 */
export function knownInteractions(split: InteractionSplit, histories: SparseRows = buildUserHistories(split)): SparseRows {
  const { rows, columns } = histories;
  const heldOut = [split.validationItems, split.testItems];
  const offsets = new Int32Array(rows + 1);
  const entries = new Int32Array(histories.entries.length + heldOut.length * rows);
  let end = 0;
  for (let u = 0; u < rows; u++) {
    const start = end;
    const trained = rowOf(histories, u);
    entries.set(trained, start);
    end += trained.length;
    // A held-out item that is also a training item (possible in hand-made splits) counts once.
    for (const items of heldOut) if (items[u] >= 0 && !entries.subarray(start, end).includes(items[u])) entries[end++] = items[u];
    entries.subarray(start, end).sort();
    offsets[u + 1] = end;
  }
  return { rows, columns, offsets, entries: entries.slice(0, end) };
}
