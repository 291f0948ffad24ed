/**
 * Adam constants and the closed form that lets a row-wise (sparse) Adam behave like dense Adam:
 * a row that sits out k steps with zero gradient would, under dense Adam, still move every
 * step by its decaying momentum. Those k moves form a (nearly) geometric series, so they can be
 * applied in one go when the row is next used, at the cost of the rows a batch touches.
 */

export const BETA1 = 0.9;
export const BETA2 = 0.999;
export const EPSILON = 1e-8;
/** Decay per skipped step of the update m/√v: m shrinks by beta1, √v by √beta2. */
export const SKIP_DECAY = BETA1 / Math.sqrt(BETA2);

/** Adam's bias correction of the update m/√v at step s: √(1-beta2^s) / (1-beta1^s). */
export function biasCorrection(s: number): number {
  return Math.sqrt(1 - Math.pow(BETA2, s)) / (1 - Math.pow(BETA1, s));
}

/** Beyond this many skipped steps a momentum move is below 1e-13 of the first: stop summing. */
const SKIP_HORIZON = 300;
/** From this step on, the bias correction changes by < 1e-3 over the horizon that matters. */
const STEADY_FROM = 1000;

/**
 * Σ_{j=1..skipped} SKIP_DECAY^j · biasCorrection(from + j): the total of the momentum moves a
 * row owes after sitting out `skipped` steps (in units of its last m/√v). Summed exactly while
 * the bias correction still changes fast, as a geometric series after that.
 */
export function skippedStepsSum(from: number, skipped: number): number {
  if (from >= STEADY_FROM) return (biasCorrection(from) * SKIP_DECAY * (1 - Math.pow(SKIP_DECAY, skipped))) / (1 - SKIP_DECAY);
  let sum = 0;
  let decay = 1;
  for (let j = 1, n = Math.min(skipped, SKIP_HORIZON); j <= n; j++) {
    decay *= SKIP_DECAY;
    sum += decay * EARLY_BIAS_CORRECTION[from + j];
  }
  return sum;
}

const EARLY_BIAS_CORRECTION = Float64Array.from({ length: STEADY_FROM + SKIP_HORIZON + 1 }, (_, s) => (s === 0 ? 0 : biasCorrection(s)));
