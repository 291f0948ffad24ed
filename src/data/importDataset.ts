import { Unzip, UnzipInflate, UnzipPassThrough } from 'fflate';
import { EVALUATION_NEGATIVES } from '../engine/metrics/rankingMetrics';
import { ImportError } from './importError';
import { leaveLatestOut, type LeaveLatestOutSplit } from './leaveLatestOut';
import type { MovieInfo } from './movieInfo';
import { baseName, layoutOf, missingMoviesMessage, noRatingsFileMessage, type FileLayout, type MovieLensFormat } from './movieLensFormats';
import { MAX_SMALL_FILE_BYTES, readLinks, readMovies, smallFileTooLarge, type MovieLinks } from './moviesReader';
import { RatingsReader, type SkippedRows } from './ratingsReader';

/** Anything that streams bytes and has a name: a File, or a fetched file of the provisioned data set. */
export interface ByteSource {
  readonly name: string;
  readonly size: number;
  stream(): ReadableStream<Uint8Array>;
}

export interface ImportOptions {
  /** Keep a seeded random subset of at most this many users; Infinity keeps everyone. */
  maxUsers: number;
  seed: number;
  onProgress?: (progress: ImportProgress) => void;
  /** The fewest movies a data set may have; MIN_MOVIES unless a test of the pipeline says otherwise. */
  minMovies?: number;
}

/**
 * The evaluation ranks each held-out movie among 99 movies its user has not seen (as NCF does), so a
 * data set with fewer movies can be neither evaluated nor sensibly trained: it is refused at import.
 */
export const MIN_MOVIES = EVALUATION_NEGATIVES + 1;

export interface ImportProgress {
  phase: 'reading' | 'splitting' | 'saving';
  bytesDone: number;
  bytesTotal: number;
  rows: number;
}

/** A movie of the recommendable catalogue: one with at least one training interaction. */
export interface CatalogueMovie extends MovieInfo {
  /** Dense item index used by the model. */
  item: number;
  imdbId: string | null;
  tmdbId: number | null;
  /** Training and validation interactions with this movie: how many people in the data set saw it. */
  popularity: number;
}

export interface ImportCounts {
  format: MovieLensFormat;
  rows: number;
  skippedRows: number;
  /** Why the broken rows (skippedRows less unknownMovieRows) were skipped; absent in data sets imported before it was counted. */
  skippedReasons?: SkippedRows;
  unknownMovieRows: number;
  usersInFile: number;
  users: number;
  droppedUsers: number;
  movies: number;
  train: number;
  /** Absent in data sets imported before validation existed. */
  validation?: number;
  test: number;
}

export interface ImportedDataset {
  split: LeaveLatestOutSplit;
  catalogue: CatalogueMovie[];
  counts: ImportCounts;
  parseSeconds: number;
  splitSeconds: number;
}

/** Users who rate movies the movies file does not list are kept; the rows are not, unless most are such rows. */
const MAX_UNKNOWN_MOVIE_SHARE = 0.5;

/**
 * The product's import: reads MovieLens files (loose or zipped, any supported format, detected by
 * name), streams the ratings through the seeded user sample, splits leave-latest-out and builds
 * the catalogue over the training movies. Pure of storage: the caller saves the result.
 */
