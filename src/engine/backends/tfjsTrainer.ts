/**
 * NeuMF trained with TensorFlow.js on whichever tfjs backend is active (webgpu, webgl, wasm,
 * cpu): the path for machines whose GPU beats the fused CPU trainer. Same public surface as
 * `FusedNeuMF` where the training worker uses it, same architecture and weight names as
 * `buildTfNeuMF`, same loss and the same (dense, PyTorch) Adam.
 *
 * Why not `buildTfNeuMF(...)` + `model.fit`: per step, the cost on a GPU is mostly the number
 * of kernels dispatched, not arithmetic. So the weights live in three variables instead of
 * twelve: each side's embedding rows as one table [gmf | mlp] (`neumfLayout.ts`, as `FusedNeuMF`
 * keeps them: one gather per side, one gradient scatter per side) and every dense weight in one flat
 * vector (split into kernels and biases in one op; its gradient is one concat). tfjs's Adam
 * runs ~15 elementwise kernels per variable, so three variables instead of twelve save ~135
 * kernels per step.
 * Dense layers use `tf.fused.matMul` (matmul + bias + ReLU in one kernel), the loss is
 * softplus(z) - y·z (binary cross-entropy on the logit, stable for any z).
 */
import * as tf from '@tensorflow/tfjs';
import { BETA1, BETA2, EPSILON } from '../model/adamMath';
import { FusedNeuMF } from '../model/fusedNeuMF';
import type { NamedWeights, NeuMFLayout, NeuMFTables } from '../model/neumfLayout';
import { emptyTables, neumfLayout, weightsFromTables, writeWeightsToTables } from '../model/neumfLayout';
import type { NeuMFSettings } from '../model/neumfSettings';
import { checkAverageKeep } from '../model/tablesAverage';

/** Pairs scored per predict call on the backend: large, so a GPU gets work worth a dispatch. */
const PREDICT_CHUNK = 65536;

/** A trainable variable holding `values`; the staging tensor is released (the variable shares its data). */
function variableOf(values: Float32Array, shape: number[]): tf.Variable {
  const initial = tf.tensor(values, shape, 'float32');
  const variable = tf.variable(initial, true);
  initial.dispose();
  return variable;
}

export class TfjsNeuMFTrainer {
  readonly numUsers: number;
  readonly numItems: number;
  readonly settings: NeuMFSettings;
  /** Where every weight lives: the user and item tables are [rows, rowWidth], the dense vector is `layout.denseSize`. */
  readonly layout: NeuMFLayout;

  /** Sizes of the dense vector's parts, in order [kernel_1, bias_1, ..., prediction kernel, prediction bias]. */
  private readonly denseParts: number[];
  private readonly userTable: tf.Variable;
  private readonly itemTable: tf.Variable;
  private readonly dense: tf.Variable;
  private optimizer: tf.AdamOptimizer;
  /** The three variables' running average (`foldIntoAverage`), when the training run keeps one. */
  private average: tf.Variable[] | null = null;
  private disposed = false;

  /**
   * Creates the variables on the active tfjs backend. `initial` defaults to the weights a
   * `FusedNeuMF` with the same settings starts from, so both trainers start identically.
   */
  constructor(numUsers: number, numItems: number, settings: NeuMFSettings, initial?: NamedWeights) {
    this.layout = neumfLayout(numUsers, numItems, settings);
    this.numUsers = numUsers;
    this.numItems = numItems;
    this.settings = settings;
    this.denseParts = this.layout.slots.filter((slot) => slot.home === 'dense').map((slot) => slot.shape.reduce((a, b) => a * b, 1));

    const packed = this.pack(initial ?? new FusedNeuMF(numUsers, numItems, settings).getWeights());
    this.userTable = variableOf(packed.user, [numUsers, this.layout.rowWidth]);
    this.itemTable = variableOf(packed.item, [numItems, this.layout.rowWidth]);
    this.dense = variableOf(packed.dense, [this.layout.denseSize]);
    this.optimizer = this.newOptimizer();
  }

  /** The name of the active tfjs backend the variables live on. */
  get backendName(): string {
    return tf.getBackend();
  }

