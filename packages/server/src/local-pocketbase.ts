import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { type Logger, silentLogger } from '@skopos/core';
import { type PocketBaseInstance, startPocketBase } from '@skopos/pocketbase-runtime';
import { pocketbaseStore, skoposHooksDir } from '@skopos/pocketbase-store';
import type { LocalPocketBaseArgs } from './cli-args.ts';
import { assertPortFree } from './port-free.ts';
import { type ResolvedSuperuser, resolveSuperuser } from './superuser.ts';

/** What happened to each requested website. */
export interface WebsiteOutcome {
  trackingId: string;
  domain: string;
  created: boolean;
}

export interface LocalPocketBase {
  pb: PocketBaseInstance;
  /** Absolute Skopos directory; PocketBase's data is in `<dir>/pb_data`. */
  dir: string;
  superuser: ResolvedSuperuser;
  websites: WebsiteOutcome[];
}

/**
 * Starts the bundled PocketBase on persistent data in `<dir>/pb_data`, upserts the superuser,
 * deploys the Skopos schema and creates the requested websites that do not exist yet (an existing
 * trackingId is left as it is). Stopping `pb` keeps the data.
 */
export async function startLocalPocketBase(
  args: LocalPocketBaseArgs,
  logger: Logger = silentLogger,
): Promise<LocalPocketBase> {
  if (args.port !== undefined) await assertPortFree(args.port);
  const dir = resolve(args.dir);
  await mkdir(dir, { recursive: true });
  const superuser = await resolveSuperuser(dir, { email: args.adminEmail, password: args.adminPassword });
  // A given `dir` is never deleted by the runtime; migrations and hooks go next to it in `dir`.
  const pb = await startPocketBase({
    superuser: { email: superuser.email, password: superuser.password },
    dir: join(dir, 'pb_data'),
    // The store's SQL write route: one transaction per flush instead of PocketBase's batch API.
    hooksDir: skoposHooksDir(),
    ...(args.port === undefined ? {} : { port: args.port }),
  });
  const store = pocketbaseStore({
    url: pb.url,
    adminEmail: superuser.email,
    adminPassword: superuser.password,
    logger,
  });
  try {
    await store.ensureSchema();
    const websites: WebsiteOutcome[] = [];
    for (const site of args.sites) {
      const domain = site.domain ?? '';
      const existing = await store.getWebsite(site.trackingId);
      if (existing === null) await store.createWebsite({ trackingId: site.trackingId, domain });
      websites.push({
        trackingId: site.trackingId,
        domain: existing?.domain ?? domain,
        created: existing === null,
      });
    }
    return { pb, dir, superuser, websites };
  } catch (error) {
    await pb.stop();
    throw error;
  } finally {
    await store.close();
  }
}