export async function importDataset(sources: ByteSource[], options: ImportOptions): Promise<ImportedDataset> {
  const started = performance.now();
  const collector = new FileCollector(options);
  const bytesTotal = sources.reduce((sum, s) => sum + s.size, 0);
  let bytesDone = 0;
  const report = (): void => options.onProgress?.({ phase: 'reading', bytesDone, bytesTotal, rows: collector.ratings?.rows ?? 0 });

  for (const source of sources) {
    if (isZip(source.name)) {
      await readZip(source, collector, (n) => {
        bytesDone += n;
        report();
      });
    } else {
      const layout = layoutOf(source.name);
      if (!layout) {
        bytesDone += source.size;
        continue;
      }
      const sink = collector.open(source.name, layout, source.size);
      let read = 0;
      for await (const chunk of iterate(source.stream())) {
        sink.write(chunk);
        read += chunk.byteLength;
        bytesDone += chunk.byteLength;
        report();
      }
      // A stream that ends early must not pass for the end of the file.
      if (read !== source.size) throw incomplete(baseName(source.name), read, source.size);
      sink.end();
    }
  }
  const parsed = collector.finish(sources);
  const parseSeconds = (performance.now() - started) / 1000;

  options.onProgress?.({ phase: 'splitting', bytesDone: bytesTotal, bytesTotal, rows: parsed.reader.rows });
  const splitStarted = performance.now();
  const { reader, movies, links } = parsed;
  const table = reader.table;
  let unknownMovieRows = 0;
  let keptRows = 0;
  const split = leaveLatestOut(table, (row) => {
    if (!reader.sample.isKept(table.users[row])) return false;
    keptRows++;
    if (movies.has(table.movies[row])) return true;
    unknownMovieRows++;
    return false;
  });
  if (keptRows > 0 && unknownMovieRows > keptRows * MAX_UNKNOWN_MOVIE_SHARE) {
    throw new ImportError(
      `${parsed.ratingsName} rates movies that ${parsed.moviesName} does not list (${unknownMovieRows.toLocaleString('en')} of ` +
        `${keptRows.toLocaleString('en')} ratings): the two files do not belong together.`,
      parsed.ratingsName,
    );
  }
  if (split.numUsers === 0) {
    throw new ImportError(`${parsed.ratingsName} has no user with at least 2 ratings: there is nothing to train on.`);
  }
  const minMovies = options.minMovies ?? MIN_MOVIES;
  if (split.numItems < minMovies) {
    throw new ImportError(
      `This data set is too small to train and evaluate on: its ratings cover ${split.numItems.toLocaleString('en')} ` +
        `${split.numItems === 1 ? 'movie' : 'movies'} (${split.numUsers.toLocaleString('en')} ${split.numUsers === 1 ? 'user' : 'users'} ` +
        `with a held-out movie), and ranking a held-out movie among ${EVALUATION_NEGATIVES} others needs at least ` +
        `${minMovies.toLocaleString('en')} movies.`,
      parsed.ratingsName,
    );
  }
  const catalogue = buildCatalogue(split, movies, links);
  const splitSeconds = (performance.now() - splitStarted) / 1000;

  return {
    split,
    catalogue,
    parseSeconds,
    splitSeconds,
    counts: {
      format: parsed.format,
      rows: reader.rows,
      skippedRows: reader.skippedRows + unknownMovieRows,
      skippedReasons: reader.skipped,
      unknownMovieRows,
      usersInFile: reader.sample.usersSeen,
      users: split.numUsers,
      droppedUsers: split.droppedUsers,
      movies: split.numTrainItems,
      train: split.trainItems.length,
      validation: split.validationItems.reduce((n, item) => n + (item >= 0 ? 1 : 0), 0),
      test: split.testItems.length,
    },
  };
}

function buildCatalogue(split: LeaveLatestOutSplit, movies: Map<number, MovieInfo>, links: Map<number, MovieLinks>): CatalogueMovie[] {
  // Everyone who saw it outside the test part: training and validation interactions.
  const popularity = new Int32Array(split.numTrainItems);
  for (let i = 0; i < split.trainItems.length; i++) popularity[split.trainItems[i]]++;
  for (const item of split.validationItems) if (item >= 0) popularity[item]++;
  const catalogue: CatalogueMovie[] = [];
  for (let item = 0; item < split.numTrainItems; item++) {
    const movieId = split.itemMovieIds[item];
    const info = movies.get(movieId) as MovieInfo;
    const link = links.get(movieId);
    catalogue.push({
      ...info,
      item,
      imdbId: link?.imdbId ?? null,
      tmdbId: link?.tmdbId ?? null,
      popularity: popularity[item],
    });
  }
  return catalogue;
}

export interface ByteSink {
  write(bytes: Uint8Array): void;
  end(): void;
}

/** Routes each recognised file to its reader and checks, at the end, that the files make one data set. */
class FileCollector {
  ratings: RatingsReader | undefined;
  private ratingsName = '';
  private readonly small = new Map<'movies' | 'links', { name: string; layout: FileLayout; chunks: Uint8Array[] }>();
  private readonly formats = new Set<MovieLensFormat>();

  constructor(private readonly options: ImportOptions) {}

  /** `declaredSize`: the size the file or its archive entry says it has, when it says one. */
  open(path: string, layout: FileLayout, declaredSize?: number): ByteSink {
    const name = baseName(path);
    this.formats.add(layout.format);
    if (this.formats.size > 1) {
      throw new ImportError(`${name} belongs to a different MovieLens format than the other files: import one data set at a time.`, name);
    }
    if (layout.role === 'ratings') {
      if (this.ratings)
        throw new ImportError(`Two ratings files were given (${this.ratingsName} and ${name}): import one data set at a time.`, name);
      this.ratings = new RatingsReader(name, layout, this.options.maxUsers, this.options.seed);
      this.ratingsName = name;
      return this.ratings;
    }
    // Movies and links files are read whole: their size is checked before and while reading.
    if (declaredSize !== undefined && declaredSize > MAX_SMALL_FILE_BYTES) throw smallFileTooLarge(name, declaredSize);
    const entry = { name, layout, chunks: [] as Uint8Array[] };
    this.small.set(layout.role, entry);
    let bytes = 0;
    return {
      write: (chunk) => {
        bytes += chunk.byteLength;
        if (bytes > MAX_SMALL_FILE_BYTES) throw smallFileTooLarge(name, bytes);
        entry.chunks.push(chunk.slice());
      },
      end: () => undefined,
    };
  }

