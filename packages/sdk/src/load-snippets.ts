import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { expect, vi } from 'vitest';

const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));

/** The SDK options every load script uses, from the environment the test passes. */
const INIT = `
import SkoposSDK from "@skopos/sdk";
const skopos = await SkoposSDK.init({
  pocketbaseUrl: process.env.POCKETBASE_URL,
  siteId: process.env.SKOPOS_SITE_ID,
  adminEmail: process.env.PB_ADMIN_EMAIL,
  adminPassword: process.env.PB_ADMIN_PASSWORD,
  batch: process.env.BATCH === "true",
  batchInterval: 60000,
});
const headers = { "user-agent": process.env.UA, accept: "*/*", "accept-language": "en-US", "sec-fetch-mode": "cors" };
const request = (i) => ({ headers, socket: { remoteAddress: "203.0.113." + (i % 20) } });
`;

/**
 * Sends five events every 10 ms with a queue flushed only by size or shutdown, and installs the
 * seed's SIGTERM handler; says how many events were accepted once shutdown() has returned.
 */
export const SIGTERM_UNDER_LOAD = `${INIT}
let accepted = 0;
let sent = 0;
setInterval(() => {
  for (let k = 0; k < 5; k++) {
    const i = sent++;
    skopos.trackApiEvent(request(i), { type: "pageView", url: "https://example.com/p/" + i }).then((result) => {
      if (result.ok) accepted++;
    });
  }
}, 10);
process.on("SIGTERM", async () => {
  await skopos.shutdown();
  console.log("ACCEPTED " + accepted + " OF " + sent);
  process.exit(0);
});
console.log("READY");
`;

/** Waits for "GO" on stdin, then sends one page view for each of the twenty visitors at once. */
export const SAME_VISITORS = `${INIT}
console.log("READY");
process.stdin.once("data", async () => {
  const results = await Promise.all(
    Array.from({ length: 20 }, (_, i) => skopos.trackApiEvent(request(i), { type: "pageView", url: "https://example.com/" })),
  );
  await skopos.shutdown();
  console.log("ACCEPTED " + results.filter((result) => result.ok).length);
  process.exit(0);
});
`;

/** Runs an ESM load script in its own Node process (importing `@skopos/sdk` by name); resolves once it prints READY. */
export async function runLoadScript(script: string, env: Record<string, string>) {
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    cwd: PACKAGE_DIR,
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
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
      if (child.exitCode !== null) throw new Error(`the script exited with ${child.exitCode}:\n${output}`);
      expect(output).toMatch(/^READY$/m);
    },
    { timeout: 15_000 },
  );
  return {
    child,
    exited,
    output: () => output,
    /** The count the script printed after its shutdown(). */
    accepted: () => Number(/ACCEPTED (\d+)/.exec(output)?.[1] ?? Number.NaN),
  };
}
