import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The superuser `skopos pocketbase` creates or updates, and where its password came from. */
export interface ResolvedSuperuser {
  email: string;
  password: string;
  /** For the printout: `--admin-password`/`PB_ADMIN_PASSWORD`, the saved file, or generated. */
  source: 'given' | 'saved' | 'generated';
  /** `<dir>/superuser.json`. */
  file: string;
}

export const DEFAULT_ADMIN_EMAIL = 'admin@skopos.local';
const FILE = 'superuser.json';

async function readSaved(file: string): Promise<{ email: string; password: string } | null> {
  try {
    const saved: unknown = JSON.parse(await readFile(file, 'utf8'));
    if (typeof saved !== 'object' || saved === null) return null;
    const { email, password } = saved as Record<string, unknown>;
    return typeof email === 'string' && typeof password === 'string' ? { email, password } : null;
  } catch {
    return null;
  }
}

/**
 * The superuser for a local PocketBase in `dir`. A generated password is saved (mode 0600) next to
 * the data it protects, so that a second run keeps the same credentials instead of resetting them.
 */
export async function resolveSuperuser(
  dir: string,
  given: { email?: string | undefined; password?: string | undefined },
): Promise<ResolvedSuperuser> {
  const file = join(dir, FILE);
  const saved = await readSaved(file);
  const email = given.email ?? saved?.email ?? DEFAULT_ADMIN_EMAIL;
  if (given.password !== undefined) return { email, password: given.password, source: 'given', file };
  if (saved !== null && saved.email === email) {
    return { email, password: saved.password, source: 'saved', file };
  }
  // Never a leading `-` (1 in 64 base64url strings): pasted into a command line it reads as a flag.
  const password = `p${randomBytes(18).toString('base64url')}`;
  await writeFile(file, `${JSON.stringify({ email, password }, null, 2)}\n`, { mode: 0o600 });
  return { email, password, source: 'generated', file };
}
