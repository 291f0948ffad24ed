import { describe, expect, it } from 'vitest';
import { evaluateFullCatalogue, fullCatalogueUsers, topCandidates } from '../../../../src/engine/evaluation/fullCatalogue';
import { knownInteractions } from '../../../../src/engine/data/sparseRows';

/** 2 users, 12 items; user 0 trained on 0 and 1, validation 2, test 3; user 1 trained on 4, test 5, no validation. */
const split = {
  numUsers: 2,
  numItems: 12,
  trainUsers: Int32Array.of(0, 0, 1),
  trainItems: Int32Array.of(0, 1, 4),
  validationItems: Int32Array.of(2, -1),
  testItems: Int32Array.of(3, 5),
};
const known = knownInteractions(split);
const popularity = Int32Array.of(5, 5, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0);

/** Scores from a table: scoreTable[u][i]. */
const scorerOf = (table: number[][]) => (u: number, out: Float32Array) => out.set(table[u]);

/** Users 0 and 1 of the split, scored from `table`, ranked against their held-out items (test unless given). */
const evaluateTable = (table: number[][], heldOut = split.testItems) =>
  evaluateFullCatalogue({ numItems: 12, users: Int32Array.of(0, 1), heldOut, known, popularity, scoreUser: scorerOf(table) });

describe('evaluateFullCatalogue', () => {
  it('ranks the held-out item among every item the user is not known to have seen', () => {
    // User 0: known items 0, 1, 2 score highest but are excluded; the test item 3 comes after items 6..11.
    const user0 = [100, 99, 98, 5, 1, 1, 10, 9, 8, 7, 6, 6];
    // User 1: item 4 (known) scores 50, the test item 5 ties with item 7: a tie counts against the model.
    const user1 = [0, 0, 0, 0, 50, 3, 0, 3, 0, 0, 0, 0];
    const result = evaluateTable([user0, user1]);
    // User 0: items 6, 7, 8, 9, 10, 11 score above 5 → rank 6. User 1: item 7 ties → rank 1.
    expect(result.users).toBe(2);
    expect(result.hr10).toBe(1);
    expect(result.ndcg10).toBeCloseTo((1 / Math.log2(8) + 1 / Math.log2(3)) / 2, 10);
  });

  it('evaluates the validation items alike, skipping users without one', () => {
    const scores = [0, 0, 1, 0, 0, 0, 2, 2, 2, 2, 2, 2];
    // User 0's validation item 2 is beaten by the six 2s (the test item 3 is known, so not a candidate).
    const validation = evaluateTable([scores, scores], split.validationItems);
    expect(validation.users).toBe(1);
    expect(validation.ndcg10).toBeCloseTo(1 / Math.log2(8), 10);
  });

  it('misses a held-out item that ten candidates beat', () => {
    const one = {
      numUsers: 1,
      numItems: 13,
      trainUsers: Int32Array.of(0),
      trainItems: Int32Array.of(0),
      validationItems: Int32Array.of(-1),
      testItems: Int32Array.of(1),
    };
    const scores = [99, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 0];
    const result = evaluateFullCatalogue({
      numItems: 13,
      users: Int32Array.of(0),
      heldOut: one.testItems,
      known: knownInteractions(one),
      popularity: new Int32Array(13),
      scoreUser: scorerOf([scores]),
    });
    expect(result.hr10).toBe(0);
    expect(result.ndcg10).toBe(0);
  });

  it('reports the coverage and the top-100 share of the top-10 lists', () => {
    const table = [
      [0, 0, 0, 9, 8, 7, 6, 5, 4, 3, 2, 1],
      [0, 0, 0, 9, 8, 7, 6, 5, 4, 3, 2, 1],
    ];
    const result = evaluateTable(table);
    // User 0's list: 3..11 (9 items, after excluding 0, 1, 2); user 1's (4 excluded): 3, 5..11, 0, 1; item 2 is never
    // recommended: coverage 11/12. With 12 items all are among the "top 100": share 1.
    expect(result.coverage10).toBeCloseTo(11 / 12, 10);
    expect(result.top100Share10).toBe(1);
  });
});

describe('topCandidates', () => {
  it('keeps the best non-excluded items, best first, the smaller item first on ties, NaN never', () => {
    const scores = Float32Array.of(1, 5, NaN, 5, 3, 9, 0);
    const excluded = Uint8Array.of(0, 0, 0, 0, 0, 1, 0);
    const top = new Int32Array(3);
    expect(topCandidates(scores, excluded, top)).toBe(3);
    expect(Array.from(top)).toEqual([1, 3, 4]);
  });

  it('returns fewer than asked when there are fewer candidates', () => {
    const top = new Int32Array(10);
    expect(topCandidates(Float32Array.of(2, 1), new Uint8Array(2), top)).toBe(2);
    expect(Array.from(top.subarray(0, 2))).toEqual([0, 1]);
  });
});

describe('fullCatalogueUsers', () => {
  it('takes every user with a held-out item, or a fixed seeded sample of them', () => {
    const heldOut = Int32Array.from({ length: 100 }, (_, u) => (u % 10 === 0 ? -1 : 1));
    expect(fullCatalogueUsers(heldOut, 1000, 1).length).toBe(90);
    const sample = fullCatalogueUsers(heldOut, 30, 1);
    expect(sample.length).toBe(30);
    expect(Array.from(sample)).toEqual(Array.from(fullCatalogueUsers(heldOut, 30, 1)));
    expect(Array.from(sample)).toEqual([...sample].sort((a, b) => a - b));
    for (const u of sample) expect(u % 10).not.toBe(0);
  });
});
