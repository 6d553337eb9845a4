// `skopos serve --journal`: acknowledged events survive `kill -9` and a store that is down at
// shutdown; sessions survive a restart. Real child processes, a real PocketBase, real sockets.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PocketBaseInstance } from '@skopos/pocketbase-runtime';
import { pocketbaseStore } from '@skopos/pocketbase-store';
import { freezeProcess } from '@skopos/test-utils';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, type CliProcess, startCli, stopLeftovers } from './test-cli.ts';
import { SUPERUSER, startPocketBaseWithSites } from './test-pocketbase.ts';
import { BROWSER_HEADERS } from './test-support.ts';

let root: string;
let pb: PocketBaseInstance;
const pbEnv = () => ({
  POCKETBASE_URL: pb.url,
  PB_ADMIN_EMAIL: SUPERUSER.email,
  PB_ADMIN_PASSWORD: SUPERUSER.password,
});

beforeAll(async () => {
  assertBuilt();
  root = await mkdtemp(join(tmpdir(), 'skopos-journal-cli-'));
  pb = await startPocketBaseWithSites(['crash', 'outage', 'return']);
});
afterEach(stopLeftovers);
afterAll(async () => {
  await pb?.stop();
  await rm(root, { recursive: true, force: true });
});

/** The paths of every event PocketBase holds for `trackingId`, read straight from it. */
async function storedPaths(trackingId: string): Promise<string[]> {
  const store = pocketbaseStore({
    url: pb.url,
    adminEmail: SUPERUSER.email,
    adminPassword: SUPERUSER.password,
  });
  try {
    const site = await store.getWebsite(trackingId);
    const paths: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await store.query({
        website: site?.id ?? '',
        limit: 1000,
        ...(cursor ? { cursor } : {}),
      });
      paths.push(...page.events.map((event) => event.path));
      cursor = page.nextCursor;
    } while (cursor);
    return paths;
  } finally {
    await store.close();
  }
}

/** Waits until PocketBase holds an event on `path` (the server writes every second). */
async function storedEventually(trackingId: string, path: string): Promise<void> {
  while (!(await storedPaths(trackingId)).includes(path))
    await new Promise((resolve) => setTimeout(resolve, 100));
}

const page = (path: string) => ({ type: 'pageView', url: `https://example.com${path}` });

