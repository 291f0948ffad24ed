/**
 * Implicit ALS (Hu, Koren & Volinsky 2008) as revisited by Rendle et al. (RecSys 2022): every
 * unobserved pair is a 0 with weight α₀, every observed pair a 1 (weight 1 + α₀ in total), and the
 * regularisation grows with each row's weight (ialsSettings.ts has the loss). Alternating exact
 * least-squares steps: with the item factors H fixed, each user's vector solves
 *
 *   (Σ_{i∈I_u} h_i h_iᵀ + α₀·HᵀH + λ_u·I) w_u = Σ_{i∈I_u} h_i,    λ_u = λ (|I_u| + α₀|I|)^ν,
 *
 * where the Gramian HᵀH carries all the zeros at d×d cost; then the same for items with W fixed.
 * A new person's vector is that same user step against the fitted H (fold-in), in closed form.
 */
import { SeededRandom } from '../../shared/random';
import type { CatalogueScorer, FitProgressHook } from './catalogueScorer';
import { checkScoresLength } from './catalogueScorer';
import { choleskySolveInPlace } from './choleskySolve';
import type { IalsSettings } from './ialsSettings';
import { resolveIalsSettings } from './ialsSettings';
import type { SparseRows, TrainingPositives } from '../data/sparseRows';
import { buildUserHistories, transposeRows } from '../data/sparseRows';
import { allocateOuterProductScratch } from './wasm/outerProductsKernel';

export interface IalsParameters {
  kind: 'ials';
  numUsers: number;
  numItems: number;
  dimension: number;
  /** numUsers × dimension, row-major. */
  userFactors: Float32Array;
  /** numItems × dimension, row-major. */
  itemFactors: Float32Array;
  /** The loss's weights, needed again to fold in a new history. */
  alpha0: number;
  lambda: number;
  nu: number;
}

export interface IalsProgress {
  /** 1-based. */
  epoch: number;
  epochs: number;
  /** Which side was just solved: users (first half of the epoch) or items (second half). */
  half: 'users' | 'items';
  /** The training loss (ialsSettings.ts) after this half-epoch; never increases with exact solves. */
  loss: number;
  /** Since the fit began. */
  seconds: number;
  /** The model as it stands (shares the factors being fitted: export it to keep a copy). */
  model: IalsModel;
}

/** Rows gathered per block when summing outer products. */
const BLOCK = 256;

/**
 * The lower triangle of A (d×d) += Σ_p F[p]·F[p]ᵀ over the `count` rows of F (row-major, d wide),
 * four rows at a time so each A entry is loaded and stored once per four products.
 */
function addOuterProducts(a: Float64Array, f: Float64Array, count: number, d: number): void {
  let p = 0;
  for (; p + 3 < count; p += 4) {
    const o0 = p * d,
      o1 = o0 + d,
      o2 = o1 + d,
      o3 = o2 + d;
    for (let r = 0; r < d; r++) {
      const x0 = f[o0 + r],
        x1 = f[o1 + r],
        x2 = f[o2 + r],
        x3 = f[o3 + r];
      const row = r * d;
      for (let c = 0; c <= r; c++) a[row + c] += x0 * f[o0 + c] + x1 * f[o1 + c] + x2 * f[o2 + c] + x3 * f[o3 + c];
    }
  }
  for (; p < count; p++) {
    const o = p * d;
    for (let r = 0; r < d; r++) {
      const x = f[o + r];
      const row = r * d;
      for (let c = 0; c <= r; c++) a[row + c] += x * f[o + c];
    }
  }
}

function mirrorLower(a: Float64Array, d: number): void {
  for (let r = 0; r < d; r++) for (let c = r + 1; c < d; c++) a[r * d + c] = a[c * d + r];
}

/** FᵀF (d×d, both triangles) of the `rows` × d factor table. */
export function gramian(factors: Float32Array, rows: number, d: number): Float64Array {
  const g = new Float64Array(d * d);
  const block = new Float64Array(BLOCK * d);
  for (let first = 0; first < rows; first += BLOCK) {
    const count = Math.min(BLOCK, rows - first);
    for (let k = 0; k < count * d; k++) block[k] = factors[first * d + k];
    addOuterProducts(g, block, count, d);
  }
  mirrorLower(g, d);
  return g;
}

/** The weight-scaled L2 penalty of a row with `positives` positives against `others` other-side rows. */
function rowPenalty(lambda: number, alpha0: number, nu: number, positives: number, others: number): number {
  return lambda * Math.pow(positives + alpha0 * others, nu);
}

