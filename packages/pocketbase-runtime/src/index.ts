export type { FindPocketBaseBinaryOptions, PocketBaseBinary } from './find-binary.ts';
export { findPocketBaseBinary } from './find-binary.ts';
export type { PocketBaseInstance, StartPocketBaseOptions } from './start-pocketbase.ts';
export { startPocketBase } from './start-pocketbase.ts';
