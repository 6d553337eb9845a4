import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveSuperuser } from './superuser.ts';

const root = await mkdtemp(join(tmpdir(), 'skopos-superuser-'));
afterAll(() => rm(root, { recursive: true, force: true }));

describe('resolveSuperuser', () => {
  it('generates a password once, keeps it on the next run, and never starts it with "-"', async () => {
    const first = await resolveSuperuser(root, {});
    expect(first.source).toBe('generated');
    const again = await resolveSuperuser(root, {});
    expect(again).toMatchObject({ source: 'saved', password: first.password, email: first.email });
    // A leading "-" reads as a flag when pasted into `pocketbase superuser upsert EMAIL PASSWORD`.
    const passwords = await Promise.all(
      Array.from({ length: 256 }, async (_, i) => {
        const dir = await mkdtemp(join(root, `d${i}-`));
        return (await resolveSuperuser(dir, {})).password;
      }),
    );
    expect(passwords.filter((p) => p.startsWith('-'))).toEqual([]);
    expect(new Set(passwords).size).toBe(256);
  });
});
