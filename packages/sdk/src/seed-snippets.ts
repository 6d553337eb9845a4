import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { expect, vi } from 'vitest';
import { BROWSER_HEADERS } from './test-support.ts';

const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));

/** The original SDK's ESM quick start as written, except a free port and a line saying it listens. */
export const QUICK_START = `
import express from "express";
import SkoposSDK from "@skopos/sdk";

const app = express();
app.use(express.json());

const skopos = await SkoposSDK.init({
  pocketbaseUrl: process.env.POCKETBASE_URL,
  siteId: process.env.SKOPOS_SITE_ID,
  adminEmail: process.env.PB_ADMIN_EMAIL,
  adminPassword: process.env.PB_ADMIN_PASSWORD,
  batch: true,
  batchInterval: 5000,
  debug: process.env.NODE_ENV !== "production",
});

app.post("/api/event", (req, res) => {
  skopos.trackApiEvent(req, req.body);
  res.status(204).end();
});

app.post("/internal/signup", (req, res) => {
  skopos.trackServerEvent(req, "user_signup", undefined, { userId: req.body.id });
  res.json({ ok: true });
});

process.on("SIGTERM", async () => {
  await skopos.shutdown();
  process.exit(0);
});

const server = app.listen(0, "127.0.0.1", () => console.log("LISTENING " + server.address().port));
`;

/** The original SDK's CommonJS snippet as written, except a free port and a line saying it listens. */
export const COMMONJS_SNIPPET = `
const express = require("express");
const SkoposSDK = require("@skopos/sdk");

(async () => {
  const app = express();
  app.use(express.json());

  const skopos = await SkoposSDK.init({
    pocketbaseUrl: process.env.POCKETBASE_URL,
    siteId: process.env.SKOPOS_SITE_ID,
  });

  app.post("/api/event", (req, res) => {
    skopos.trackApiEvent(req, req.body);
    res.sendStatus(204);
  });

  const server = app.listen(0, "127.0.0.1", () => console.log("LISTENING " + server.address().port));
})();
`;

/** Runs a snippet in its own Node process (in this package, so it imports `@skopos/sdk` by name); resolves once it listens. */
export async function runSnippet(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, args, {
    cwd: PACKAGE_DIR,
    env: { ...process.env, NODE_ENV: 'development', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString('utf8');
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = once(child, 'exit');
  await vi.waitFor(
    () => {
      // A snippet that crashed will never listen: fail with its output instead of waiting.
      if (child.exitCode !== null) throw new Error(`the snippet exited with ${child.exitCode}:\n${output}`);
      expect(output).toMatch(/LISTENING \d+/);
    },
    { timeout: 15_000 },
  );
  const origin = `http://127.0.0.1:${/LISTENING (\d+)/.exec(output)?.[1]}`;
  return {
    child,
    exited,
    output: () => output,
    post: (path: string, body: unknown) =>
      fetch(`${origin}${path}`, {
        method: 'POST',
        headers: { ...BROWSER_HEADERS, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }),
  };
}
