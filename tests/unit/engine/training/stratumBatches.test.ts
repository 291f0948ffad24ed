import { describe, expect, it } from 'vitest';
import { rowsBuffer, type TrainingEpoch } from '../../../../src/engine/sampling/negatives';
import { StratumBatches } from '../../../../src/engine/training/stratumBatches';

/** A chunk of `rows` rows numbered from `first` (user = item = the row's number; label its parity). */
function numberedChunk(first: number, rows: number): TrainingEpoch {
  const chunk = rowsBuffer(rows);
  for (let r = 0; r < rows; r++) {
    chunk.users[r] = first + r;
    chunk.items[r] = first + r;
    chunk.labels[r] = (first + r) % 2;
  }
  return chunk;
}

/** StratumBatches over `batchSize` that records each batch's rows (users, items, labels) as trained. */
function recordingBatches(batchSize: number) {
  const batches: { users: number[]; items: number[]; labels: number[] }[] = [];
  const filler = new StratumBatches(batchSize, (rows, start, end) => {
    batches.push({
      users: [...rows.users.subarray(start, end)],
      items: [...rows.items.subarray(start, end)],
      labels: [...rows.labels.subarray(start, end)],
    });
  });
  return { filler, batches };
}

const numbers = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => from + k);

describe('StratumBatches', () => {
  it('fills each batch across chunks smaller than a batch, in order, and trains the rest only when flushed', () => {
    const { filler, batches } = recordingBatches(10);
    filler.add(numberedChunk(0, 4));
    filler.add(numberedChunk(4, 4));
    expect(batches).toHaveLength(0);
    filler.add(numberedChunk(8, 4));
    expect(batches.map((b) => b.users)).toEqual([numbers(0, 10)]);
    filler.flush();
    expect(batches.map((b) => b.users)).toEqual([numbers(0, 10), [10, 11]]);
    expect(batches[1].items).toEqual([10, 11]);
    expect(batches[1].labels).toEqual([0, 1]);
  });

  it('trains a chunk larger than a batch as whole batches, once the rows held before it are topped up', () => {
    const { filler, batches } = recordingBatches(10);
    filler.add(numberedChunk(0, 3));
    filler.add(numberedChunk(3, 25));
    filler.flush();
    expect(batches.map((b) => b.users)).toEqual([numbers(0, 10), numbers(10, 20), numbers(20, 28)]);
  });

  it('trains every row exactly once, one batch short at most per flush, whatever the chunk sizes', () => {
    const { filler, batches } = recordingBatches(16);
    let next = 0;
    for (const rows of [0, 1, 15, 16, 17, 40, 3, 0, 9]) {
      filler.add(numberedChunk(next, rows));
      next += rows;
    }
    filler.flush();
    filler.flush(); // nothing held: no empty batch
    expect(batches.flatMap((b) => b.users)).toEqual(numbers(0, next));
    expect(batches.slice(0, -1).every((b) => b.users.length === 16)).toBe(true);
    expect(batches.at(-1)!.users.length).toBe(next % 16 || 16);
  });
});
