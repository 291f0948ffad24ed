import type { ImportProgress } from '../data/importDataset';
import type { ImportSettings } from '../data/importSettings';
import type { DatasetRecord } from '../storage/db';

/** Where the import worker reads from: files the person chose, or the app's provisioned files by URL. */
export type ImportInput = { kind: 'files'; files: File[] } | { kind: 'urls'; files: { url: string; name: string; size: number }[] };

/** One import job: its events are progress reports, its result the saved data set. */
export interface ImportRequest extends ImportSettings {
  input: ImportInput;
  name: string;
}

export type ImportEvent = ImportProgress;
/** The saved data set; `alreadyImported`: an earlier import held the same interactions, and that one is active again. */
export interface ImportResult {
  dataset: DatasetRecord;
  alreadyImported: boolean;
}
