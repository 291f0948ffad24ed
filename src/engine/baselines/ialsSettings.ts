/**
 * iALS settings in the formulation of Rendle, Krichene, Zhang & Koren, "Revisiting the
 * Performance of iALS on Item Recommendation Benchmarks" (RecSys 2022): one typed object with
 * defaults, the UI's messages for bad values, a typed error.
 *
 *   L = Σ_{(u,i) observed} (⟨w_u, h_i⟩ − 1)²  +  α₀ Σ_u Σ_i ⟨w_u, h_i⟩²
 *       + λ Σ_u (|I_u| + α₀·|I|)^ν ‖w_u‖²  +  λ Σ_i (|U_i| + α₀·|U|)^ν ‖h_i‖²
 */
import { resolveSettings } from '../../shared/settings';

/** 'cholesky': each user/item system solved exactly. 'cg': `cgSteps` conjugate-gradient steps from the previous value. */
export type IalsSolver = 'cholesky' | 'cg';

export interface IalsSettings {
  /** Embedding dimension d. */
  dimension: number;
  /** α₀: the weight of every unobserved (user, item) pair, applied through the Gramian. */
  alpha0: number;
  /** λ: L2 regularisation, scaled per row by (frequency + α₀·count)^ν. */
  lambda: number;
  /** ν in [0, 1]: 0 is a plain λ, 1 scales it fully with each row's weight. */
  nu: number;
  /** Initial embeddings are normal with standard deviation `initStdev / √d`. */
  initStdev: number;
  epochs: number;
  solver: IalsSolver;
  /** Conjugate-gradient steps per row and half-epoch (solver 'cg' only). */
  cgSteps: number;
  seed: number;
}

/**
 * From a quick search on the NCF splits of ml-100k, ml-latest-small and ml-1m (docs/BASELINES.md):
 * α₀ 0.1 and λ 0.01 were best or level on all three; d 32–128 and 8–16 epochs within noise of each other.
 */
export const defaultIalsSettings: Readonly<IalsSettings> = Object.freeze({
  dimension: 64,
  alpha0: 0.1,
  lambda: 0.01,
  nu: 1,
  initStdev: 0.1,
  epochs: 10,
  solver: 'cholesky',
  cgSteps: 3,
  seed: 2022,
});

function isPositiveInteger(x: unknown): x is number {
  return typeof x === 'number' && Number.isInteger(x) && x > 0;
}

function isNumberAtLeastZero(x: unknown): x is number {
  return typeof x === 'number' && Number.isFinite(x) && x >= 0;
}

/** Human-readable problems with `settings`; empty when they can be fitted with. */
export function findIalsSettingsProblems(settings: IalsSettings): string[] {
  const problems: string[] = [];
  if (!(isPositiveInteger(settings.dimension) && settings.dimension <= 1024)) {
    problems.push('iALS dimension must be a whole number from 1 to 1024, e.g. 64.');
  }
  if (!isNumberAtLeastZero(settings.alpha0)) problems.push('iALS unobserved weight α₀ must be a number of at least 0, e.g. 0.1.');
  // λ > 0 keeps every user's and item's system positive definite, however few its positives.
  if (!(isNumberAtLeastZero(settings.lambda) && settings.lambda > 0))
    problems.push('iALS regularisation λ must be a number above 0, e.g. 0.01.');
  if (!(isNumberAtLeastZero(settings.nu) && settings.nu <= 1)) problems.push('iALS frequency exponent ν must be a number from 0 to 1.');
  if (!isNumberAtLeastZero(settings.initStdev)) problems.push('iALS initial standard deviation must be a number of at least 0, e.g. 0.1.');
  if (!isPositiveInteger(settings.epochs)) problems.push('iALS epochs must be a whole number of at least 1.');
  if (settings.solver !== 'cholesky' && settings.solver !== 'cg') {
    problems.push(`iALS solver must be "cholesky" or "cg" (got "${String(settings.solver)}").`);
  }
  if (settings.solver === 'cg' && !isPositiveInteger(settings.cgSteps)) {
    problems.push('iALS conjugate-gradient steps must be a whole number of at least 1.');
  }
  if (!Number.isInteger(settings.seed)) problems.push('iALS seed must be a whole number.');
  return problems;
}

/** Defaults overlaid with `overrides`, validated; throws `InvalidSettingsError` ("Invalid iALS settings: …"). */
export function resolveIalsSettings(overrides: Partial<IalsSettings> = {}): IalsSettings {
  return resolveSettings(defaultIalsSettings, overrides, findIalsSettingsProblems, 'iALS');
}
