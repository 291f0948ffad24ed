/**
 * Adam as the fused trainer applies it: the update itself (PyTorch's form, the one the
 * reference implementation and tfjs use), on contiguous ranges of a weight array, and the closed
 * form that lets a row-wise (sparse) Adam follow dense Adam: a row that sits out k steps with
 * zero gradient would, under dense Adam, still move every step by its decaying momentum. Those
 * k moves form a (nearly) geometric series, so they can be applied in one go when the row is
 * next used, at the cost of the rows a batch touches.
 *
 * The loops stay in this module on purpose: they read BETA1, BETA2 and EPSILON as module-local
 * constants. A bundler-less module loader (Vite's SSR runner, used by the Node benchmark) turns
 * an imported name into a property read on every use, which made training ~3x slower when the
 * trainer's hot loops read imported constants. Callers pass whole ranges, never one element.
 */

export const BETA1 = 0.9;
export const BETA2 = 0.999;
export const EPSILON = 1e-8;
/** Decay per skipped step of the update m/√v: m shrinks by beta1, √v by √beta2. */
export const SKIP_DECAY = BETA1 / Math.sqrt(BETA2);

/** Adam's bias correction of the first moment m at step t: 1/(1-beta1^t). */
function momentCorrection(t: number): number {
  return 1 / (1 - Math.pow(BETA1, t));
}

/** Adam's bias correction of √v at step t: 1/√(1-beta2^t). */
function sqrtVarianceCorrection(t: number): number {
  return 1 / Math.sqrt(1 - Math.pow(BETA2, t));
}

/**
 * Adam step `t` (counted from 1) on p[from..to), with moments m, v at the same indices and the
 * gradient at grad[gradFrom..] (by default the same indices too): p -= lr/(1-beta1^t) · m /
 * (√v/√(1-beta2^t) + ε), as PyTorch defines it. `c1` and `c2` are step t's bias corrections; a
 * caller that steps many ranges at one t passes them in (`adamStepRows`: two powers per row made
 * it about 1.5 times slower).
 */
export function adamStep(
  p: Float32Array,
  grad: Float32Array,
  m: Float32Array,
  v: Float32Array,
  from: number,
  to: number,
  lr: number,
  t: number,
  c1 = momentCorrection(t),
  c2 = sqrtVarianceCorrection(t),
  gradFrom = from,
): void {
  const shift = gradFrom - from;
  for (let k = from; k < to; k++) {
    const gk = grad[k + shift];
    const mk = BETA1 * m[k] + (1 - BETA1) * gk;
    const vk = BETA2 * v[k] + (1 - BETA2) * gk * gk;
    m[k] = mk;
    v[k] = vk;
    p[k] -= (lr * mk * c1) / (Math.sqrt(vk) * c2 + EPSILON);
  }
}

/**
 * `adamStep` at step `t` on rows `rows[0..count)` of a table of rows `width` wide, whose
 * gradients are the first `count` rows of `grad`, in the same order (`rows[r]`'s at row r).
 */
export function adamStepRows(
  p: Float32Array,
  grad: Float32Array,
  m: Float32Array,
  v: Float32Array,
  rows: Int32Array,
  count: number,
  width: number,
  lr: number,
  t: number,
): void {
  const c1 = momentCorrection(t);
  const c2 = sqrtVarianceCorrection(t);
  for (let r = 0; r < count; r++) {
    const from = rows[r] * width;
    adamStep(p, grad, m, v, from, from + width, lr, t, c1, c2, r * width);
  }
}

