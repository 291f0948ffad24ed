import { hash32Pair } from '../shared/random';

/**
 * A seeded random subset of at most `maxUsers` users, chosen while streaming through the ratings
 * (a bottom-k sketch): each user gets a pseudo-random key from (seed, userId), and the subset is
 * the users with the `maxUsers` smallest keys. The result depends only on the seed and the set
 * of users, not on the order of the file, and memory stays bounded by the users ever admitted.
 */
export class UserSample {
  /** Max-heap of admitted users' keys, so the worst admitted user is at the top. */
  private heapKeys: Float64Array;
  /** 64-bit: user ids may be any safe integer. */
  private heapUsers: Float64Array;
  private size = 0;
  /** userId -> true while admitted, false once rejected or evicted (which is final: the bar only falls). */
  private readonly state = new Map<number, boolean>();

  constructor(
    readonly maxUsers: number,
    private readonly seed: number,
  ) {
    const capacity = Number.isFinite(maxUsers) ? Math.max(1, maxUsers) : 1024;
    this.heapKeys = new Float64Array(capacity);
    this.heapUsers = new Float64Array(capacity);
  }

  /** Whether rows of this user should be kept now. A kept user may still be evicted later. */
  admit(userId: number): boolean {
    const known = this.state.get(userId);
    if (known !== undefined) return known;
    if (!Number.isFinite(this.maxUsers)) {
      this.state.set(userId, true);
      return true;
    }
    const key = userKey(this.seed, userId);
    if (this.size < this.maxUsers) {
      this.push(key, userId);
      this.state.set(userId, true);
      return true;
    }
    if (!before(key, userId, this.heapKeys[0], this.heapUsers[0])) {
      this.state.set(userId, false);
      return false;
    }
    this.state.set(this.heapUsers[0], false);
    this.replaceTop(key, userId);
    this.state.set(userId, true);
    return true;
  }

  isKept(userId: number): boolean {
    return this.state.get(userId) === true;
  }

  /** Number of distinct users seen so far, kept or not. */
  get usersSeen(): number {
    return this.state.size;
  }

  private push(key: number, user: number): void {
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(this.heapKeys[parent], this.heapUsers[parent], key, user)) break;
      this.heapKeys[i] = this.heapKeys[parent];
      this.heapUsers[i] = this.heapUsers[parent];
      i = parent;
    }
    this.heapKeys[i] = key;
    this.heapUsers[i] = user;
  }

  private replaceTop(key: number, user: number): void {
    let i = 0;
    const n = this.size;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      const child =
        right < n && before(this.heapKeys[left], this.heapUsers[left], this.heapKeys[right], this.heapUsers[right]) ? right : left;
      if (!before(key, user, this.heapKeys[child], this.heapUsers[child])) break;
      this.heapKeys[i] = this.heapKeys[child];
      this.heapUsers[i] = this.heapUsers[child];
      i = child;
    }
    this.heapKeys[i] = key;
    this.heapUsers[i] = user;
  }
}

/**
 * A user's pseudo-random key: a hash of (seed, userId), with the id's bits above 32 mixed in only
 * when it has any, so subsets of files whose ids fit 32 bits are the ones drawn before such ids were accepted.
 */
function userKey(seed: number, userId: number): number {
  const high = Math.floor(userId / 4294967296);
  const low = userId >>> 0;
  return high === 0 ? hash32Pair(seed, low) : hash32Pair(hash32Pair(seed, high), low);
}

/** Whether (key, user) comes before (otherKey, otherUser): keys first, ties broken by userId so the order is total. */
function before(key: number, user: number, otherKey: number, otherUser: number): boolean {
  return key < otherKey || (key === otherKey && user < otherUser);
}
