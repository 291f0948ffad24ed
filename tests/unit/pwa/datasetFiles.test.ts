import { describe, expect, it } from 'vitest';
import { datasetFileProblem, isManifestResponse, MAX_CACHED_FILE_BYTES } from '../../../src/pwa/datasetFiles';

function response(body: string, type: string, status = 200): Response {
  return new Response(body, { status, headers: { 'content-type': type, 'content-length': String(body.length) } });
}

describe('what the offline data set cache keeps', () => {
  it('keeps a listed data file of the listed size', () => {
    expect(datasetFileProblem('ml-latest-small/ratings.csv', 5, response('a,b\n1', 'text/csv'))).toBeNull();
    expect(datasetFileProblem('ml-100k/u.item', 5, response('1|A|x', 'application/octet-stream'))).toBeNull();
  });

  it("refuses a static host's index.html fallback, another size, an unlisted size, a huge file and anything not a data file", () => {
    const page = '<!doctype html><title>Reel</title>';
    expect(datasetFileProblem('ml/ratings.csv', page.length, response(page, 'text/html; charset=utf-8'))).toMatch(/web page/);
    expect(datasetFileProblem('ml/ratings.csv', 99, response('a,b\n1', 'text/csv'))).toMatch(/not the size/);
    expect(datasetFileProblem('ml/ratings.csv', undefined, response('a,b\n1', 'text/csv'))).toMatch(/no size/);
    expect(datasetFileProblem('ml/ratings.csv', MAX_CACHED_FILE_BYTES + 1, response('a', 'text/csv'))).toMatch(/too large/);
    expect(datasetFileProblem('ml/secret.html', 5, response('a,b\n1', 'text/csv'))).toMatch(/not a MovieLens data file/);
    expect(datasetFileProblem('ml/ratings.csv', 5, response('a,b\n1', 'text/csv', 206))).toMatch(/answered 206/);
  });

  it('takes the manifest only as JSON', () => {
    expect(isManifestResponse(response('{}', 'application/json'))).toBe(true);
    expect(isManifestResponse(response('<html>', 'text/html'))).toBe(false);
  });
});
