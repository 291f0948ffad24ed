import type { ImportProgress } from '../data/importDataset';
import type { DatasetRecord } from '../storage/db';

/** Where the import worker reads from: files the person chose, or the app's provisioned files by URL. */
export type ImportInput =
  | { kind: 'files'; files: File[] }
  | { kind: 'urls'; files: { url: string; name: string; size: number }[] };

export interface ImportRequest {
  type: 'import';
  input: ImportInput;
  name: string;
  /** Infinity keeps every user. */
  maxUsers: number;
  seed: number;
}

export type ImportFailureKind = 'input' | 'storage' | 'unexpected';

export type ImportEvent =
  | { type: 'progress'; progress: ImportProgress }
  | { type: 'done'; dataset: DatasetRecord }
  | { type: 'failed'; kind: ImportFailureKind; message: string };