  /**
   * Batches between two reads of the loss from the device (1: every batch, exact). A read waits for
   * the device to finish every queued step, which on a GPU leaves it idle while JavaScript
   * enqueues the next batch; reading every N batches lets N steps queue up. Training sets
   * `LOSS_READ_INTERVAL` (chooseBackend.ts); the checks against the fused trainer read every batch.
   */
  lossReadInterval = 1;
  /**
   * The sum of the losses of the batches since the last read, their count, and the mean that read
   * returned (null: none yet). A running sum rather than `tf.addN` over the window at read time:
   * tfjs's WebGPU addN binds each input as a storage buffer, and a WebGPU device allows 8 per shader
   * unless asked for more, so a window of 16 failed on every WebGPU device (found by `npm run bench:gpu-node`, docs/BENCHMARKS.md).
   */
  private unreadLossSum: tf.Scalar | null = null;
  private unreadCount = 0;
  private lastReadLoss: number | null = null;

  /**
   * One Adam step on rows [start, end); returns their mean binary cross-entropy before the step.
   * With `lossReadInterval` > 1, the mean loss of the latest window of batches read (the first
   * batch is always read), so an epoch's mean loss lags by at most one window.
   */
  trainBatch(users: Int32Array, items: Int32Array, labels: Float32Array, start = 0, end = users.length): number {
    if (end <= start) return 0;
    this.addUnread(this.step(users, items, labels, start, end));
    if (this.lastReadLoss !== null && this.unreadCount < this.lossReadInterval) return this.lastReadLoss;
    return this.settle();
  }

  /** Waits for every queued step and reads their mean loss (the latest read's when none is queued). */
  settle(): number {
    const mean = this.takeUnreadMean();
    if (!mean) return this.lastReadLoss ?? 0;
    this.lastReadLoss = mean.dataSync()[0];
    mean.dispose();
    return this.lastReadLoss;
  }

  /**
   * `trainBatch` for a loop that can await (`trainEpochAsync`): the same steps and the same
   * reported losses, but the loss is read with an asynchronous read, so the worker never blocks on
   * the device while it waits. The path for GPUs, and the only one for WebGPU, whose synchronous
   * read (tfjs's canvas workaround) returned zeros in headless Chromium.
   */
  async trainBatchQueued(users: Int32Array, items: Int32Array, labels: Float32Array, start = 0, end = users.length): Promise<number> {
    if (end <= start) return 0;
    this.addUnread(this.step(users, items, labels, start, end));
    if (this.lastReadLoss !== null && this.unreadCount < this.lossReadInterval) return this.lastReadLoss;
    return this.settleAsync();
  }

  /** `settle` with an asynchronous read. */
  async settleAsync(): Promise<number> {
    const mean = this.takeUnreadMean();
    if (!mean) return this.lastReadLoss ?? 0;
    try {
      this.lastReadLoss = (await mean.data())[0];
    } finally {
      mean.dispose();
    }
    return this.lastReadLoss;
  }

  /** Adds a step's loss tensor (released here) to the unread sum. */
  private addUnread(loss: tf.Scalar): void {
    const previous = this.unreadLossSum;
    this.unreadLossSum = previous ? (tf.add(previous, loss) as tf.Scalar) : loss;
    if (previous) tf.dispose([previous, loss]);
    this.unreadCount++;
  }

  /** Releases the unread sum. */
  private dropUnread(): void {
    if (this.unreadLossSum) this.unreadLossSum.dispose();
    this.unreadLossSum = null;
    this.unreadCount = 0;
  }

  /** The mean of the losses not read yet (the caller's to dispose; the sum is released), or null when there are none. */
  private takeUnreadMean(): tf.Scalar | null {
    const sum = this.unreadLossSum;
    if (!sum) return null;
    // One loss is its own mean: no kernel for it (reading every batch is the exact, per-batch setting).
    const mean = this.unreadCount === 1 ? sum : (tf.div(sum, this.unreadCount) as tf.Scalar);
    if (mean !== sum) sum.dispose();
    this.unreadLossSum = null;
    this.unreadCount = 0;
    return mean;
  }