/**
 * Brings rows up to step `t`: applies to each row the Adam steps `lastStep[row]+1 .. t` it sat
 * out with zero gradient, in closed form, and sets `lastStep[row] = t`. `rows` lists the rows
 * (the first `count`); null means rows 0 .. count-1. A row never updated (lastStep 0) has
 * m = v = 0 and owes nothing.
 *
 * Over k skipped steps m and v decay by beta1^k and beta2^k, and the parameter moves by
 * Σ_j lr · (beta1/√beta2)^j · m/√v · q(last+j), q(s) = √(1-beta2^s)/(1-beta1^s) the bias
 * correction (`skippedStepsSum`). Not exactly dense Adam: two approximations keep it a handful
 * of operations per number, and bound the catch-up's move against the dense steps it replaces
 * (tests/unit/engine/model/adamMath.test.ts):
 * - from step 1,000 on, q is held at q(last) over the skipped steps: up to 0.3 % of the move
 *   just after step 1,000, below 1e-4 from step 4,000 (q settles as beta2^s vanishes); before
 *   step 1,000 the series is exact to float rounding;
 * - ε stays at its value for step `last`, where dense Adam adds it to a √v̂ that shrinks with
 *   every skipped step: about ε/(16·√v) of the move, below 1e-4 while √v ≥ 1e-5.
 */
export function catchUpRows(
  p: Float32Array,
  m: Float32Array,
  v: Float32Array,
  lastStep: Int32Array,
  rows: Int32Array | null,
  count: number,
  width: number,
  learningRate: number,
  t: number,
): void {
  for (let r = 0; r < count; r++) {
    const row = rows === null ? r : rows[r];
    const last = lastStep[row];
    const skipped = t - last;
    if (skipped <= 0) continue;
    lastStep[row] = t;
    if (last === 0) continue;
    const f = catchUpFactors(t, skipped, learningRate);
    const move = factorMove[f];
    const c1 = factorC1[f];
    const c2 = factorC2[f];
    const decay1 = factorDecay1[f];
    const decay2 = factorDecay2[f];
    for (let k = row * width, end = k + width; k < end; k++) {
      const mk = m[k];
      const vk = v[k];
      p[k] -= (move * (mk * c1)) / (Math.sqrt(vk) * c2 + EPSILON);
      m[k] = mk * decay1;
      v[k] = vk * decay2;
    }
  }
}

/**
 * The factors of a catch-up at step t of a row that sat out `skipped` steps, remembered per
 * `skipped` for the latest (t, learning rate): the rows of one batch share a few dozen distinct
 * skipped counts, and computing the factors (eight powers) for every row took a tenth of an
 * epoch on ml-1m. Exactly the numbers computed afresh, so training is unchanged to the bit.
 * Returns the factors' index in the `factor…` arrays (the last index is scratch for long skips).
 */
function catchUpFactors(t: number, skipped: number, learningRate: number): number {
  const f = skipped < REMEMBERED_SKIPS ? skipped : REMEMBERED_SKIPS;
  if (f < REMEMBERED_SKIPS && factorStep[f] === t && factorRate[f] === learningRate) return f;
  const last = t - skipped;
  factorStep[f] = t;
  factorRate[f] = learningRate;
  factorMove[f] = (learningRate * skippedStepsSum(last, skipped)) / biasCorrection(last);
  factorC1[f] = momentCorrection(last);
  factorC2[f] = sqrtVarianceCorrection(last);
  factorDecay1[f] = Math.pow(BETA1, skipped);
  factorDecay2[f] = Math.pow(BETA2, skipped);
  return f;
}

const REMEMBERED_SKIPS = 1024;
const factorStep = new Float64Array(REMEMBERED_SKIPS + 1);
const factorRate = new Float64Array(REMEMBERED_SKIPS + 1);
const factorMove = new Float64Array(REMEMBERED_SKIPS + 1);
const factorC1 = new Float64Array(REMEMBERED_SKIPS + 1);
const factorC2 = new Float64Array(REMEMBERED_SKIPS + 1);
const factorDecay1 = new Float64Array(REMEMBERED_SKIPS + 1);
const factorDecay2 = new Float64Array(REMEMBERED_SKIPS + 1);

/** Adam's bias correction of the update m/√v at step s: √(1-beta2^s) / (1-beta1^s). */
export function biasCorrection(s: number): number {
  return Math.sqrt(1 - Math.pow(BETA2, s)) / (1 - Math.pow(BETA1, s));
}

/** Beyond this many skipped steps a momentum move is below 1e-13 of the first: stop summing. */
const SKIP_HORIZON = 300;
/** From this step on the bias correction is held at its value for the row's last update (see `catchUpRows`). */
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
