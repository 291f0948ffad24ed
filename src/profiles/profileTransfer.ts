import { describeError } from '../bridge/failure';
import { cleanName, nameKey, profileNameProblem, suggestProfileName } from '../storage/profileRules';

/**
 * A profile as a file a person can keep or carry to another browser: its name, history and
 * watch-list, keyed by MovieLens movieId (titles ride along so the file reads on its own).
 * Pure functions: building the file, reading one back, and planning the profile a file would create.
 */

export const PROFILE_FORMAT = 'reel-profile';
export const PROFILE_VERSION = 1;

export interface ProfileFileMovie {
  movieId: number;
  title?: string;
  /** Milliseconds since 1970, as the app stores it. */
  addedAt: number;
}

export interface ProfileFile {
  format: typeof PROFILE_FORMAT;
  version: typeof PROFILE_VERSION;
  name: string;
  /** ISO 8601. */
  exportedAt: string;
  history: ProfileFileMovie[];
  watchlist: ProfileFileMovie[];
  /** Whether the person had pressed Finish on this history (absent in older files: not finished). */
  historyFinished?: boolean;
  /** Movies the person said are "not for me" (absent in older files: none). */
  notForMe?: ProfileFileMovie[];
}

/** A file that cannot be read as a profile; `message` is shown as it is. */
export class ProfileFileError extends Error {
  override readonly name = 'ProfileFileError';
}

interface StoredMovie {
  movieId: number;
  addedAt: number;
}

export function exportProfile(
  name: string,
  history: readonly StoredMovie[],
  watchlist: readonly StoredMovie[],
  titleOf: (movieId: number) => string | undefined,
  now: Date = new Date(),
  notForMe: readonly StoredMovie[] = [],
): ProfileFile {
  const entry = ({ movieId, addedAt }: StoredMovie): ProfileFileMovie => {
    const title = titleOf(movieId);
    return title === undefined ? { movieId, addedAt } : { movieId, title, addedAt };
  };
  return {
    format: PROFILE_FORMAT,
    version: PROFILE_VERSION,
    name,
    exportedAt: now.toISOString(),
    history: history.map(entry),
    watchlist: watchlist.map(entry),
    notForMe: notForMe.map(entry),
  };
}

/** "reel-profile-ana-2025-11-25.json": safe on every file system, recognisable in a downloads folder. */
export function profileFileName(name: string, now: Date = new Date()): string {
  const slug =
    name
      .normalize('NFKD')
      .replace(/\p{M}/gu, '')
      .replace(/[^\p{L}\p{N}]+/gu, '-')
      .replace(/^-+|-+$/g, '')
      .toLowerCase() || 'profile';
  return `reel-profile-${slug}-${now.toISOString().slice(0, 10)}.json`;
}

/** Larger than any real profile file (a history of every MovieLens movie is ~6 MB). */
export const MAX_PROFILE_FILE_CHARS = 20_000_000;
const MAX_LISTED_PROBLEMS = 5;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readMovies(value: unknown, list: SkippedMovie['list'], problems: string[]): ProfileFileMovie[] {
  if (!Array.isArray(value)) {
    problems.push(`"${list}" must be a list of movies.`);
    return [];
  }
  const movies: ProfileFileMovie[] = [];
  value.forEach((item: unknown, i) => {
    const where = `${list}[${i}]`;
    if (!isRecord(item)) return problems.push(`${where} must be an object with a movieId.`);
    const { movieId, title, addedAt } = item;
    if (typeof movieId !== 'number' || !Number.isSafeInteger(movieId) || movieId <= 0) {
      return problems.push(`${where}: movieId must be a positive whole number (got ${JSON.stringify(movieId) ?? 'nothing'}).`);
    }
    if (title !== undefined && typeof title !== 'string') return problems.push(`${where}: title must be text.`);
    if (typeof addedAt !== 'number' || !Number.isFinite(addedAt) || addedAt < 0) {
      return problems.push(`${where}: addedAt must be a time in milliseconds (got ${JSON.stringify(addedAt) ?? 'nothing'}).`);
    }
    movies.push(title === undefined ? { movieId, addedAt } : { movieId, title, addedAt });
  });
  return movies;
}

