import type { Logger } from '@skopos/core';
import type PocketBase from 'pocketbase';
import type { AdminAuth } from './admin-auth.ts';

/** What the store's parts share: the SDK client, superuser auth and the server's batch limit. */
export interface StoreContext {
  pb: PocketBase;
  auth: AdminAuth;
  url: string;
  logger: Logger;
  /** Requests per PocketBase batch request. */
  chunkSize: number;
  /** Unique indexes the deployed schema lacks (see `SchemaInfo`): the hook route is not used then. */
  skippedUniqueIndexes: string[];
  /** The server has `skopos_writes` (see `SchemaInfo`): JS-error batches carry their `writeId`. */
  writeLog: boolean;
}
