export type { MemoryStore, YieldingMemoryStore } from './memory-store.ts';
export { memoryStore } from './memory-store.ts';
export type { MemoryStoreOptions, WebsiteInput, WebsitePatch } from './options.ts';
export { MAX_AUTO_CREATED_WEBSITES } from './website-registry.ts';
