/**
 * EASE settings (Steck, "Embarrassingly Shallow Autoencoders for Sparse Data", WWW 2019): one
 * typed object with defaults, the UI's messages for bad values, a typed error.
 */

export interface EaseSettings {
  /** L2 penalty λ added to the diagonal of XᵀX. */
  lambda: number;
  /**
   * EASE is fitted over at most this many items, the most popular ones; the rest of a larger
   * catalogue scores below every fitted item (in order of popularity). The fit holds an
   * n×n Float64 matrix (8·n² bytes, 12·n² at its peak) and takes about n³ flops, so this is
   * the bound on a tab's memory and patience.
   */
  maxItems: number;
}

/**
 * Largest `maxItems` accepted: 8·n² bytes must stay well inside a tab's memory (16,000 items:
 * 2 GB during the fit, 1 GB of weights after it).
 */
export const EASE_MAX_ITEMS_LIMIT = 16_000;

export const defaultEaseSettings: Readonly<EaseSettings> = Object.freeze({
  lambda: 300,
  maxItems: 4_000,
});

export class InvalidEaseSettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid EASE settings: ${problems.join(' ')}`);
    this.name = 'InvalidEaseSettingsError';
  }
}

/** Human-readable problems with `settings`; empty when they can be fitted with. */
export function findEaseSettingsProblems(settings: EaseSettings): string[] {
  const problems: string[] = [];
  if (!(typeof settings.lambda === 'number' && Number.isFinite(settings.lambda) && settings.lambda > 0)) {
    problems.push('EASE λ must be a number above 0, e.g. 300.');
  }
  const maxItems = settings.maxItems;
  if (!(typeof maxItems === 'number' && Number.isInteger(maxItems) && maxItems >= 1 && maxItems <= EASE_MAX_ITEMS_LIMIT)) {
    problems.push(`EASE's item limit must be a whole number from 1 to ${EASE_MAX_ITEMS_LIMIT.toLocaleString('en')}.`);
  }
  return problems;
}

/** Defaults overlaid with `overrides`, validated. */
export function resolveEaseSettings(overrides: Partial<EaseSettings> = {}): EaseSettings {
  const settings: EaseSettings = { ...defaultEaseSettings, ...overrides };
  const problems = findEaseSettingsProblems(settings);
  if (problems.length > 0) throw new InvalidEaseSettingsError(problems);
  return settings;
}
