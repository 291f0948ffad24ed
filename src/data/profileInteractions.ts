import { NO_ITEM, type InteractionSplit } from './interactions';

export interface ProfileHistory {
  profileId: number;
  /** MovieLens movieIds the profile has seen. */
  movieIds: number[];
  /** The profile's history version the training used, to tell later whether the model is out of date. */
  historyChangedAt: number;
}

export interface ProfileUser {
  profileId: number;
  /** The profile's user index in the trained model. */
  user: number;
  historyChangedAt: number;
  /** Movies of the history that are in the data set's catalogue (the others cannot be learned from). */
  movies: number;
}

/**
 * The training data of a model: the data set's users, then one user per profile, whose history
 * is training data like anyone else's. Profiles have no held-out movie (`validationItems` and
 * `testItems` are -1): they are never part of the evaluation, which stays on the data set's users.
 */
export function appendProfiles(
  split: InteractionSplit,
  itemOfMovie: Map<number, number>,
  profiles: ProfileHistory[],
): { split: InteractionSplit; profileUsers: ProfileUser[] } {
  const extraUsers: number[] = [];
  const extraItems: number[] = [];
  const profileUsers: ProfileUser[] = [];
  profiles.forEach((profile, k) => {
    const user = split.numUsers + k;
    const items = [...new Set(profile.movieIds.map((m) => itemOfMovie.get(m)).filter((i): i is number => i !== undefined))].sort(
      (a, b) => a - b,
    );
    for (const item of items) {
      extraUsers.push(user);
      extraItems.push(item);
    }
    profileUsers.push({ profileId: profile.profileId, user, historyChangedAt: profile.historyChangedAt, movies: items.length });
  });
  const trainUsers = new Int32Array(split.trainUsers.length + extraUsers.length);
  trainUsers.set(split.trainUsers);
  trainUsers.set(extraUsers, split.trainUsers.length);
  const trainItems = new Int32Array(split.trainItems.length + extraItems.length);
  trainItems.set(split.trainItems);
  trainItems.set(extraItems, split.trainItems.length);
  const heldOut = (items: Int32Array): Int32Array => {
    const out = new Int32Array(split.numUsers + profiles.length).fill(NO_ITEM);
    out.set(items);
    return out;
  };
  return {
    split: {
      numUsers: split.numUsers + profiles.length,
      numItems: split.numItems,
      trainUsers,
      trainItems,
      validationItems: heldOut(split.validationItems),
      testItems: heldOut(split.testItems),
    },
    profileUsers,
  };
}