  /** Enqueues one Adam step; the scalar loss tensor is the caller's to dispose. */
  private step(users: Int32Array, items: Int32Array, labels: Float32Array, start: number, end: number): tf.Scalar {
    this.assertAlive();
    return tf.tidy(() => {
      const u = tf.tensor1d(users.subarray(start, end), 'int32');
      const i = tf.tensor1d(items.subarray(start, end), 'int32');
      const y = tf.tensor2d(labels.subarray(start, end), [end - start, 1], 'float32');
      const l2 = this.settings.l2;
      const loss = () => {
        const userRows = tf.gather(this.userTable, u) as tf.Tensor2D;
        const itemRows = tf.gather(this.itemTable, i) as tf.Tensor2D;
        const z = this.logitsOfRows(userRows, itemRows);
        const bce = tf.mean(tf.sub(tf.softplus(z), tf.mul(y, z))) as tf.Scalar;
        if (l2 === 0) return bce;
        // As FusedNeuMF: l2 · (|user row|² + |item row|²) per sample, averaged with the loss.
        const squares = tf.add(tf.sum(tf.square(userRows), 1), tf.sum(tf.square(itemRows), 1));
        return tf.add(bce, tf.mul(l2, tf.mean(squares))) as tf.Scalar;
      };
      return this.optimizer.minimize(loss, true, [this.userTable, this.itemTable, this.dense])!;
    });
  }

  /** Scores (sigmoid outputs) of the pairs (users[r], items[r]) into out[r], r in [start, end). */
  predict(users: Int32Array, items: Int32Array, out: Float32Array, start = 0, end = users.length): void {
    for (let from = start; from < end; from += PREDICT_CHUNK) {
      const scores = this.scoresOf(users, items, from, Math.min(end, from + PREDICT_CHUNK));
      out.set(scores.dataSync() as Float32Array, from);
      scores.dispose();
    }
  }

  /** `predict` with asynchronous reads. */
  async predictAsync(users: Int32Array, items: Int32Array, out: Float32Array, start = 0, end = users.length): Promise<void> {
    for (let from = start; from < end; from += PREDICT_CHUNK) {
      const scores = this.scoresOf(users, items, from, Math.min(end, from + PREDICT_CHUNK));
      try {
        out.set((await scores.data()) as Float32Array, from);
      } finally {
        scores.dispose();
      }
    }
  }

  private scoresOf(users: Int32Array, items: Int32Array, from: number, to: number): tf.Tensor {
    this.assertAlive();
    return tf.tidy(() => {
      const u = tf.tensor1d(users.subarray(from, to), 'int32');
      const i = tf.tensor1d(items.subarray(from, to), 'int32');
      return tf.sigmoid(this.logits(u, i));
    });
  }

  /** Weights named and shaped as `FusedNeuMF.getWeights` and the tfjs model (`tfNeuMF.ts`). */
  getWeights(): NamedWeights {
    this.assertAlive();
    return weightsFromTables(this.layout, {
      user: this.userTable.dataSync() as Float32Array,
      item: this.itemTable.dataSync() as Float32Array,
      dense: this.dense.dataSync() as Float32Array,
    });
  }

  /** `getWeights` with asynchronous reads. */
  async readWeights(): Promise<NamedWeights> {
    this.assertAlive();
    const [user, item, dense] = await Promise.all([this.userTable.data(), this.itemTable.data(), this.dense.data()]);
    return weightsFromTables(this.layout, { user: user as Float32Array, item: item as Float32Array, dense: dense as Float32Array });
  }

  /**
   * Loads weights by name (all of this architecture's, with their shapes). Resets the optimiser,
   * as `FusedNeuMF.setWeights` does: moments and step count start afresh.
   */
  setWeights(weights: NamedWeights): void {
    this.assertAlive();
    const packed = this.pack(weights);
    tf.tidy(() => {
      this.userTable.assign(tf.tensor2d(packed.user, [this.numUsers, this.layout.rowWidth]));
      this.itemTable.assign(tf.tensor2d(packed.item, [this.numItems, this.layout.rowWidth]));
      this.dense.assign(tf.tensor1d(packed.dense));
    });
    this.optimizer.dispose();
    this.optimizer = this.newOptimizer();
    // A fresh start: the next batch's loss is read at once.
    this.dropUnread();
    this.lastReadLoss = null;
  }

