import type { InteractionSplit } from './interactions';
import type { IdColumn } from './ratingsTable';

/** What identifies an import's interactions: the same file, users and seed give the same split. */
export type FingerprintedSplit = InteractionSplit & { userIds: IdColumn; itemMovieIds: IdColumn };

/**
 * Values digested at a time. SubtleCrypto copies what it is given before it digests it, so whole
 * columns would cost their size again (100 MB a training column for all users of ml-25m) at the
 * import's peak; a piece bounds that copy at 16 MB of 32-bit values.
 */
export const FINGERPRINT_PIECE_VALUES = 1 << 22;

/**
 * A SHA-256 of an imported split (its users, movies and every training, validation and test row),
 * in hex. Two imports with the same fingerprint hold the same interactions, however the files
 * came (a zip or loose files, under other names), so the second need not be stored again.
 * Each piece of each column is digested alone, one after the other, and the digests once more
 * behind the columns' lengths.
 */
export async function splitFingerprint(split: FingerprintedSplit, pieceValues = FINGERPRINT_PIECE_VALUES): Promise<string> {
  const columns = [
    // Ids as 64-bit whatever their stored width, so a data set saved with 32-bit ids matches its import today.
    Float64Array.from(split.userIds),
    Float64Array.from(split.itemMovieIds),
    split.trainUsers,
    split.trainItems,
    split.validationItems,
    split.testItems,
  ];
  const lengths = Float64Array.from([split.numUsers, split.numItems, ...columns.map((column) => column.length)]);
  const digests: Uint8Array[] = [new Uint8Array(lengths.buffer)];
  for (const column of columns) {
    for (let from = 0; from < column.length; from += pieceValues) {
      const piece = unshared(column.subarray(from, from + pieceValues));
      digests.push(new Uint8Array(await crypto.subtle.digest('SHA-256', piece)));
    }
  }
  const joined = new Uint8Array(digests.reduce((n, d) => n + d.length, 0));
  let at = 0;
  for (const digest of digests) {
    joined.set(digest, at);
    at += digest.length;
  }
  const whole = new Uint8Array(await crypto.subtle.digest('SHA-256', joined));
  return Array.from(whole, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** SubtleCrypto reads no shared memory: a piece of a SharedArrayBuffer is copied first. */
function unshared(piece: Int32Array | Float64Array): ArrayBufferView<ArrayBuffer> {
  return piece.buffer instanceof ArrayBuffer ? (piece as ArrayBufferView<ArrayBuffer>) : piece.slice();
}
