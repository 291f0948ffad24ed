import { liveQuery } from 'dexie';
import { MovieSearch } from '../../search/movieSearch';
import { getActiveDataset, moviesOf } from '../../storage/datasetStore';
import type {
  DatasetRecord,
  HistoryRecord,
  ModelRecord,
  MovieRecord,
  NotForMeRecord,
  ProfileRecord,
  WatchlistRecord,
} from '../../storage/db';
import { historyOf, moviesElsewhere, notForMeOf, watchlistOf } from '../../storage/historyStore';
import { historyTwins, type HistoryTwins } from '../../profiles/sameMovies';
import { currentModels, recommendedModel, type RecommenderChoice } from '../../storage/modelStore';
import { recommenderChoice } from '../../storage/settingsStore';
import { getActiveProfileId, getProfile } from '../../storage/profileStore';

/**
 * What every page needs to know, kept live from IndexedDB (so another tab's changes show here
 * too): the active data set and its catalogue, the chosen profile, its history and watch-list.
 * Only IndexedDB changes it: pages write through the stores, and the live queries bring it here.
 */
class Session {
  #dataset = $state<DatasetRecord | null>(null);
  #catalogue = $state.raw<MovieRecord[]>([]);
  #search = $state.raw<MovieSearch | null>(null);
  #profile = $state<ProfileRecord | null>(null);
  #profileKnown = $state(false);
  #history = $state.raw<HistoryRecord[]>([]);
  #watchlist = $state.raw<WatchlistRecord[]>([]);
  #notForMe = $state.raw<NotForMeRecord[]>([]);
  #models = $state.raw<ModelRecord[]>([]);
  #recommenderChoice = $state<RecommenderChoice>('best');
  readonly #model = $derived(recommendedModel(this.#models, this.#recommenderChoice));
  readonly #bestModel = $derived(recommendedModel(this.#models, 'best'));

  readonly #movieById = $derived(new Map(this.#catalogue.map((m) => [m.movieId, m])));
  readonly #historyIds = $derived(new Set(this.#history.map((h) => h.movieId)));
  readonly #watchlistIds = $derived(new Set(this.#watchlist.map((w) => w.movieId)));
  readonly #notForMeIds = $derived(new Set(this.#notForMe.map((w) => w.movieId)));
  #twins = $state.raw<HistoryTwins<MovieRecord>>(NO_TWINS);
  /** The last read of the history's movies missing here, as other data sets list them (not state: nothing shows it). */
  #elsewhere: { key: string; movies: MovieRecord[] } | null = null;

  #profileSubscription: { unsubscribe(): void } | null = null;
  #loadedDatasetId: number | null = null;