/**
 * One row's normal equations (α₀·gram + penalty·I + Σ_e f_e f_eᵀ) x = Σ_e f_e: its positives f_e
 * are the rows of `fixed` listed in `entries[lo .. hi)`, `gram` is fixedᵀ·fixed, `penalty` the
 * row's λ (`rowPenalty`).
 */
interface RowSystem {
  readonly fixed: Float32Array;
  readonly entries: Int32Array;
  readonly lo: number;
  readonly hi: number;
  readonly gram: Float64Array;
  readonly alpha0: number;
  readonly penalty: number;
}

/** Scratch for one row's system; one per fit. */
class RowSolver {
  private readonly a: Float64Array;
  private readonly b: Float64Array;
  private readonly gathered: Float64Array;
  private readonly addGathered: (count: number) => void;
  private readonly x: Float64Array;
  private readonly r: Float64Array;
  private readonly p: Float64Array;
  private readonly q: Float64Array;

  constructor(
    private readonly d: number,
    simd: boolean,
  ) {
    const scratch = allocateOuterProductScratch(d, BLOCK, simd);
    this.a = scratch.a;
    this.gathered = scratch.gathered;
    this.addGathered = scratch.addOuterProducts ?? ((count) => addOuterProducts(this.a, this.gathered, count, d));
    this.b = new Float64Array(d);
    this.x = new Float64Array(d);
    this.r = new Float64Array(d);
    this.p = new Float64Array(d);
    this.q = new Float64Array(d);
  }

  /** The exact solution of `system` into `target[at .. at+d)`. */
  solveExact(system: RowSystem, target: Float32Array, at: number): void {
    const { d, a, b, gathered } = this;
    const { fixed, entries, lo, hi, gram, alpha0, penalty } = system;
    for (let k = 0; k < d * d; k++) a[k] = alpha0 * gram[k];
    for (let k = 0; k < d; k++) a[k * d + k] += penalty;
    b.fill(0);
    for (let first = lo; first < hi; first += BLOCK) {
      const count = Math.min(BLOCK, hi - first);
      for (let e = 0; e < count; e++) {
        const from = entries[first + e] * d;
        const to = e * d;
        for (let k = 0; k < d; k++) {
          const v = fixed[from + k];
          gathered[to + k] = v;
          b[k] += v;
        }
      }
      this.addGathered(count);
    }
    choleskySolveInPlace(a, b, d);
    for (let k = 0; k < d; k++) target[at + k] = b[k];
  }

  /** out = (α₀·gram + penalty·I + Σ f fᵀ)·v, the positives' outer products applied one by one. */
  private applySystem(system: RowSystem, v: Float64Array, out: Float64Array): void {
    const d = this.d;
    const { fixed, entries, lo, hi, gram, alpha0, penalty } = system;
    for (let r = 0; r < d; r++) {
      let s = 0;
      const row = r * d;
      for (let c = 0; c < d; c++) s += gram[row + c] * v[c];
      out[r] = alpha0 * s + penalty * v[r];
    }
    for (let e = lo; e < hi; e++) {
      const from = entries[e] * d;
      let t = 0;
      for (let k = 0; k < d; k++) t += fixed[from + k] * v[k];
      for (let k = 0; k < d; k++) out[k] += t * fixed[from + k];
    }
  }

  /** `steps` conjugate-gradient steps on `system`, from the row's current value in `target[at .. at+d)`. */
  solveCg(system: RowSystem, target: Float32Array, at: number, steps: number): void {
    const { d, x, r, p, q } = this;
    const { fixed, entries, lo, hi } = system;
    for (let k = 0; k < d; k++) x[k] = target[at + k];
    this.applySystem(system, x, q);
    for (let k = 0; k < d; k++) r[k] = -q[k];
    for (let e = lo; e < hi; e++) {
      const from = entries[e] * d;
      for (let k = 0; k < d; k++) r[k] += fixed[from + k];
    }
    let rs = 0;
    for (let k = 0; k < d; k++) {
      p[k] = r[k];
      rs += r[k] * r[k];
    }
    for (let step = 0; step < steps && rs > 1e-30; step++) {
      this.applySystem(system, p, q);
      let pq = 0;
      for (let k = 0; k < d; k++) pq += p[k] * q[k];
      const alpha = rs / pq;
      let next = 0;
      for (let k = 0; k < d; k++) {
        x[k] += alpha * p[k];
        r[k] -= alpha * q[k];
        next += r[k] * r[k];
      }
      const beta = next / rs;
      rs = next;
      for (let k = 0; k < d; k++) p[k] = r[k] + beta * p[k];
    }
    for (let k = 0; k < d; k++) target[at + k] = x[k];
  }
}

