/**
 * How work in a worker fails, in one typed shape for every worker: the kind says what the person
 * can do about it, the message is the sentence the page shows.
 * - 'cancelled': the person stopped it (only ever decided on the page's side);
 * - 'input': what the person gave cannot be used (a wrong file);
 * - 'storage': the browser refused to store more;
 * - 'unexpected': a bug or a broken browser; the message says what was being done.
 */
export type FailureKind = 'cancelled' | 'input' | 'storage' | 'unexpected';

/** What a worker posts when its work fails. */
export interface Failure {
  kind: Exclude<FailureKind, 'cancelled'>;
  message: string;
}

/** The one error the worker bridge rejects with. */
export class WorkerFailed extends Error {
  override readonly name = 'WorkerFailed';
  constructor(
    readonly kind: FailureKind,
    message: string,
  ) {
    super(message);
  }
}

/** The message of anything thrown: an Error's message, or the thrown value as text. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  const message = (error as { message?: unknown } | null | undefined)?.message;
  return typeof message === 'string' ? message : String(error);
}
