export type { LocalClientFacts } from './local-client.ts';
export { isLocalClient } from './local-client.ts';
export type { ReadAccess, ReadAccessOptions, ReadFacts, ReadVerdict } from './read-access.ts';
export { createReadAccess, presentedReadKey } from './read-access.ts';
export { askReadHook, READ_HOOK_TIMEOUT_MS } from './read-hook.ts';
export { isSameOrigin } from './same-origin.ts';
export { createSecretCheck } from './secret-check.ts';
