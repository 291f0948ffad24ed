/** The list of data sets a build carries (public/datasets/index.json, written by `npm run data`). */
export interface ProvisionedManifest {
  datasets: { id: string; name: string; files: { name: string; path: string; size: number }[] }[];
}

/** Why the provisioned data set cannot be used, in the words the app shows. */
export type ManifestOutcome = { kind: 'manifest'; manifest: ProvisionedManifest } | { kind: 'unavailable'; reason: string };

/**
 * Reads the server's answer for the data index. A build made without `npm run data` has no index,
 * and many static hosts answer a missing file with the app's own index.html: both say so in words
 * instead of a JSON error in the console.
 */
export function readProvisionedManifest(answer: { status: number; contentType: string; text: string } | null): ManifestOutcome {
  if (answer === null) return { kind: 'unavailable', reason: 'The movie data set could not be loaded: the server did not answer.' };
  const withoutData = 'This copy of Reel was built without its movie data set';
  if (answer.status === 404) return { kind: 'unavailable', reason: `${withoutData} (the server has no datasets/index.json).` };
  if (answer.status < 200 || answer.status >= 300) {
    return { kind: 'unavailable', reason: `The movie data set could not be loaded: the server answered ${answer.status}.` };
  }
  if (answer.contentType.includes('text/html') || /^\s*</.test(answer.text)) {
    return { kind: 'unavailable', reason: `${withoutData} (the server answers its data index with a web page).` };
  }
  let data: unknown;
  try {
    data = JSON.parse(answer.text);
  } catch {
    return { kind: 'unavailable', reason: 'The movie data set could not be loaded: its index (datasets/index.json) is damaged.' };
  }
  const datasets = (data as Partial<ProvisionedManifest> | null)?.datasets;
  if (!Array.isArray(datasets) || datasets.length === 0) {
    return { kind: 'unavailable', reason: `${withoutData} (its data index lists none).` };
  }
  return { kind: 'manifest', manifest: { datasets } };
}
