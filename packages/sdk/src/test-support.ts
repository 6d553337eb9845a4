import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { ApiEventPayload } from '@skopos/core';
import { BROWSER_HEADERS, SKOPOS_VISIT } from '@skopos/test-utils';
import express from 'express';
import type { SkoposSDK } from './skopos-sdk.ts';

export { BROWSER_HEADERS };

/** Seed 000's visitor id: SHA-256 of `siteId-ip-userAgent`. */
export function legacyVisitorId(siteId: string, ip: string, userAgent: string): string {
  // The original SDK's formula, 'unknown' standing in for what the request lacks.
  return createHash('sha256')
    .update(`${siteId}-${ip || 'unknown'}-${userAgent || 'unknown'}`)
    .digest('hex');
}

/** One fixture per payload type of the original Skopos SDK, in the order a visit produces them. */
export const VISIT: ApiEventPayload[] = SKOPOS_VISIT.map((payload) => ({ ...payload }) as ApiEventPayload);

export interface SeedApp {
  origin: string;
  /** POST JSON to a path of the app with a browser's headers. */
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<Response>;
  close(): Promise<void>;
}

/**
 * The seed's Express quick start around an SDK instance: `/api/event` (fire and forget, as the
 * seed writes it), `/internal/signup` (a server event) and `/login` (identify).
 */
export async function startSeedApp(
  skopos: SkoposSDK,
  configure?: (app: express.Express) => void,
): Promise<SeedApp> {
  const app = express();
  configure?.(app);
  app.use(express.json());
  app.post('/api/event', (req, res) => {
    skopos.trackApiEvent(req, req.body);
    res.status(204).end();
  });
  app.post('/internal/signup', (req, res) => {
    skopos.trackServerEvent(req, 'user_signup', undefined, { userId: req.body.id });
    res.json({ ok: true });
  });
  app.post('/login', (req, res) => {
    skopos.identify(req, req.body.userId, { name: req.body.name, email: req.body.email });
    res.json({ ok: true });
  });
  const server = await new Promise<ReturnType<typeof app.listen>>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    post: (path, body, headers = {}) =>
      fetch(`${origin}${path}`, {
        method: 'POST',
        headers: { ...BROWSER_HEADERS, 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      }),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
