import { describe, expect, it } from 'vitest';
import type { Scores } from '../../../src/bridge/rankingMessages';
import {
  candidateMovieIds,
  RANDOM_CANDIDATES,
  recommend,
  refill,
  TOP_K,
  type RecommendRequest,
} from '../../../src/recommend/recommendFlow';
import { NO_FILTER } from '../../../src/search/movieSearch';
import type { MovieRecord } from '../../../src/storage/db';

/** 300 movies: ids 1..300, dramas in even years, comedies in odd ones; popularity grows with the id. */
const CATALOGUE: MovieRecord[] = Array.from({ length: 300 }, (_, i) => ({
  datasetId: 1,
  item: i,
  movieId: i + 1,
  title: `Movie ${i + 1} (${1950 + (i % 60)})`,
  year: 1950 + (i % 60),
  genres: [i % 2 === 0 ? 'Drama' : 'Comedy'],
  imdbId: null,
  tmdbId: null,
  popularity: i + 1,
}));

function request(overrides: Partial<RecommendRequest> = {}): RecommendRequest {
  return {
    mode: 'random',
    catalogue: CATALOGUE,
    seen: [1, 2, 3],
    onWatchlist: [4],
    dismissed: [],
    filter: { ...NO_FILTER },
    discover: false,
    seed: 7,
    ...overrides,
  };
}

/** A model that likes movies by `like(movieId)`; it keeps what it was asked to score. */
function fakeScorer(like: (movieId: number) => number) {
  const asked: number[][] = [];
  const scorer = async (candidates: Float64Array): Promise<Scores> => {
    asked.push(Array.from(candidates));
    return {
      type: 'scores',
      scores: Float32Array.from(candidates, like),
      source: 'trained',
      foldInSeconds: null,
      seconds: 0.01,
      modelId: 1,
      kind: 'neumf',
    };
  };
  return { scorer, asked };
}

describe('recommend', () => {
  it('ranks 100 random unseen movies, best first, with match scores from the best (100) down', async () => {
    const { scorer, asked } = fakeScorer((id) => id / 1000);
    const outcome = await recommend(request(), scorer);
    if (outcome.kind !== 'ranked') throw new Error(outcome.kind);
    const [candidates] = asked;
    expect(candidates).toHaveLength(RANDOM_CANDIDATES);
    expect(candidates.filter((id) => id <= 4)).toEqual([]);
    const best = [...candidates].sort((a, b) => b - a).slice(0, TOP_K);
    expect(outcome.recommendations).toHaveLength(RANDOM_CANDIDATES);
    expect(outcome.recommendations.slice(0, TOP_K).map((r) => r.movie.movieId)).toEqual(best);
    expect(outcome.recommendations[0].match).toBe(100);
    const matches = outcome.recommendations.map((r) => r.match);
    expect(matches).toEqual([...matches].sort((a, b) => b - a));
    expect(outcome.recommendations.every((r) => r.discovery === null)).toBe(true);
    expect(outcome.info).toEqual({
      mode: 'random',
      source: 'trained',
      foldInSeconds: null,
      seconds: 0.01,
      candidates: RANDOM_CANDIDATES,
      modelId: 1,
      kind: 'neumf',
      reranked: false,
    });
    // The same seed draws the same candidates.
    await recommend(request(), scorer);
    expect(asked[1]).toEqual(candidates);
  });

  it('ranks the whole catalogue within the filters, never a seen or listed movie', async () => {
    const { scorer, asked } = fakeScorer(() => 0.5);
    const filter = { genre: 'Drama', yearFrom: 1950, yearTo: 1951 };
    const outcome = await recommend(request({ mode: 'catalogue', filter }), scorer);
    // Dramas of 1950 (ids 1, 61, 121, ...); 1 is seen.
    expect(asked[0]).toEqual([61, 121, 181, 241]);
    if (outcome.kind !== 'ranked') throw new Error(outcome.kind);
    // Equal scores: the smaller movieId first.
    expect(outcome.recommendations.map((r) => r.movie.movieId)).toEqual([61, 121, 181, 241]);
  });

  it('favouring lesser-known films re-ranks by discovery (match minus a popularity penalty), says so, and keeps the match', async () => {
    // The model likes movies 250-300 about equally, the more popular ones a hair more: what "lesser-known" pushes against.
    const like = (id: number): number => (id >= 250 ? 1 + id / 100_000 : 0);
    const plain = await recommend(request({ mode: 'catalogue' }), fakeScorer(like).scorer);
    const discover = await recommend(request({ mode: 'catalogue', discover: true }), fakeScorer(like).scorer);
    if (plain.kind !== 'ranked' || discover.kind !== 'ranked') throw new Error('not ranked');
    expect(plain.recommendations.slice(0, TOP_K).map((r) => r.movie.movieId)).toEqual([300, 299, 298, 297, 296, 295, 294, 293, 292, 291]);
    expect(plain.info.reranked).toBe(false);
    // Among the movies it likes, the least popular now come first.
    expect(discover.recommendations.slice(0, TOP_K).map((r) => r.movie.movieId)).toEqual([
      250, 251, 252, 253, 254, 255, 256, 257, 258, 259,
    ]);
    expect(discover.info.reranked).toBe(true);
    const matchOf = new Map(plain.recommendations.map((r) => [r.movie.movieId, r.match]));
    for (const r of discover.recommendations) {
      expect(r.match).toBe(matchOf.get(r.movie.movieId));
      expect(r.discovery!).toBeLessThanOrEqual(r.match);
    }
    const values = discover.recommendations.map((r) => r.discovery!);
    expect(values).toEqual([...values].sort((a, b) => b - a));
    // In the random mode the option does not apply.
    const random = await recommend(request({ discover: true }), fakeScorer(like).scorer);
    const randomPlain = await recommend(request(), fakeScorer(like).scorer);
    expect(random).toEqual(randomPlain);
  });

  it('says when no movie is left to rank, without asking the model', async () => {
    const { scorer, asked } = fakeScorer(() => 1);
    const outcome = await recommend(request({ mode: 'catalogue', filter: { genre: 'Western', yearFrom: null, yearTo: null } }), scorer);
    expect(outcome).toEqual({ kind: 'no-candidates' });
    expect(asked).toEqual([]);
  });

  it('says when the data set has no model yet', async () => {
    expect(await recommend(request(), async () => null)).toEqual({ kind: 'no-model' });
  });
});