  constructor() {
    // The history's films marked under another data set's ids, found in this one by title and year: ml-100k numbers
    // its movies apart from the other MovieLens sets, so one film can be in a history twice.
    $effect.root(() => {
      $effect(() => {
        const dataset = this.#dataset;
        const catalogue = this.#catalogue;
        const historyIds = this.#historyIds;
        const missing = [...historyIds].filter((id) => !this.#movieById.has(id));
        if (!dataset || missing.length === 0) {
          this.#twins = NO_TWINS;
          return;
        }
        // Read from the other data sets only when the movies missing here change, not at each film added that is here.
        const key = `${dataset.id}:${missing.join(',')}`;
        const listings = this.#elsewhere?.key === key ? Promise.resolve(this.#elsewhere.movies) : moviesElsewhere(missing, dataset.id);
        let current = true;
        void listings.then((movies) => {
          this.#elsewhere = { key, movies };
          if (current) this.#twins = historyTwins(movies, catalogue, historyIds);
        });
        return () => {
          current = false;
        };
      });
    });
    liveQuery(getActiveDataset).subscribe({
      next: (dataset) => {
        this.#dataset = dataset;
        void this.#loadCatalogue(dataset?.id ?? null);
      },
    });
    liveQuery(async () => {
      const dataset = await getActiveDataset();
      return { models: dataset ? await currentModels(dataset.id) : [], choice: await recommenderChoice() };
    }).subscribe({
      next: ({ models, choice }) => {
        this.#models = models;
        this.#recommenderChoice = choice;
      },
    });
    liveQuery(getActiveProfileId).subscribe({
      next: (id) => this.#followProfile(id),
      // Pages wait for the profile to be known; a failing database must not keep them waiting (it is reported apart).
      error: () => (this.#profileKnown = true),
    });
  }

  get dataset(): DatasetRecord | null {
    return this.#dataset;
  }

  /** The active data set's movies, in item order. */
  get catalogue(): MovieRecord[] {
    return this.#catalogue;
  }

  /** The search index over the catalogue. */
  get search(): MovieSearch | null {
    return this.#search;
  }

  get profile(): ProfileRecord | null {
    return this.#profile;
  }

  /**
   * Whether `profile` has been read from the database yet. Until then it is null without meaning "no profile",
   * so the pages wait rather than ask the person to choose one for a moment.
   */
  get profileKnown(): boolean {
    return this.#profileKnown;
  }

  get history(): HistoryRecord[] {
    return this.#history;
  }

  get watchlist(): WatchlistRecord[] {
    return this.#watchlist;
  }

  /** The model that recommends (without its weights): the person's pick, or the best on validation; null before any training. */
  get model(): ModelRecord | null {
    return this.#model;
  }

  /** The model that ranks validation best, whatever the person picked. */
  get bestModel(): ModelRecord | null {
    return this.#bestModel;
  }

  /** The active data set's current models, one per kind (NeuMF first). */
  get models(): ModelRecord[] {
    return this.#models;
  }

  /** Which model the person wants recommendations from ('best' by default). */
  get recommenderChoice(): RecommenderChoice {
    return this.#recommenderChoice;
  }

  /** MovieLens movieId -> catalogue movie. */
  get movieById(): Map<number, MovieRecord> {
    return this.#movieById;
  }

  get historyIds(): Set<number> {
    return this.#historyIds;
  }

  /** History films this data set has under other ids (`HistoryTwins`). */
  get historyTwins(): HistoryTwins<MovieRecord> {
    return this.#twins;
  }

  /**
   * The catalogue is read and has none of the history's movies: training here cannot learn this profile's taste,
   * and nothing can be ranked for it (Home and Train say so).
   */
  get noneOfHistoryHere(): boolean {
    return this.#search !== null && this.#history.length > 0 && this.#history.every((h) => !this.#movieById.has(h.movieId));
  }

  /** Films the history holds: a film marked in two data sets under two ids counts once. */
  get filmsSeen(): number {
    return this.#history.length - this.#twins.alreadyHere;
  }

  get watchlistIds(): Set<number> {
    return this.#watchlistIds;
  }

  /** Movies the profile said are "not for me", oldest first. */
  get notForMe(): NotForMeRecord[] {
    return this.#notForMe;
  }

  get notForMeIds(): Set<number> {
    return this.#notForMeIds;
  }

  async #loadCatalogue(datasetId: number | null): Promise<void> {
    if (datasetId === this.#loadedDatasetId) return;
    this.#loadedDatasetId = datasetId;
    const movies = datasetId === null ? [] : await moviesOf(datasetId).toArray();
    if (this.#loadedDatasetId !== datasetId) return;
    this.#catalogue = movies;
    this.#search = new MovieSearch(movies);
  }

  #followProfile(id: number | null): void {
    this.#profileSubscription?.unsubscribe();
    this.#profileSubscription = null;
    if (id === null) {
      this.#profile = null;
      this.#history = [];
      this.#watchlist = [];
      this.#notForMe = [];
      this.#profileKnown = true;
      return;
    }
    this.#profileSubscription = liveQuery(async () => ({
      profile: await getProfile(id),
      history: await historyOf(id),
      watchlist: await watchlistOf(id),
      notForMe: await notForMeOf(id),
    })).subscribe({
      next: ({ profile, history, watchlist, notForMe }) => {
        this.#profile = profile;
        this.#history = history;
        this.#watchlist = watchlist;
        this.#notForMe = notForMe;
        this.#profileKnown = true;
      },
      error: () => (this.#profileKnown = true),
    });
  }
}

const NO_TWINS: HistoryTwins<MovieRecord> = { foundHere: [], alreadyHere: 0, notFound: [] };

export const session = new Session();