/** Solves every row of `target` against `fixed` (one half-epoch); rows without positives become 0. */
function solveSide(
  target: Float32Array,
  fixed: Float32Array,
  fixedRows: number,
  rows: SparseRows,
  settings: IalsSettings,
  solver: RowSolver,
): Float64Array {
  const d = settings.dimension;
  const gram = gramian(fixed, fixedRows, d);
  const { offsets, entries } = rows;
  for (let row = 0; row < rows.rows; row++) {
    const lo = offsets[row];
    const hi = offsets[row + 1];
    const at = row * d;
    if (hi === lo) {
      target.fill(0, at, at + d);
      continue;
    }
    const penalty = rowPenalty(settings.lambda, settings.alpha0, settings.nu, hi - lo, fixedRows);
    const system: RowSystem = { fixed, entries, lo, hi, gram, alpha0: settings.alpha0, penalty };
    if (settings.solver === 'cg') solver.solveCg(system, target, at, settings.cgSteps);
    else solver.solveExact(system, target, at);
  }
  return gram;
}

function squaredNorm(factors: Float32Array, at: number, d: number): number {
  let s = 0;
  for (let k = 0; k < d; k++) s += factors[at + k] * factors[at + k];
  return s;
}

/** The training loss of ialsSettings.ts for these factors (Gramians passed in when already known). */
export function ialsLoss(
  parameters: IalsParameters,
  histories: SparseRows,
  userGram = gramian(parameters.userFactors, parameters.numUsers, parameters.dimension),
  itemGram = gramian(parameters.itemFactors, parameters.numItems, parameters.dimension),
): number {
  const { numUsers, numItems, dimension: d, userFactors: w, itemFactors: h, alpha0, lambda, nu } = parameters;
  let loss = 0;
  const itemPositives = new Int32Array(numItems);
  for (let u = 0; u < numUsers; u++) {
    const at = u * d;
    for (let p = histories.offsets[u]; p < histories.offsets[u + 1]; p++) {
      const item = histories.entries[p];
      itemPositives[item]++;
      let dot = 0;
      for (let k = 0; k < d; k++) dot += w[at + k] * h[item * d + k];
      loss += (dot - 1) * (dot - 1);
    }
    loss += rowPenalty(lambda, alpha0, nu, histories.offsets[u + 1] - histories.offsets[u], numItems) * squaredNorm(w, at, d);
  }
  for (let i = 0; i < numItems; i++) loss += rowPenalty(lambda, alpha0, nu, itemPositives[i], numUsers) * squaredNorm(h, i * d, d);
  // α₀ Σ_u Σ_i ⟨w_u, h_i⟩² = α₀ · trace(WᵀW · HᵀH)
  let zeros = 0;
  for (let k = 0; k < d * d; k++) zeros += userGram[k] * itemGram[k];
  return loss + alpha0 * zeros;
}

export class IalsModel implements CatalogueScorer {
  readonly numUsers: number;
  readonly numItems: number;
  readonly dimension: number;
  /** What fold-in needs, made on first use. */
  private itemGram: Float64Array | null = null;
  private solver: RowSolver | null = null;

  constructor(private readonly parameters: IalsParameters) {
    const { numUsers, numItems, dimension, userFactors, itemFactors } = parameters;
    if (userFactors.length !== numUsers * dimension)
      throw new RangeError(`iALS user factors need ${numUsers}×${dimension} numbers, got ${userFactors.length}.`);
    if (itemFactors.length !== numItems * dimension)
      throw new RangeError(`iALS item factors need ${numItems}×${dimension} numbers, got ${itemFactors.length}.`);
    this.numUsers = numUsers;
    this.numItems = numItems;
    this.dimension = dimension;
  }

  scoreUser(user: number, out: Float32Array): void {
    if (!(user >= 0 && user < this.numUsers)) throw new RangeError(`User ${user} is outside 0..${this.numUsers - 1}.`);
    this.scoreVector(this.parameters.userFactors, user * this.dimension, out);
  }

