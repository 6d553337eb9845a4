import { type PocketBaseInstance, startPocketBase } from '@skopos/pocketbase-runtime';
import { pocketbaseStore } from '@skopos/pocketbase-store';

/** The superuser of the CLI tests' PocketBase (the CLI gets it as PB_ADMIN_EMAIL / PB_ADMIN_PASSWORD). */
export const SUPERUSER = { email: 'owner@example.com', password: 'correct-horse-battery' };

/** A real PocketBase with the Skopos schema and a site (on example.com) for each of `trackingIds`. */
export async function startPocketBaseWithSites(trackingIds: readonly string[]): Promise<PocketBaseInstance> {
  // A loaded CI machine can take more than the default 15 s to answer health (also on resume()).
  const pb = await startPocketBase({ superuser: SUPERUSER, startTimeoutMs: 60_000 });
  const store = pocketbaseStore({
    url: pb.url,
    adminEmail: SUPERUSER.email,
    adminPassword: SUPERUSER.password,
  });
  try {
    await store.ensureSchema();
    for (const trackingId of trackingIds) await store.createWebsite({ trackingId, domain: 'example.com' });
  } catch (error) {
    await pb.stop();
    throw error;
  } finally {
    await store.close();
  }
  return pb;
}