/** Why a file that is not JSON was chosen, in words: most often a data set file picked by mistake. */
function notJsonReason(text: string): string {
  const start = text.trimStart();
  if (start.length === 0) return 'the file is empty.';
  if (/^[\w"]+[,\t:|]/.test(start)) return 'it looks like a table of data (such as a MovieLens file), not a profile saved by Reel.';
  return 'it is not in the format Reel saves profiles in (JSON), or it was cut short.';
}

/** The largest profile file read: checked before reading, so a huge file is never loaded whole. */
export const MAX_PROFILE_FILE_BYTES = 16 * 1024 * 1024;

/** Reads a profile file a person picked: its size first, then its text (parseProfileFile). */
export async function readProfileFile(file: Pick<Blob, 'size' | 'text'>): Promise<ProfileFile> {
  if (file.size > MAX_PROFILE_FILE_BYTES) {
    throw new ProfileFileError(
      `This file is too large to be a Reel profile (${(file.size / 1024 / 1024).toFixed(0)} MB; a profile file is at most ` +
        `${MAX_PROFILE_FILE_BYTES / 1024 / 1024} MB). Check that it is the right file.`,
    );
  }
  return parseProfileFile(await file.text());
}

/** Reads a profile file's text, or throws a ProfileFileError that says what is wrong with it. */
export function parseProfileFile(text: string): ProfileFile {
  if (text.length > MAX_PROFILE_FILE_CHARS) throw new ProfileFileError('This file is too large to be a Reel profile.');
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    // The parser's own words ("Unexpected token 'o'") mean nothing to the person who picked the file.
    throw new ProfileFileError(`This is not a Reel profile file: ${notJsonReason(text)}`);
  }
  if (!isRecord(data) || data.format !== PROFILE_FORMAT) {
    throw new ProfileFileError(
      'This is not a Reel profile file: it holds data, but not a profile saved by Reel (Export on the Profiles page makes one).',
    );
  }
  if (data.version !== PROFILE_VERSION) {
    const version = typeof data.version === 'number' ? data.version : (JSON.stringify(data.version) ?? 'missing');
    throw new ProfileFileError(`This profile file is version ${version}; this Reel reads version ${PROFILE_VERSION}.`);
  }
  const problems: string[] = [];
  if (typeof data.name !== 'string' || data.name.trim().length === 0) problems.push('"name" must be the profile\'s name.');
  if (typeof data.exportedAt !== 'string') problems.push('"exportedAt" must be a date.');
  const history = readMovies(data.history, 'history', problems);
  const watchlist = readMovies(data.watchlist, 'watchlist', problems);
  const notForMe = data.notForMe === undefined ? [] : readMovies(data.notForMe, 'notForMe', problems);
  if (problems.length > 0) {
    const shown = problems.slice(0, MAX_LISTED_PROBLEMS).join(' ');
    const more = problems.length > MAX_LISTED_PROBLEMS ? ` (and ${problems.length - MAX_LISTED_PROBLEMS} more problems)` : '';
    throw new ProfileFileError(`This profile file is damaged: ${shown}${more}`);
  }
  if (data.historyFinished !== undefined && typeof data.historyFinished !== 'boolean') {
    throw new ProfileFileError('This profile file is damaged: "historyFinished" must be true or false.');
  }
  const parsed: ProfileFile = {
    format: PROFILE_FORMAT,
    version: PROFILE_VERSION,
    name: (data.name as string).trim(),
    exportedAt: data.exportedAt as string,
    history,
    watchlist,
    notForMe,
  };
  return data.historyFinished === undefined ? parsed : { ...parsed, historyFinished: data.historyFinished };
}

export interface SkippedMovie {
  movieId: number;
  title?: string;
  list: 'history' | 'watchlist' | 'notForMe';
}

export type ProfileFilePlan =
  /** The name is taken: the caller asks whether to create the profile as `suggested` instead. */
  | { kind: 'duplicate-name'; name: string; suggested: string }
  | { kind: 'invalid-name'; message: string }
  | {
      kind: 'ready';
      name: string;
      history: ProfileFileMovie[];
      watchlist: ProfileFileMovie[];
      notForMe: ProfileFileMovie[];
      /** Movies the active catalogue does not have: reported, not added. */
      skipped: SkippedMovie[];
    };

/**
 * The profile `file` would create, against the current profiles and catalogue. `name` overrides the
 * file's (after a duplicate-name answer). A movie listed twice counts once; a movie both seen and
 * on the watch-list stays in the history only, as in the app.
 */
export function planProfileFromFile(
  file: ProfileFile,
  existing: { takenNameKeys: readonly string[]; catalogueMovieIds: ReadonlySet<number> },
  name: string = file.name,
): ProfileFilePlan {
  const problem = profileNameProblem(name, existing.takenNameKeys);
  if (problem !== null) {
    if (existing.takenNameKeys.includes(nameKey(name))) {
      return { kind: 'duplicate-name', name: cleanName(name), suggested: suggestProfileName(name, existing.takenNameKeys) };
    }
    return { kind: 'invalid-name', message: problem };
  }
  const skipped: SkippedMovie[] = [];
  const seen = new Set<number>();
  const keep = (movies: readonly ProfileFileMovie[], list: SkippedMovie['list']): ProfileFileMovie[] =>
    movies.filter((movie) => {
      if (seen.has(movie.movieId)) return false;
      seen.add(movie.movieId);
      if (existing.catalogueMovieIds.has(movie.movieId)) return true;
      skipped.push(movie.title === undefined ? { movieId: movie.movieId, list } : { movieId: movie.movieId, title: movie.title, list });
      return false;
    });
  const history = keep(file.history, 'history');
  const watchlist = keep(file.watchlist, 'watchlist');
  const notForMe = keep(file.notForMe ?? [], 'notForMe');
  return { kind: 'ready', name: cleanName(name), history, watchlist, notForMe, skipped };
}
