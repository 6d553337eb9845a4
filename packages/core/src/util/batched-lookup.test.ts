import { describe, expect, it } from 'vitest';
import { chunksOf, createBatchedLookup } from './batched-lookup.ts';

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A loader that records the ids of each request it was asked (one store request each). */
function recordingLoader() {
  const requests: string[][] = [];
  const bounds: number[] = [];
  const load = async (_website: string, ids: string[], bound: number): Promise<Map<string, string>> => {
    requests.push(ids);
    bounds.push(bound);
    if (ids.includes('bad')) throw new Error('store down');
    return new Map(ids.filter((id) => id !== 'missing').map((id) => [id, `row-${id}`]));
  };
  return { load, requests, bounds };
}

describe('batched lookups', () => {
  it('send the lookups of one turn as one request on the next turn after a quiet spell', async () => {
    const { load, requests } = recordingLoader();
    const get = createBatchedLookup(load);
    const answers = Promise.all([get('site', 'a'), get('site', 'b'), get('site', 'missing')]);
    expect(requests).toEqual([]);
    expect(await answers).toEqual(['row-a', 'row-b', null]);
    expect(requests).toEqual([['a', 'b', 'missing']]);
  });

  it('under steady traffic, hold lookups made in separate turns so that they share a request', async () => {
    const { load, requests } = recordingLoader();
    const get = createBatchedLookup(load);
    await get('site', 'first');
    const later: Promise<string | null>[] = [];
    for (const id of ['x', 'y', 'z']) {
      later.push(get('site', id));
      await nextTurn();
    }
    expect(await Promise.all(later)).toEqual(['row-x', 'row-y', 'row-z']);
    expect(requests).toEqual([['first'], ['x', 'y', 'z']]);
  });

  it('with no window, send each turn on its own (one request per turn)', async () => {
    const { load, requests } = recordingLoader();
    const get = createBatchedLookup(load, { windowMs: 0 });
    await get('site', 'first');
    const later = [get('site', 'x')];
    await nextTurn();
    later.push(get('site', 'y'));
    await Promise.all(later);
    expect(requests).toEqual([['first'], ['x'], ['y']]);
  });

  it("give each request's callers its answer or its error", async () => {
    const { load } = recordingLoader();
    const get = createBatchedLookup(load);
    const [ok, bad] = await Promise.allSettled([get('one', 'a'), get('two', 'bad')]);
    expect(ok).toEqual({ status: 'fulfilled', value: 'row-a' });
    expect(bad).toMatchObject({ status: 'rejected', reason: new Error('store down') });
  });

  it('load with the smallest bound and filter the answer by each caller’s own', async () => {
    const { load, bounds } = recordingLoader();
    const get = createBatchedLookup(load, { accept: (_value, bound) => bound <= 5 });
    expect(await Promise.all([get('site', 'a', 9), get('site', 'a', 3)])).toEqual([null, 'row-a']);
    expect(bounds).toEqual([3]);
  });

  it('split a website’s ids into the chunks the store asks for, one request each', async () => {
    const { load, requests } = recordingLoader();
    const get = createBatchedLookup(load, { chunk: (ids) => chunksOf(ids, 2) });
    await Promise.all(['a', 'b', 'c'].map((id) => get('site', id)));
    expect(requests).toEqual([['a', 'b'], ['c']]);
    expect(chunksOf(Array.from({ length: 401 }, String)).map((part) => part.length)).toEqual([200, 200, 1]);
  });
});
