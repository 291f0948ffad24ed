/** Hash routing: the URL names the page, so back/forward and reload keep the person where they were. */

export const PAGES = ['home', 'profiles', 'history', 'train', 'recommend', 'watchlist', 'evaluate', 'data'] as const;
export type PageId = (typeof PAGES)[number];

/** Each page's name, as the navigation, the tab title ("History · Reel") and the page-change announcement say it. */
export const PAGE_NAMES: Record<PageId, string> = {
  home: 'Home',
  profiles: 'Profiles',
  history: 'History',
  train: 'Train',
  recommend: 'Recommend',
  watchlist: 'Watch-list',
  evaluate: 'Evaluate',
  data: 'Data',
};

function pageFromHash(hash: string): PageId {
  const name = hash.replace(/^#\/?/, '').split(/[/?]/)[0];
  return (PAGES as readonly string[]).includes(name) ? (name as PageId) : 'home';
}

class Router {
  #page = $state<PageId>(pageFromHash(location.hash));

  constructor() {
    // The URL is the truth: links, back/forward and go() all change the page through it.
    addEventListener('hashchange', () => (this.#page = pageFromHash(location.hash)));
  }

  get page(): PageId {
    return this.#page;
  }

  go(page: PageId): void {
    location.hash = `#/${page}`;
  }
}

export const router = new Router();
