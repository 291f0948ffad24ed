/**
 * EASE settings (Steck, "Embarrassingly Shallow Autoencoders for Sparse Data", WWW 2019): one
 * typed object with defaults, the UI's messages for bad values, a typed error.
 */
import { resolveSettings } from '../../shared/settings';

export interface EaseSettings {
  /** L2 penalty λ added to the diagonal of XᵀX. */
  lambda: number;
  /**
   * Largest side of the one dense matrix the fit inverts: items × items, or users × users when
   * there are fewer users. It costs 8·s² bytes during the fit (12·s² at its peak) and about s³
   * flops, so this is the bound on a tab's memory and patience. When both sides are larger, EASE
   * is fitted over the `maxSize` most popular items and the rest of the catalogue scores below them.
   */
  maxSize: number;
}

/**
 * Largest `maxSize` accepted: 8·s² bytes must stay well inside a tab's memory (16,000: 2 GB during
 * the fit, 1 GB of weights after it).
 */
export const EASE_MAX_SIZE_LIMIT = 16_000;

/**
 * λ 300: best or level on ml-100k and ml-latest-small (ml-1m: 500 by a hair). Size 4,000: ml-1m's
 * 3,706 items whole; on a 20,000-user ml-25m subset the 4,000 most popular items, ~11 s of one core
 * and ~200 MB (docs/BASELINES.md).
 */
export const defaultEaseSettings: Readonly<EaseSettings> = Object.freeze({
  lambda: 300,
  maxSize: 4_000,
});

/** Human-readable problems with `settings`; empty when they can be fitted with. */
export function findEaseSettingsProblems(settings: EaseSettings): string[] {
  const problems: string[] = [];
  if (!(typeof settings.lambda === 'number' && Number.isFinite(settings.lambda) && settings.lambda > 0)) {
    problems.push('EASE λ must be a number above 0, e.g. 300.');
  }
  const maxSize = settings.maxSize;
  if (!(typeof maxSize === 'number' && Number.isInteger(maxSize) && maxSize >= 1 && maxSize <= EASE_MAX_SIZE_LIMIT)) {
    problems.push(`EASE's matrix size limit must be a whole number from 1 to ${EASE_MAX_SIZE_LIMIT.toLocaleString('en')}.`);
  }
  return problems;
}

/** Defaults overlaid with `overrides`, validated; throws `InvalidSettingsError` ("Invalid EASE settings: …"). */
export function resolveEaseSettings(overrides: Partial<EaseSettings> = {}): EaseSettings {
  return resolveSettings(defaultEaseSettings, overrides, findEaseSettingsProblems, 'EASE');
}
