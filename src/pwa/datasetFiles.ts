/**
 * Which responses may go into the offline cache of the provisioned data sets. Only the page puts
 * data files there (serviceWorker.ts), each one listed in datasets/index.json, checked against
 * its listed size and never an HTML page (a static host answers a missing file with its
 * index.html fallback and status 200). The service worker serves that cache and adds nothing of
 * its own (sw.ts).
 */

/** No file is kept offline above this (MovieLens's largest, ml-32m's ratings.csv, is 877 MB). */
export const MAX_CACHED_FILE_BYTES = 1024 * 1024 * 1024;

const DATA_FILE = /(?:^|\/)(?:[^/]+\.(?:csv|dat|zip)|u\.(?:data|item))$/i;

/** Why `response` for the listed file `path` of `listedSize` bytes must not be cached, or null when it may. */
export function datasetFileProblem(path: string, listedSize: number | undefined, response: Response): string | null {
  if (!DATA_FILE.test(path)) return `${path} is not a MovieLens data file`;
  if (response.status !== 200) return `${path} answered ${response.status}`;
  if ((response.headers.get('content-type') ?? '').toLowerCase().includes('text/html')) return `${path} answered with a web page`;
  if (listedSize === undefined || !Number.isFinite(listedSize) || listedSize <= 0) return `${path} has no size in the manifest`;
  if (listedSize > MAX_CACHED_FILE_BYTES) return `${path} is too large to keep offline`;
  const length = response.headers.get('content-length');
  if (length !== null && Number(length) !== listedSize) return `${path} is not the size the manifest says`;
  return null;
}

/** Whether the data sets' manifest response is one: JSON, not a fallback page. */
export function isManifestResponse(response: Response): boolean {
  return response.status === 200 && (response.headers.get('content-type') ?? '').toLowerCase().includes('json');
}
