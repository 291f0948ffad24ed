/** Small synthetic data sets for the engine's tests. */
import type { InteractionSplit } from '../../../src/data/interactions';
import { SeededRandom } from '../../../src/shared/random';

/**
 * Users and items fall into `clusters` groups; each user interacts only with items of its own
 * group, so a model that learns anything ranks the held-out items (also in-group) highly.
 * Each user has `perUser` + 1 items: one test item, one validation item and `perUser` - 1 training items.
 */
export function plantedSplit(numUsers = 60, numItems = 120, clusters = 4, perUser = 12, seed = 1): InteractionSplit {
  const rng = new SeededRandom(seed);
  const itemsPerCluster = numItems / clusters;
  const trainUsers: number[] = [];
  const trainItems: number[] = [];
  const testItems = new Int32Array(numUsers);
  const validationItems = new Int32Array(numUsers);
  for (let u = 0; u < numUsers; u++) {
    const cluster = u % clusters;
    const chosen = new Set<number>();
    while (chosen.size < perUser + 1) chosen.add(cluster * itemsPerCluster + rng.nextInt(itemsPerCluster));
    const list = [...chosen];
    testItems[u] = list.pop()!;
    validationItems[u] = list.pop()!;
    for (const i of list) {
      trainUsers.push(u);
      trainItems.push(i);
    }
  }
  return {
    numUsers,
    numItems,
    trainUsers: Int32Array.from(trainUsers),
    trainItems: Int32Array.from(trainItems),
    validationItems,
    testItems,
  };
}

/** A random mini-batch with about 30 % positives, for gradient and parity checks. */
export function randomBatch(numUsers: number, numItems: number, size: number, seed: number) {
  const rng = new SeededRandom(seed);
  const users = Int32Array.from({ length: size }, () => rng.nextInt(numUsers));
  const items = Int32Array.from({ length: size }, () => rng.nextInt(numItems));
  const labels = Float32Array.from({ length: size }, () => (rng.nextFloat() < 0.3 ? 1 : 0));
  return { users, items, labels };
}
