import { liveQuery } from 'dexie';
import { MovieSearch } from '../../search/movieSearch';
import { getActiveDataset, moviesOf } from '../../storage/datasetStore';
import { db, type DatasetRecord, type ModelRecord, type HistoryRecord, type MovieRecord, type ProfileRecord, type WatchlistRecord } from '../../storage/db';
import { currentModel } from '../../storage/modelStore';
import { getActiveProfileId } from '../../storage/profileStore';

/**
 * What every page needs to know, kept live from IndexedDB (so another tab's changes show here
 * too): the active data set and its catalogue, the chosen profile, its history and watch-list.
 */
class Session {
  dataset = $state<DatasetRecord | null>(null);
  /** The active data set's movies, in item order; the search index over them. */
  catalogue = $state.raw<MovieRecord[]>([]);
  search = $state.raw<MovieSearch | null>(null);
  profile = $state<ProfileRecord | null>(null);
  history = $state.raw<HistoryRecord[]>([]);
  watchlist = $state.raw<WatchlistRecord[]>([]);
  loaded = $state(false);
  /** The active data set's trained model (without its weights), or null. */
  model = $state.raw<ModelRecord | null>(null);

  /** MovieLens movieId -> catalogue movie. */
  readonly movieById = $derived(new Map(this.catalogue.map((m) => [m.movieId, m])));
  readonly historyIds = $derived(new Set(this.history.map((h) => h.movieId)));
  readonly watchlistIds = $derived(new Set(this.watchlist.map((w) => w.movieId)));

  private profileSubscription: { unsubscribe(): void } | null = null;
  private loadedDatasetId: number | null = null;

  constructor() {
    liveQuery(getActiveDataset).subscribe({
      next: (dataset) => {
        this.dataset = dataset;
        void this.loadCatalogue(dataset?.id ?? null);
      },
    });
    liveQuery(async () => {
      const dataset = await getActiveDataset();
      return dataset ? currentModel(dataset.id) : null;
    }).subscribe({ next: (model) => (this.model = model) });
    liveQuery(getActiveProfileId).subscribe({
      next: (id) => this.followProfile(id),
    });
  }

  private async loadCatalogue(datasetId: number | null): Promise<void> {
    if (datasetId === this.loadedDatasetId) return;
    this.loadedDatasetId = datasetId;
    const movies = datasetId === null ? [] : await moviesOf(datasetId).toArray();
    if (this.loadedDatasetId !== datasetId) return;
    this.catalogue = movies;
    this.search = new MovieSearch(movies);
    this.loaded = true;
  }

  private followProfile(id: number | null): void {
    this.profileSubscription?.unsubscribe();
    this.profileSubscription = null;
    if (id === null) {
      this.profile = null;
      this.history = [];
      this.watchlist = [];
      return;
    }
    this.profileSubscription = liveQuery(async () => ({
      profile: (await db.profiles.get(id)) ?? null,
      history: await db.history.where('profileId').equals(id).sortBy('addedAt'),
      watchlist: await db.watchlist.where('profileId').equals(id).sortBy('addedAt'),
    })).subscribe({
      next: ({ profile, history, watchlist }) => {
        this.profile = profile;
        this.history = history;
        this.watchlist = watchlist;
      },
    });
  }
}

export const session = new Session();
