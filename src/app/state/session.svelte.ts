import { liveQuery } from 'dexie';
import { MovieSearch } from '../../search/movieSearch';
import { getActiveDataset, moviesOf } from '../../storage/datasetStore';
import type { DatasetRecord, HistoryRecord, ModelRecord, MovieRecord, ProfileRecord, WatchlistRecord } from '../../storage/db';
import { historyOf, watchlistOf } from '../../storage/historyStore';
import { currentModel } from '../../storage/modelStore';
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
  #history = $state.raw<HistoryRecord[]>([]);
  #watchlist = $state.raw<WatchlistRecord[]>([]);
  #model = $state.raw<ModelRecord | null>(null);

  readonly #movieById = $derived(new Map(this.#catalogue.map((m) => [m.movieId, m])));
  readonly #historyIds = $derived(new Set(this.#history.map((h) => h.movieId)));
  readonly #watchlistIds = $derived(new Set(this.#watchlist.map((w) => w.movieId)));

  #profileSubscription: { unsubscribe(): void } | null = null;
  #loadedDatasetId: number | null = null;

  constructor() {
    liveQuery(getActiveDataset).subscribe({
      next: (dataset) => {
        this.#dataset = dataset;
        void this.#loadCatalogue(dataset?.id ?? null);
      },
    });
    liveQuery(async () => {
      const dataset = await getActiveDataset();
      return dataset ? currentModel(dataset.id) : null;
    }).subscribe({ next: (model) => (this.#model = model) });
    liveQuery(getActiveProfileId).subscribe({
      next: (id) => this.#followProfile(id),
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

  get history(): HistoryRecord[] {
    return this.#history;
  }

  get watchlist(): WatchlistRecord[] {
    return this.#watchlist;
  }

  /** The active data set's trained model (without its weights), or null. */
  get model(): ModelRecord | null {
    return this.#model;
  }

  /** MovieLens movieId -> catalogue movie. */
  get movieById(): Map<number, MovieRecord> {
    return this.#movieById;
  }

  get historyIds(): Set<number> {
    return this.#historyIds;
  }

  get watchlistIds(): Set<number> {
    return this.#watchlistIds;
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
      return;
    }
    this.#profileSubscription = liveQuery(async () => ({
      profile: await getProfile(id),
      history: await historyOf(id),
      watchlist: await watchlistOf(id),
    })).subscribe({
      next: ({ profile, history, watchlist }) => {
        this.#profile = profile;
        this.#history = history;
        this.#watchlist = watchlist;
      },
    });
  }
}

export const session = new Session();
