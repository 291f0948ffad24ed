import type { InteractionSplit } from './interactions';
import type { IdColumn } from './ratingsTable';

/** What identifies an import's interactions: the same file, users and seed give the same split. */
export type FingerprintedSplit = InteractionSplit & { userIds: IdColumn; itemMovieIds: IdColumn };

/**
 * A SHA-256 of an imported split (its users, movies and every training, validation and test row),
 * in hex. Two imports with the same fingerprint hold the same interactions, however the files
 * came (a zip or loose files, under other names), so the second need not be stored again.
 * SubtleCrypto is the browser's own and reads typed arrays without a copy; each column is digested
 * alone and the digests once more, so no buffer the size of the whole split is ever made.
 */
export async function splitFingerprint(split: FingerprintedSplit): Promise<string> {
  const columns = [
    Float64Array.of(split.numUsers, split.numItems),
    // Ids as 64-bit whatever their stored width, so a data set saved with 32-bit ids matches its import today.
    Float64Array.from(split.userIds),
    Float64Array.from(split.itemMovieIds),
    split.trainUsers,
    split.trainItems,
    split.validationItems,
    split.testItems,
  ];
  const digests = await Promise.all(columns.map((column) => crypto.subtle.digest('SHA-256', unshared(column))));
  const joined = new Uint8Array(digests.length * 32);
  digests.forEach((digest, k) => joined.set(new Uint8Array(digest), k * 32));
  const whole = new Uint8Array(await crypto.subtle.digest('SHA-256', joined));
  return Array.from(whole, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** SubtleCrypto reads no shared memory: a column in a SharedArrayBuffer is copied first. */
function unshared(column: Int32Array | Float64Array): ArrayBufferView<ArrayBuffer> {
  return column.buffer instanceof ArrayBuffer ? (column as ArrayBufferView<ArrayBuffer>) : column.slice();
}