  finish(sources: ByteSource[]): {
    reader: RatingsReader;
    format: MovieLensFormat;
    ratingsName: string;
    moviesName: string;
    movies: Map<number, MovieInfo>;
    links: Map<number, MovieLinks>;
  } {
    const given = sources.map((s) => s.name).join(', ');
    const fromZip = sources.some((s) => isZip(s.name));
    if (!this.ratings) throw new ImportError(noRatingsFileMessage(given, fromZip), given);
    const movieFile = this.small.get('movies');
    const [format] = this.formats;
    if (!movieFile) throw new ImportError(missingMoviesMessage(format, this.ratingsName), this.ratingsName);
    const movies = readMovies(movieFile.name, movieFile.layout, concat(movieFile.chunks));
    const linkFile = this.small.get('links');
    const links = linkFile ? readLinks(linkFile.name, linkFile.layout, concat(linkFile.chunks)) : new Map<number, MovieLinks>();
    return { reader: this.ratings, format, ratingsName: this.ratingsName, moviesName: movieFile.name, movies, links };
  }
}

function isZip(name: string): boolean {
  return name.toLowerCase().endsWith('.zip');
}

/**
 * Compressed bytes handed to the inflater at a time. Deflate expands at most ~1,032 times, so one
 * push inflates to at most ~17 MB: a small archive that inflates to gigabytes (a zip bomb) arrives
 * in bounded pieces instead of one buffer of hundreds of MB.
 */
export const ZIP_PUSH_BYTES = 16 * 1024;

/** A recognised archive entry as it inflates, piece by piece; `readZip` hands each piece to the collector. */
export type ZipEntrySink = (name: string, layout: FileLayout, declaredSize: number | undefined) => ByteSink;

/** Streams a zip archive through fflate, handing each recognised entry to its reader as it inflates. */
async function readZip(source: ByteSource, collector: FileCollector, onBytes: (n: number) => void): Promise<void> {
  await inflateZip(source, (name, layout, declaredSize) => collector.open(name, layout, declaredSize), onBytes);
}

/**
 * Inflates the recognised entries of a zip archive in bounded pieces (ZIP_PUSH_BYTES of input at a
 * time) into the sinks `open` gives, and checks that each entry inflated to the size its header
 * declares, when it declares one.
 */
export async function inflateZip(source: ByteSource, open: ZipEntrySink, onBytes: (n: number) => void = () => undefined): Promise<void> {
  let failure: unknown;
  /** Entries begun and not yet inflated to their end: an archive that stops inside one is cut short. */
  const unfinished = new Set<string>();
  const unzip = new Unzip((entry) => {
    const layout = layoutOf(entry.name);
    if (!layout || baseName(entry.name).startsWith('._')) return;
    let sink: ByteSink;
    try {
      sink = open(entry.name, layout, entry.originalSize);
    } catch (error) {
      failure ??= error;
      return;
    }
    let inflated = 0;
    unfinished.add(entry.name);
    entry.ondata = (error, data, final) => {
      if (failure) return;
      try {
        if (error) throw new ImportError(`${source.name} is damaged: ${entry.name} could not be unpacked (${error.message}).`, source.name);
        inflated += data.byteLength;
        sink.write(data);
        if (final) {
          if (entry.originalSize !== undefined && inflated !== entry.originalSize) {
            throw new ImportError(
              `${source.name} is damaged: ${entry.name} says it holds ${entry.originalSize.toLocaleString('en')} bytes but ` +
                `unpacks to ${inflated.toLocaleString('en')}.`,
              source.name,
            );
          }
          unfinished.delete(entry.name);
          sink.end();
        }
      } catch (e) {
        failure ??= e;
      }
    };
    entry.start();
  });
  unzip.register(UnzipInflate);
  unzip.register(UnzipPassThrough);
  let sawBytes = false;
  let read = 0;
  try {
    for await (const chunk of iterate(source.stream())) {
      if (!sawBytes && !(chunk[0] === 0x50 && chunk[1] === 0x4b)) {
        throw new ImportError(`${source.name} is not a zip archive.`, source.name);
      }
      sawBytes = true;
      for (let start = 0; start < chunk.byteLength; start += ZIP_PUSH_BYTES) {
        unzip.push(chunk.subarray(start, start + ZIP_PUSH_BYTES), false);
        if (failure) throw failure;
      }
      read += chunk.byteLength;
      onBytes(chunk.byteLength);
    }
    if (read !== source.size) throw incomplete(source.name, read, source.size);
    unzip.push(new Uint8Array(0), true);
  } catch (error) {
    if (error instanceof ImportError) throw error;
    throw new ImportError(
      `${source.name} could not be read as a zip archive: it is damaged or incomplete (${(error as Error).message}).`,
      source.name,
    );
  }
  if (failure) throw failure;
  if (!sawBytes) throw new ImportError(`${source.name} is empty.`, source.name);
  const [cut] = unfinished;
  if (cut !== undefined) throw new ImportError(`${source.name} is damaged: it ends in the middle of ${cut}.`, source.name);
}

function incomplete(name: string, read: number, size: number): ImportError {
  return new ImportError(
    `${name} could not be read to its end (${read.toLocaleString('en')} of ${size.toLocaleString('en')} bytes): ` +
      'the file may have changed or be on a disconnected drive. Try again.',
    name,
  );
}

async function* iterate(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      if (value && value.byteLength > 0) yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const total = chunks.reduce((n, c) => n + c.byteLength, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}