  /**
   * As `FusedNeuMF.foldIntoAverage`: average = keep · average + (1 − keep) · weights, on the
   * device (queued like a step, nothing is read); the first fold or `keep` 0 copies the weights.
   */
  foldIntoAverage(keep: number): void {
    this.assertAlive();
    checkAverageKeep(keep);
    const weights = [this.userTable, this.itemTable, this.dense];
    if (this.average === null) {
      this.average = weights.map((w) => tf.variable(w, false)); // shares the data until either is assigned
      return;
    }
    const average = this.average;
    tf.tidy(() => weights.forEach((w, t) => average[t].assign(keep === 0 ? w : tf.add(tf.mul(average[t], keep), tf.mul(w, 1 - keep)))));
  }

  /** As `FusedNeuMF.swapAverage`: the weights and their average change places; the optimiser's moments stay. */
  swapAverage(): void {
    this.assertAlive();
    const average = this.average;
    if (average === null) throw new Error('Nothing has been averaged yet.');
    tf.tidy(() =>
      [this.userTable, this.itemTable, this.dense].forEach((w, t) => {
        const trained = w.clone();
        w.assign(average[t]);
        average[t].assign(trained);
      }),
    );
  }

  /** Frees the variables and the optimiser's moments on the backend. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.dropUnread();
    this.optimizer.dispose();
    tf.dispose([this.userTable, this.itemTable, this.dense, ...(this.average ?? [])]);
  }

  /** The logits of the pairs (users[r], items[r]), shape [batch, 1]. */
  private logits(users: tf.Tensor1D, items: tf.Tensor1D): tf.Tensor2D {
    return this.logitsOfRows(tf.gather(this.userTable, users) as tf.Tensor2D, tf.gather(this.itemTable, items) as tf.Tensor2D);
  }

  /** The logits of pairs given their user and item embedding rows. */
  private logitsOfRows(userRows: tf.Tensor2D, itemRows: tf.Tensor2D): tf.Tensor2D {
    const { gmfDim: g, mlpHalf: h, towerSizes: tower } = this.layout;
    const [uGmf, uMlp] = g > 0 && h > 0 ? tf.split(userRows, [g, h], 1) : g > 0 ? [userRows, null] : [null, userRows];
    const [iGmf, iMlp] = g > 0 && h > 0 ? tf.split(itemRows, [g, h], 1) : g > 0 ? [itemRows, null] : [null, itemRows];
    const parts = tf.split(this.dense, this.denseParts);
    const joined: tf.Tensor2D[] = [];
    if (uGmf && iGmf) joined.push(tf.mul(uGmf, iGmf) as tf.Tensor2D);
    if (uMlp && iMlp) {
      let x = tf.concat([uMlp, iMlp], 1) as tf.Tensor2D;
      for (let l = 0; l + 1 < tower.length; l++) {
        x = tf.fused.matMul({
          a: x,
          b: tf.reshape(parts[2 * l], [tower[l], tower[l + 1]]),
          bias: parts[2 * l + 1],
          activation: 'relu',
        }) as tf.Tensor2D;
      }
      joined.push(x);
    }
    const p = parts.length - 2;
    const predictInputs = joined.length === 1 ? joined[0] : (tf.concat(joined, 1) as tf.Tensor2D);
    return tf.fused.matMul({ a: predictInputs, b: tf.reshape(parts[p], [-1, 1]), bias: parts[p + 1] }) as tf.Tensor2D;
  }

  private newOptimizer(): tf.AdamOptimizer {
    return tf.train.adam(this.settings.learningRate, BETA1, BETA2, EPSILON);
  }

  /** Named weights → the three variables' contents; checks every weight is there with its shape. */
  private pack(weights: NamedWeights): NeuMFTables {
    const tables = emptyTables(this.layout);
    writeWeightsToTables(this.layout, weights, tables);
    return tables;
  }

  private assertAlive(): void {
    if (this.disposed) throw new Error('This tfjs trainer was disposed.');
  }
}
