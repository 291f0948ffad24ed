/**
 * A running average of a model's weight tables, kept beside them in their own copies: what a
 * trainer folds its weights into every few steps and swaps in to be scored and kept (the
 * schedule and the reason are src/engine/training/weightAveraging.ts).
 */
/** Throws unless `keep`, the share of itself an average keeps at a fold, lies in [0, 1). */
export function checkAverageKeep(keep: number): void {
  if (!(keep >= 0 && keep < 1)) throw new RangeError(`An average keeps a share from 0 up to 1 of itself, got ${keep}.`);
}

export class TablesAverage {
  /** The average, one copy per table, in the order the tables are given; null until the first fold. */
  private average: Float32Array[] | null = null;

  /**
   * average = keep · average + (1 − keep) · tables, table by table; the first fold (or `keep` 0)
   * copies the tables.
   */
  fold(tables: Float32Array[], keep: number): void {
    checkAverageKeep(keep);
    if (this.average === null || keep === 0) {
      if (this.average === null || !this.holdsShapesOf(tables)) this.average = tables.map((table) => new Float32Array(table.length));
      this.average.forEach((copy, t) => copy.set(tables[t]));
      return;
    }
    if (!this.holdsShapesOf(tables)) throw new Error('The tables are not the ones averaged.');
    const add = 1 - keep;
    for (let t = 0; t < tables.length; t++) {
      const average = this.average[t];
      const table = tables[t];
      for (let k = 0; k < table.length; k++) average[k] = keep * average[k] + add * table[k];
    }
  }

  /** Exchanges the tables' contents with the average's, in place: a second swap restores both. */
  swap(tables: Float32Array[]): void {
    if (this.average === null) throw new Error('Nothing has been averaged yet.');
    if (!this.holdsShapesOf(tables)) throw new Error('The tables are not the ones averaged.');
    for (let t = 0; t < tables.length; t++) {
      const average = this.average[t];
      const table = tables[t];
      for (let k = 0; k < table.length; k++) {
        const x = table[k];
        table[k] = average[k];
        average[k] = x;
      }
    }
  }

  private holdsShapesOf(tables: Float32Array[]): boolean {
    const average = this.average;
    return average !== null && average.length === tables.length && tables.every((table, t) => table.length === average[t].length);
  }
}
