/**
 * An import failure a person can meet. `message` is what the page shows: it names the file
 * and the problem. Anything else thrown during an import is a bug and is reported as such.
 */
export class ImportError extends Error {
  override readonly name = 'ImportError';
  constructor(
    message: string,
    /** The file the problem is in, when there is one. */
    readonly file?: string,
  ) {
    super(message);
  }
}