  scoreHistory(items: Int32Array, out: Float32Array): void {
    this.scoreVector(this.foldIn(items), 0, out);
  }

  /**
   * The user vector of a person with these positives: the exact user step against the fitted
   * item factors (duplicates and ids outside the catalogue ignored).
   */
  foldIn(items: Int32Array): Float32Array {
    const { dimension: d, itemFactors, alpha0, lambda, nu } = this.parameters;
    const distinct = Int32Array.from(new Set(Array.from(items).filter((i) => i >= 0 && i < this.numItems))).sort();
    const vector = new Float32Array(d);
    if (distinct.length === 0) return vector;
    this.itemGram ??= gramian(itemFactors, this.numItems, d);
    this.solver ??= new RowSolver(d, true);
    const penalty = rowPenalty(lambda, alpha0, nu, distinct.length, this.numItems);
    const system: RowSystem = { fixed: itemFactors, entries: distinct, lo: 0, hi: distinct.length, gram: this.itemGram, alpha0, penalty };
    this.solver.solveExact(system, vector, 0);
    return vector;
  }

  /** Forgets what fold-in derived from the item factors; the fit calls it after changing them in place. */
  factorsChanged(): void {
    this.itemGram = null;
  }

  private scoreVector(vector: Float32Array, at: number, out: Float32Array): void {
    checkScoresLength(this, out);
    const { dimension: d, itemFactors: h } = this.parameters;
    for (let i = 0; i < this.numItems; i++) {
      const row = i * d;
      let s = 0;
      for (let k = 0; k < d; k++) s += vector[at + k] * h[row + k];
      out[i] = s;
    }
  }

  /** A copy of the fitted parameters. */
  exportParameters(): IalsParameters {
    return { ...this.parameters, userFactors: this.parameters.userFactors.slice(), itemFactors: this.parameters.itemFactors.slice() };
  }

  static fromParameters(parameters: IalsParameters): IalsModel {
    return new IalsModel({ ...parameters, userFactors: parameters.userFactors.slice(), itemFactors: parameters.itemFactors.slice() });
  }
}

/**
 * Fits iALS: `epochs` times a user half then an item half. `onProgress` hears the loss after each
 * half; returning false stops there and the model as it stands is returned.
 */
export function fitIals(
  data: TrainingPositives,
  overrides: Partial<IalsSettings> = {},
  onProgress?: FitProgressHook<IalsProgress>,
  options: { /** Sum outer products on the WebAssembly SIMD kernel where available (default true). */ simd?: boolean } = {},
): IalsModel {
  const started = performance.now();
  const settings = resolveIalsSettings(overrides);
  const { numUsers, numItems } = data;
  const d = settings.dimension;
  const userItems = buildUserHistories(data);
  const itemUsers = transposeRows(userItems);

  const rng = new SeededRandom(settings.seed);
  const scale = settings.initStdev / Math.sqrt(d);
  const userFactors = new Float32Array(numUsers * d);
  const itemFactors = new Float32Array(numItems * d);
  for (let k = 0; k < userFactors.length; k++) userFactors[k] = rng.nextGaussian() * scale;
  for (let k = 0; k < itemFactors.length; k++) itemFactors[k] = rng.nextGaussian() * scale;
  const parameters: IalsParameters = {
    kind: 'ials',
    numUsers,
    numItems,
    dimension: d,
    userFactors,
    itemFactors,
    alpha0: settings.alpha0,
    lambda: settings.lambda,
    nu: settings.nu,
  };
  const model = new IalsModel(parameters);
  const solver = new RowSolver(d, options.simd ?? true);

  for (let epoch = 1; epoch <= settings.epochs; epoch++) {
    const itemGram = solveSide(userFactors, itemFactors, numItems, userItems, settings, solver);
    if (onProgress) {
      const loss = ialsLoss(parameters, userItems, undefined, itemGram);
      if (
        onProgress({ epoch, epochs: settings.epochs, half: 'users', loss, seconds: (performance.now() - started) / 1000, model }) === false
      )
        break;
    }
    const userGram = solveSide(itemFactors, userFactors, numUsers, itemUsers, settings, solver);
    model.factorsChanged();
    if (onProgress) {
      const loss = ialsLoss(parameters, userItems, userGram);
      if (
        onProgress({ epoch, epochs: settings.epochs, half: 'items', loss, seconds: (performance.now() - started) / 1000, model }) === false
      )
        break;
    }
  }
  return model;
}
