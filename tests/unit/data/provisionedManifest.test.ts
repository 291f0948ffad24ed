import { describe, expect, it } from 'vitest';
import { readProvisionedManifest } from '../../../src/data/provisionedManifest';

const answer = (status: number, contentType: string, text: string) => ({ status, contentType, text });
const manifest = { datasets: [{ id: 'ml-latest-small', name: 'ml-latest-small', files: [{ name: 'ratings.csv', path: 'x', size: 1 }] }] };

describe('readProvisionedManifest', () => {
  it('reads the index that npm run data writes', () => {
    expect(readProvisionedManifest(answer(200, 'application/json', JSON.stringify(manifest)))).toEqual({ kind: 'manifest', manifest });
  });

  it('says in words when the build has no data set, as a missing file or as the app page a host answers with', () => {
    const html = readProvisionedManifest(answer(200, 'text/html', '<!doctype html><html></html>'));
    expect(html).toEqual({ kind: 'unavailable', reason: expect.stringMatching(/^This copy of Reel was built without its movie data set/) });
    expect(readProvisionedManifest(answer(404, 'text/plain', 'Not found'))).toMatchObject({ kind: 'unavailable' });
    expect(readProvisionedManifest(answer(200, 'application/json', '{"datasets": []}'))).toMatchObject({ kind: 'unavailable' });
    expect(readProvisionedManifest(answer(200, 'application/json', '{"datas'))).toMatchObject({
      reason: expect.stringMatching(/damaged/),
    });
    expect(readProvisionedManifest(null)).toMatchObject({ reason: expect.stringMatching(/did not answer/) });
  });
});