describe('refill', () => {
  it('keeps the shown movies in place and fills up from a fresh ranking, skipping what is shown or excluded', async () => {
    const { scorer } = fakeScorer((id) => id);
    const first = await recommend(request({ mode: 'catalogue' }), scorer);
    const fresh = await recommend(
      request({ mode: 'catalogue', seen: [1, 2, 3, 300] }),
      fakeScorer((id) => (id === 250 ? 1000 : id)).scorer,
    );
    if (first.kind !== 'ranked' || fresh.kind !== 'ranked') throw new Error('not ranked');
    const shown = first.recommendations.slice(0, TOP_K);
    const after = refill(shown, fresh.recommendations, new Set([300]), TOP_K);
    expect(after.map((r) => r.movie.movieId)).toEqual([299, 298, 297, 296, 295, 294, 293, 292, 291, 250]);
    // Every match is the fresh ranking's, where 250 is now the best: one scale for the whole list.
    const freshMatch = new Map(fresh.recommendations.map((r) => [r.movie.movieId, r.match]));
    expect(after.map((r) => r.match)).toEqual(after.map((r) => freshMatch.get(r.movie.movieId)));
    expect(after[9].match).toBe(100);
    expect(after[0].match).not.toBe(shown[0].match);
  });
});

describe('candidateMovieIds', () => {
  it('leaves out dismissed movies', () => {
    expect(
      candidateMovieIds({ ...request({ mode: 'catalogue' }), dismissed: [100, 200] }).filter((id) => id === 100 || id === 200),
    ).toEqual([]);
  });

  it('leaves out what was seen or put on the watch-list, in both modes', () => {
    const everything = candidateMovieIds({ ...request({ mode: 'catalogue' }), seen: [10, 20], onWatchlist: [30] });
    expect(everything).toHaveLength(297);
    expect(everything.filter((id) => [10, 20, 30].includes(id))).toEqual([]);
    const few = candidateMovieIds({ ...request({ catalogue: CATALOGUE.slice(0, 6) }), seen: [1, 2], onWatchlist: [3] });
    expect(few.sort((a, b) => a - b)).toEqual([4, 5, 6]);
  });
});