async function post(url: string, events: unknown[], headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${url}/_tracker/events`, {
    method: 'POST',
    headers: { ...BROWSER_HEADERS, ...headers },
    body: JSON.stringify({ events }),
  });
}

function serve(site: string, journal: string, extra: string[] = []): CliProcess {
  return startCli(
    ['serve', '--port', '0', '--site', site, '--journal', journal, '--rate-limit', 'off', ...extra],
    pbEnv(),
  );
}

/**
 * `skopos serve` on the `outage` site without a journal, `--shutdown-timeout 1`, once it has stored
 * an event on `path` (the site is read and cached while PocketBase is up): its process and URL.
 */
async function servingWithoutJournal(path: string): Promise<{ cli: CliProcess; url: string }> {
  const cli = startCli(['serve', '--port', '0', '--site', 'outage', '--shutdown-timeout', '1'], pbEnv());
  const url = await cli.waitFor(/listening on (http:\/\/\S+)/);
  expect((await post(url, [page(path)])).status).toBe(200);
  await storedEventually('outage', path);
  return { cli, url };
}

describe('skopos serve --journal', () => {
  it('kill -9 under load loses no acknowledged event, and the replay stores none twice', async () => {
    const journal = join(root, 'crash');
    const first = serve('crash', journal);
    const url = await first.waitFor(/listening on (http:\/\/\S+)/);
    const acked: string[] = [];
    let next = 0;
    let killed = false;
    // 8 clients, 10 events a request, each event a path of its own; until the server is gone.
    const client = async (n: number): Promise<void> => {
      while (!killed) {
        const paths = Array.from({ length: 10 }, () => `/e/${next++}`);
        try {
          const response = await post(url, paths.map(page), { 'x-forwarded-for': `198.51.100.${n}` });
          const body = (await response.json()) as { accepted: number };
          if (response.status === 200 && body.accepted === paths.length) acked.push(...paths);
        } catch {
          return; // connection reset: the server died with this request open (never acknowledged)
        }
      }
    };
    const clients = Array.from({ length: 8 }, (_, n) => client(n));
    while (acked.length < 2000) await new Promise((resolve) => setImmediate(resolve));
    first.proc.kill('SIGKILL');
    killed = true;
    await Promise.all(clients);
    await first.closed;

    const before = new Set(await storedPaths('crash'));
    const missing = acked.filter((path) => !before.has(path)).length;
    // The server writes to PocketBase every second: some acknowledged events were only in the journal.
    expect(
      missing,
      'the kill must hit events not yet in PocketBase, or this test proves nothing',
    ).toBeGreaterThan(0);

    const second = serve('crash', journal);
    await second.waitFor(/listening on (http:\/\/\S+)/);
    expect(second.stdout.join('\n')).toMatch(/journal .*: \d+ events and \d+ other records queued again/);
    second.proc.kill('SIGTERM');
    expect(await second.closed).toBe(0);

    const after = await storedPaths('crash');
    const stored = new Set(after);
    expect(acked.filter((path) => !stored.has(path))).toEqual([]);
    expect(after.length, 'every event stored once').toBe(stored.size);
    console.log(
      `kill -9: ${acked.length} acknowledged, ${missing} not yet in PocketBase at the kill, ${acked.length - acked.filter((p) => !stored.has(p)).length} stored after the restart, ${after.length - stored.size} duplicates`,
    );
  });

  it('SIGTERM with PocketBase down keeps the queue in the journal, says so, and the next start stores it', async () => {
    const journal = join(root, 'outage');
    const first = serve('outage', journal, ['--shutdown-timeout', '1']);
    const url = await first.waitFor(/listening on (http:\/\/\S+)/);
    // The site is read (and cached) while PocketBase is up, as on a server that has been running.
    expect((await post(url, [page('/up-journal')])).status).toBe(200);
    await storedEventually('outage', '/up-journal');
    await pb.pause();
    try {
      const paths = Array.from({ length: 50 }, (_, i) => `/down/${i}`);
      const response = await post(url, paths.map(page));
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ accepted: 50 });
      first.proc.kill('SIGTERM');
      expect(await first.closed).toBe(0);
      expect(first.stdout.join('\n')).toContain('the store did not take 50 events (');
      expect(first.stdout.join('\n')).toContain('kept in the journal and written at the next start');
    } finally {
      await pb.resume();
    }
    const second = serve('outage', journal);
    await second.waitFor(/listening on (http:\/\/\S+)/);
    second.proc.kill('SIGTERM');
    expect(await second.closed).toBe(0);
    expect((await storedPaths('outage')).filter((path) => path.startsWith('/down/')).sort()).toHaveLength(50);
  }, 60_000);

  it('without a journal, SIGTERM with PocketBase down says how many events are lost and exits 1', async () => {
    const { cli, url } = await servingWithoutJournal('/up-plain');
    await pb.pause();
    try {
      const response = await post(url, [page('/lost/1'), page('/lost/2'), page('/lost/3')]);
      expect(response.status).toBe(200);
      cli.proc.kill('SIGTERM');
      expect(await cli.closed).toBe(1);
      const stderr = cli.stderr.join('');
      expect(stderr).toContain('the store did not take 3 events (');
      // Whether a refused attempt is still being made at the deadline is timing: the count is what matters.
      expect(stderr).toMatch(/: they are lost( \(.*\))?\. Start with --journal <dir>/);
    } finally {
      await pb.resume();
    }
  }, 60_000);

  it('without a journal, SIGTERM with PocketBase frozen says the unanswered write may still be stored', async () => {
    const { cli, url } = await servingWithoutJournal('/up-frozen');
    // SIGSTOP: the kernel still accepts connections, so the write is sent and never answered.
    const frozen = pb.pid;
    try {
      await freezeProcess(frozen);
      const response = await post(url, [page('/held/1'), page('/held/2'), page('/held/3')]);
      expect(response.status).toBe(200);
      cli.proc.kill('SIGTERM');
      expect(await cli.closed).toBe(1);
      expect(cli.stderr.join('')).toContain(
        'they are lost (3 of the events were in a write the store never answered: it may still have stored those). Start with --journal <dir>',
      );
    } finally {
      process.kill(frozen, 'SIGCONT');
    }
  });

  it('a visitor who comes back after a restart keeps the session (memory store)', async () => {
    const journal = join(root, 'sessions');
    const args = ['serve', '--port', '0', '--site', 'shop=example.com', '--journal', journal];
    const readSessions = async (url: string) => {
      const body = (await (await fetch(`${url}/_tracker?site=shop`)).json()) as {
        events: { session: string }[];
      };
      return body.events.map((event) => event.session);
    };
    const first = startCli(args);
    const firstUrl = await first.waitFor(/listening on (http:\/\/\S+)/);
    expect((await post(firstUrl, [page('/before')])).status).toBe(200);
    const [before] = await readSessions(firstUrl);
    first.proc.kill('SIGTERM');
    expect(await first.closed).toBe(0);

    const second = startCli(args);
    const secondUrl = await second.waitFor(/listening on (http:\/\/\S+)/);
    expect(second.stdout.join('\n')).toMatch(/1 live sessions continued/);
    expect((await post(secondUrl, [page('/after')])).status).toBe(200);
    expect(await readSessions(secondUrl)).toEqual([before]);
    second.proc.kill('SIGTERM');
    expect(await second.closed).toBe(0);
  });

  it('a visitor who comes back after a restart keeps the session (PocketBase, no journal)', async () => {
    const args = ['serve', '--port', '0', '--site', 'return'];
    const sessionOf = async (url: string, path: string): Promise<string> => {
      for (;;) {
        const body = (await (await fetch(`${url}/_tracker?site=return`)).json()) as {
          events: { path: string; session: string }[];
        };
        const found = body.events.find((event) => event.path === path);
        if (found) return found.session;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };
    const first = startCli(args, pbEnv());
    const firstUrl = await first.waitFor(/listening on (http:\/\/\S+)/);
    expect((await post(firstUrl, [page('/before')])).status).toBe(200);
    const before = await sessionOf(firstUrl, '/before');
    first.proc.kill('SIGTERM');
    expect(await first.closed).toBe(0);

    const second = startCli(args, pbEnv());
    const secondUrl = await second.waitFor(/listening on (http:\/\/\S+)/);
    expect((await post(secondUrl, [page('/after')])).status).toBe(200);
    expect(await sessionOf(secondUrl, '/after')).toBe(before);
    second.proc.kill('SIGTERM');
    expect(await second.closed).toBe(0);
  });
});
