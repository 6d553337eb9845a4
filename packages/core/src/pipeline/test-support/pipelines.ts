import { afterEach } from 'vitest';
import { silentLogger } from '../../logger.ts';
import { createSkopos } from '../create-skopos.ts';
import type { Skopos, SkoposOptions } from '../types.ts';
import { type RecordingStore, recordingStore, website } from './recording-store.ts';

/**
 * `pipeline()` for the tests of one file: a `createSkopos` over a recording store with the given
 * sites (default one site, `site`), shut down after each test.
 */
export function usePipelines(): (
  sites?: string[],
  options?: Partial<Omit<SkoposOptions, 'store'>>,
) => { store: RecordingStore; skopos: Skopos } {
  let open: Skopos[] = [];
  afterEach(async () => {
    await Promise.all(open.map((skopos) => skopos.shutdown()));
    open = [];
  });
  return (sites = ['site'], options = {}) => {
    const store = recordingStore(sites.map((trackingId) => website(trackingId)));
    const skopos = createSkopos({ store, logger: silentLogger, ...options });
    open.push(skopos);
    return { store, skopos };
  };
}
