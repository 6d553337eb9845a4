import { mkdir, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { type AddressInfo, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { silentLogger } from '@skopos/core';
import type { PocketBaseInstance } from '@skopos/pocketbase-runtime';
import { pocketbaseStore } from '@skopos/pocketbase-store';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, CLEAN_ENV, CLI, startCli, startProcess, stopLeftovers } from './test-cli.ts';
import { SUPERUSER, startPocketBaseWithSites } from './test-pocketbase.ts';
import { BROWSER_HEADERS, batchOf } from './test-support.ts';

let root: string;

beforeAll(async () => {
  assertBuilt();
  root = await mkdtemp(join(tmpdir(), 'skopos-cli-'));
});
afterEach(stopLeftovers);
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Polls the read endpoint until it lists `count` events (the server writes to PocketBase every second). */
async function readUntil(readUrl: string, count: number): Promise<{ path: string; type: string }[]> {
  for (;;) {
    const body = (await (await fetch(readUrl)).json()) as { events: { path: string; type: string }[] };
    if (body.events.length >= count) return body.events;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('skopos pocketbase', () => {
  it('creates the superuser, schema and website; a second run on the same dir keeps them; SIGTERM exits 0', async () => {
    const dir = join(root, 'pb');
    const first = startCli(['pocketbase', '--dir', dir, '--port', '0', '--site', 'shop=example.com']);
    const url = await first.waitFor(/running on (http:\/\/\S+)/);
    const password = await first.waitFor(/^ {2}password {3}(\S+)$/);
    await first.waitFor(/^ {2}website/);
    expect(first.stdout.join('\n')).toContain('website    shop (domain example.com): created');
    expect(first.stdout.join('\n')).toContain(`admin UI   ${url}/_/`);
    const saved = JSON.parse(await readFile(join(dir, 'superuser.json'), 'utf8')) as { password: string };
    expect(saved.password).toBe(password);
    first.proc.kill('SIGTERM');
    expect(await first.closed).toBe(0);
    expect(first.stdout.join('\n')).toContain('PocketBase stopped; data kept in');

    const second = startCli(['pocketbase', '--dir', dir, '--port', '0', '--site', 'shop=other.example.org']);
    const url2 = await second.waitFor(/running on (http:\/\/\S+)/);
    await second.waitFor(/^ {2}website/);
    const out = second.stdout.join('\n');
    expect(out).toContain('website    shop (domain example.com): already exists, left as is');
    expect(out).toMatch(/password {3}from .*superuser\.json/);
    expect(out).not.toContain(password);
    // The saved password still opens the same data.
    const store = pocketbaseStore({
      url: url2,
      adminEmail: 'admin@skopos.local',
      adminPassword: password,
      logger: silentLogger,
    });
    expect((await store.getWebsite('shop'))?.domain).toBe('example.com');
    await store.close();
    // The printed `skopos serve` line runs as it is, pasted into a shell (`exec env`: so that SIGTERM reaches skopos).
    const hint = await second.waitFor(/^ {2}(PB_ADMIN_EMAIL=.*)$/);
    expect(hint).toContain(`--pocketbase ${url2} --site shop`);
    expect(hint).not.toMatch(/[<>]/);
    const bin = join(root, 'bin');
    await mkdir(bin, { recursive: true });
    await symlink(CLI, join(bin, 'skopos'));
    const pasted = startProcess('sh', ['-c', `exec env ${hint} --port 0`], {
      env: { ...CLEAN_ENV, PATH: `${bin}${delimiter}${process.env.PATH ?? ''}` },
    });
    expect(await pasted.waitFor(/store: PocketBase (\S+)/)).toBe(url2);
    pasted.proc.kill('SIGTERM');
    expect(await pasted.closed).toBe(0);
    second.proc.kill('SIGTERM');
    expect(await second.closed).toBe(0);
  });

  it('never prints a password it was given; the serve line works with PB_ADMIN_PASSWORD set to it', async () => {
    const given = 'S3cret-Given-Pw';
    const dir = join(root, 'given');
    const first = startCli(['pocketbase', '--dir', dir, '--port', '0', '--admin-password', given]);
    const url = await first.waitFor(/running on (http:\/\/\S+)/);
    const hint = await first.waitFor(/^ {2}(PB_ADMIN_EMAIL=.*)$/);
    expect(first.stdout).toContain(
      'Connect the ingest server (in another terminal, with PB_ADMIN_PASSWORD set to the password you gave):',
    );
    expect(hint).toBe(`PB_ADMIN_EMAIL=admin@skopos.local skopos serve --pocketbase ${url}`);
    const bin = join(root, 'bin-given');
    await mkdir(bin, { recursive: true });
    await symlink(CLI, join(bin, 'skopos'));
    const pasted = startProcess('sh', ['-c', `exec env ${hint} --port 0`], {
      env: { ...CLEAN_ENV, PB_ADMIN_PASSWORD: given, PATH: `${bin}${delimiter}${process.env.PATH ?? ''}` },
    });
    expect(await pasted.waitFor(/store: PocketBase (\S+)/)).toBe(url);
    pasted.proc.kill('SIGTERM');
    expect(await pasted.closed).toBe(0);
    first.proc.kill('SIGTERM');
    expect(await first.closed).toBe(0);

    // Given through the environment this time, on the same data.
    const second = startCli(['pocketbase', '--dir', dir, '--port', '0'], { PB_ADMIN_PASSWORD: given });
    await second.waitFor(/^ {2}(PB_ADMIN_EMAIL=.*)$/);
    second.proc.kill('SIGTERM');
    expect(await second.closed).toBe(0);
    for (const cli of [first, pasted, second]) {
      expect([...cli.stdout, ...cli.stderr].join('\n')).not.toContain(given);
    }
    expect(second.stdout).toContain('  password   from --admin-password / PB_ADMIN_PASSWORD');
  });

  it('a port in use: exit code 1 and a message saying what to do', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const { port } = holder.address() as AddressInfo;
    const cli = startCli(['pocketbase', '--dir', join(root, 'busy'), '--port', String(port)]);
    expect(await cli.closed).toBe(1);
    expect(cli.stderr.join('')).toContain(`port ${port} on 127.0.0.1 is in use`);
    expect(cli.stderr.join('')).toMatch(/pass --port \d+ \(free now/);
    holder.close();
  });
});

describe('skopos serve --pocketbase', () => {
  let pb: PocketBaseInstance;
  beforeAll(async () => {
    pb = await startPocketBaseWithSites(['shop']);
  });
  afterAll(async () => {
    await pb?.stop();
  });

  it('stores events in PocketBase, reads them back, and flushes on SIGTERM', async () => {
    const cli = startCli(['serve', '--port', '0', '--site', 'shop'], {
      POCKETBASE_URL: pb.url,
      PB_ADMIN_EMAIL: SUPERUSER.email,
      PB_ADMIN_PASSWORD: SUPERUSER.password,
    });
    const url = await cli.waitFor(/listening on (http:\/\/\S+)/);
    expect(await cli.waitFor(/store: PocketBase (\S+)/)).toBe(pb.url);
    const write = (body: string) =>
      fetch(`${url}/_tracker/events`, { method: 'POST', headers: BROWSER_HEADERS, body });
    expect((await write(batchOf(['/cart', '/checkout']))).status).toBe(200);
    // A website PocketBase does not have: refused and listed, never a status that makes a client re-send.
    const unknown = await write(batchOf(['/x'], 'unknown-site'));
    expect(unknown.status).toBe(200);
    expect(await unknown.json()).toMatchObject({ accepted: 0, rejected: [{ index: 0 }] });
    const events = await readUntil(`${url}/_tracker?site=shop`, 2);
    expect(events.map((event) => event.path).sort()).toEqual(['/cart', '/checkout']);
    cli.proc.kill('SIGTERM');
    expect(await cli.closed).toBe(0);
    // Straight from PocketBase, not through the server.
    const store = pocketbaseStore({
      url: pb.url,
      adminEmail: SUPERUSER.email,
      adminPassword: SUPERUSER.password,
    });
    const site = await store.getWebsite('shop');
    expect((await store.query({ website: site?.id ?? '' })).total).toBe(2);
    await store.close();
  });

  it('wrong credentials: exit code 1 with a message naming the URL and the env vars, no stack trace', async () => {
    const cli = startCli(['serve', '--port', '0', '--pocketbase', pb.url], {
      PB_ADMIN_EMAIL: SUPERUSER.email,
      PB_ADMIN_PASSWORD: 'not-the-password',
    });
    expect(await cli.closed).toBe(1);
    const stderr = cli.stderr.join('');
    expect(stderr).toContain(`PocketBase at ${pb.url} refused the superuser ${SUPERUSER.email}`);
    expect(stderr).toContain('set PB_ADMIN_EMAIL and PB_ADMIN_PASSWORD');
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('no PocketBase at the URL: exit code 1 with a message naming --pocketbase', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const { port } = holder.address() as AddressInfo;
    await new Promise((resolve) => holder.close(resolve));
    const cli = startCli(['serve', '--port', '0', '--pocketbase', `http://127.0.0.1:${port}`], {
      PB_ADMIN_EMAIL: SUPERUSER.email,
      PB_ADMIN_PASSWORD: SUPERUSER.password,
    });
    expect(await cli.closed).toBe(1);
    const stderr = cli.stderr.join('');
    expect(stderr).toContain(`PocketBase is not reachable at http://127.0.0.1:${port}`);
    expect(stderr).toContain('--pocketbase');
    expect(stderr).not.toContain('pocketbaseUrl');
  });
});

describe('skopos serve --store-timeout', () => {
  it('a PocketBase that takes the connection and never answers: exit code 1 after the timeout, saying so', async () => {
    // Takes connections and reads requests, answers none (a frozen or stuck server).
    const sockets = new Set<Socket>();
    const quiet = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => quiet.listen(0, '127.0.0.1', resolve));
    const { port } = quiet.address() as AddressInfo;
    try {
      const url = `http://127.0.0.1:${port}`;
      const cli = startCli(['serve', '--port', '0', '--pocketbase', url, '--store-timeout', '1'], {
        PB_ADMIN_EMAIL: SUPERUSER.email,
        PB_ADMIN_PASSWORD: SUPERUSER.password,
      });
      // Without the flag the store's default (60 s) would hold the start past this test's timeout.
      expect(await cli.closed).toBe(1);
      const stderr = cli.stderr.join('');
      expect(stderr).toContain(`PocketBase at ${url} gave no answer within 1 s`);
      expect(stderr).toContain('--store-timeout');
      expect(stderr).not.toContain('not reachable');
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => quiet.close(resolve));
    }
  });
});

describe('skopos demo', () => {
  it('serves the demo page, stores a posted event in PocketBase, and exits 0 on SIGTERM', async () => {
    const cli = startCli(['demo', '--dir', join(root, 'demo'), '--port', '0']);
    const page = await cli.waitFor(/^demo page: (\S+)$/);
    const dashboard = await cli.waitFor(/^dashboard: (\S+)$/);
    await cli.waitFor(/sign in with the password: (\S+)$/);
    // Behind the login the demo printed.
    const dashboardPage = await fetch(dashboard);
    expect(dashboardPage.status).toBe(200);
    expect(new URL(dashboardPage.url).pathname).toBe('/_tracker/dashboard/login');
    const html = await (await fetch(page)).text();
    expect(html).toContain('<h1>Skopos demo</h1>');
    expect(html).toContain('data-skopos-event="signup"');
    const posted = await fetch(new URL('/_tracker/events', page), {
      method: 'POST',
      headers: BROWSER_HEADERS,
      body: JSON.stringify({ type: 'custom', name: 'signup', url: `${page}pricing` }),
    });
    expect(posted.status).toBe(200);
    const events = await readUntil(new URL('/_tracker?site=demo', page).href, 1);
    expect(events[0]?.path).toBe('/pricing');
    cli.proc.kill('SIGTERM');
    expect(await cli.closed).toBe(0);
    expect(cli.stdout.join('\n')).toContain('PocketBase stopped; data kept in');
    // The bundled PocketBase runs the store's SQL hook route, so writes skip the batch API.
    expect(cli.stdout.join('\n') + cli.stderr.join('\n')).toContain('Writing through the Skopos hook route');
  });
});
