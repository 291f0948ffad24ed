/**
 * Which epoch of a NeuMF training stage is kept: the one whose validation figure is best when
 * smoothed over its neighbours, with weights 1, 2, 1 (the epoch itself counting twice).
 *
 * Why not the single best epoch: the validation figure of one epoch moves by more than the model
 * does. Mini-batch SGD leaves the weights a little elsewhere after each epoch, and a figure on one
 * held-out movie per user has a standard error of about 0.003 of NDCG@10 on ml-1m's 6,040 users
 * (0.006 on the 1,618 ranked before session 16). Past the first few epochs the curve is flat
 * within that noise, so the single best epoch was often a spike: two runs that differ only by
 * their thread count kept epochs 3 and 8 of curves that agree within 0.002, a 0.0001 validation
 * difference moving their test figures by 0.016 (docs/BENCHMARKS.md, "Choosing the epoch on its
 * neighbours too"). An epoch good with its neighbours is where the curve is high, not where the
 * noise was. Why the epoch counts twice: with equal weights a dip between two high epochs won
 * (ml-latest-small kept such an epoch, 0.008 lower on full-catalogue HR@10); the 1-2-1 weights
 * keep the smoothing and favour the high epoch itself.
 *
 * Only validation figures enter: the test movie never chooses. The first trained epoch is smoothed
 * with the second only (the untrained epoch 0 is no neighbour), the last of a run that reached its
 * epoch limit with the one before it (a run stopped early leaves it unjudged: `finish`); epoch 0 is
 * judged alone, as the model to keep when training never beats it; of equal scores the
 * earlier epoch is kept. Baselines choose on single steps: EASE's steps are different λ values, and
 * iALS's exact least-squares epochs have no sampling noise to smooth away.
 */
export class EpochChoice<Weights> {
  /** Validation figures by epoch, epoch 0 (untrained) first. */
  readonly #scores: number[];
  /** The latest epoch, waiting for the epoch after it to complete its window. */
  #pending: { epoch: number; weights: Weights } | null = null;
  #best: { epoch: number; score: number; weights: Weights };

  constructor(untrainedScore: number, untrainedWeights: Weights) {
    this.#scores = [untrainedScore];
    this.#best = { epoch: 0, score: untrainedScore, weights: untrainedWeights };
  }

  /** The next epoch's validation figure and weights; the epoch before it is judged now that its window is whole. */
  add(epoch: number, score: number, weights: Weights): void {
    if (epoch !== this.#scores.length) throw new Error(`Epoch ${epoch} came after epoch ${this.#scores.length - 1}.`);
    this.#scores.push(score);
    if (this.#pending) this.#judge(this.#pending);
    this.#pending = { epoch, weights };
  }

  /**
   * Training is over. After its last epoch (`stoppedEarly` false) that epoch is judged on the one
   * neighbour it has: nothing later will come. Stopped early, it is not judged: the run stopped
   * because the curve had gone down, and an epoch weighed with one neighbour is more the noise's than
   * one weighed with two (a last epoch 0.0012 above its predecessor was kept over a better stretch
   * four epochs back). Returns the kept epoch.
   */
  finish(stoppedEarly: boolean): { epoch: number; weights: Weights } {
    if (this.#pending && !stoppedEarly) this.#judge(this.#pending);
    this.#pending = null;
    return this.best;
  }

  /** Epochs judged since the best one without beating it: what patience counts. */
  get epochsWithoutImprovement(): number {
    return this.#scores.length - 1 - (this.#pending ? 1 : 0) - this.#best.epoch;
  }

  /** The best epoch judged so far (the latest epoch is judged once the next one comes, or at `finish`). */
  get best(): { epoch: number; weights: Weights } {
    return { epoch: this.#best.epoch, weights: this.#best.weights };
  }

  /** Epoch `epoch`'s figure smoothed with its trained neighbours' (one either side, as far as there are any): weights 1, 2, 1. */
  windowScore(epoch: number): number {
    const first = Math.max(1, epoch - 1);
    const last = Math.min(this.#scores.length - 1, epoch + 1);
    let sum = 0;
    let weights = 0;
    for (let e = first; e <= last; e++) {
      const weight = e === epoch ? 2 : 1;
      sum += weight * this.#scores[e];
      weights += weight;
    }
    return sum / weights;
  }

  #judge(candidate: { epoch: number; weights: Weights }): void {
    const score = this.windowScore(candidate.epoch);
    if (score > this.#best.score) this.#best = { epoch: candidate.epoch, score, weights: candidate.weights };
  }
}
