import type { Locator, Page } from '@playwright/test';

export interface Taste {
  genres?: string[];
  before?: number;
}
export interface TasteProfile {
  name: string;
  taste: Taste;
  /** [search query, movieId] */
  movies: [string, number][];
}
export interface ListedMovie {
  movieId: number;
  title: string;
  year: number | null;
  genres: string[];
}
export declare const TASTE_PROFILES: TasteProfile[];
export declare function inTaste(taste: Taste, movie: Pick<ListedMovie, 'year' | 'genres'>): boolean;
export declare function listedMovies(list: Locator): Promise<ListedMovie[]>;
export declare function makeTasteProfile(page: Page, profile: TasteProfile): Promise<void>;
