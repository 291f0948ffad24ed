import { describe, expect, it } from 'vitest';
import type { InteractionSplit } from '../../../../src/data/interactions';
import { FULL_CATALOGUE_PAIRS, planHeldOutEvaluation } from '../../../../src/engine/evaluation/heldOutEvaluation';

/** `numUsers` users over `numItems` movies, each with one training movie, a validation and a test movie. */
function splitOf(numUsers: number, numItems: number): InteractionSplit {
  const users = Int32Array.from({ length: numUsers }, (_, u) => u);
  return {
    numUsers,
    numItems,
    trainUsers: users,
    trainItems: users.map((u) => u % numItems),
    validationItems: users.map((u) => (u + 1) % numItems),
    testItems: users.map((u) => (u + 2) % numItems),
  };
}

describe('planHeldOutEvaluation', () => {
  it('ranks every user of ml-1m against the full catalogue (6,040 users, 3,706 movies)', () => {
    // A sample of ml-1m's users made the validation figure that chooses the epoch too noisy
    // (docs/BENCHMARKS.md, "Every ml-1m user in the evaluation").
    const plan = planHeldOutEvaluation(splitOf(6_040, 3_706), { perUser: 99 });
    expect(plan.validationUsers.length).toBe(6_040);
    expect(plan.testUsers.length).toBe(6_040);
  });

  it('ranks a fixed seeded sample, the same for validation and test, where every user would take too long', () => {
    const numItems = 60_000;
    const split = splitOf(20_000, numItems);
    const plan = planHeldOutEvaluation(split, { perUser: 99 });
    expect(plan.validationUsers.length).toBe(Math.floor(FULL_CATALOGUE_PAIRS / numItems));
    expect(Array.from(plan.testUsers)).toEqual(Array.from(plan.validationUsers));
    expect(Array.from(planHeldOutEvaluation(split, { perUser: 99 }).validationUsers)).toEqual(Array.from(plan.validationUsers));
  });
});
