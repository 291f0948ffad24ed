/**
 * Archives that lie, for the import's unit and browser tests: `zip` with the uncompressed size in
 * `name`'s local header set to `size`, so only inflating tells how large the file is.
 */
export function declaringSize(zip: Uint8Array, name: string, size: number): Uint8Array {
  const copy = zip.slice();
  const view = new DataView(copy.buffer);
  for (let at = 0; at + 30 < copy.length; at++) {
    if (view.getUint32(at, true) !== 0x04034b50) continue;
    const nameLength = view.getUint16(at + 26, true);
    if (new TextDecoder().decode(copy.subarray(at + 30, at + 30 + nameLength)) === name) {
      view.setUint32(at + 22, size, true);
      return copy;
    }
  }
  throw new Error(`${name} is not in the archive`);
}
