import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { memoryStore } from '@skopos/memory-store';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { SkoposSDK } from './skopos-sdk.ts';

// TypeScript written against the original Skopos SDK's index.d.ts, compiled against the built
// declarations (dist/, made by `turbo run build`) as a user's project resolves `@skopos/sdk`.
const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));

/** Every option, type and call the original's index.d.ts declares (its `flush()` exists in no release). */
const ESM_USAGE = `
import type { IncomingMessage } from 'node:http';
import SkoposSDK, { type ApiEventPayload, type IdentifyData, type SkoposSDKOptions } from '@skopos/sdk';

const options: SkoposSDKOptions = {
  pocketbaseUrl: 'https://pocketbase.example.com',
  siteId: 'site-1',
  adminEmail: 'admin@example.com',
  adminPassword: 'change-me',
  chapybaraApiKey: 'ck_your_api_key_here',
  batch: true,
  batchInterval: 10000,
  maxBatchSize: 100,
  sessionTimeoutMs: 1800000,
  jsErrorBatchInterval: 300000,
  debug: false,
};
const payload: ApiEventPayload = {
  type: 'custom',
  name: 'add-to-cart',
  url: 'https://example.com/cart',
  referrer: 'https://www.google.com/',
  screenWidth: 1920,
  screenHeight: 1080,
  language: 'en-US',
  customData: { sku: 'A-1', quantity: 2 },
};
const crash: ApiEventPayload = { type: 'jsError', name: '', url: 'https://example.com/', errorMessage: 'x', stackTrace: 'at y' };
const user: IdentifyData = { name: 'John Doe', email: 'john@example.com', phone: '+1234567890', metadata: { tier: 'pro' } };
// Data typed by an interface: the original's \`Record<string, any>\` took it, an index signature would not.
interface Purchase { amount: number; currency: string }
const purchase: Purchase = { amount: 42, currency: 'EUR' };
const typed: ApiEventPayload = { ...payload, customData: purchase };
const buyer: IdentifyData = { email: 'john@example.com', metadata: purchase };

export async function handle(req: IncomingMessage): Promise<void> {
  const skopos: SkoposSDK = await SkoposSDK.init(options);
  skopos.trackApiEvent(req, payload);
  skopos.trackApiEvent(req, crash);
  skopos.trackServerEvent(req, 'user_signup');
  // The declarations' order (customData third), which its code read as siteId.
  skopos.trackServerEvent(req, 'purchase', { amount: 42 });
  skopos.trackServerEvent(req, 'purchase', { amount: 42 }, 'site-2');
  skopos.trackServerEvent(req, 'purchase', purchase);
  skopos.trackServerEvent(req, 'purchase', 'site-2', purchase);
  skopos.trackApiEvent(req, typed);
  await skopos.identify(req, 'user_123', buyer);
  await skopos.identify(req, 'user_123', user);
  await skopos.identify(req, 'user_123');
  await skopos.shutdown();
}

// @ts-expect-error: a field IdentifyData does not have is still caught
export const misspelt: IdentifyData = { emial: 'john@example.com' };
`;

/** The same names from CommonJS: `require()` returns the class, its types hang off it. */
const CJS_USAGE = `
import SkoposSDK = require('@skopos/sdk');
import type { IdentifyData, SkoposSDKOptions } from '@skopos/sdk';

const options: SkoposSDKOptions = { pocketbaseUrl: 'http://127.0.0.1:8090', siteId: 'site-1', chapybaraApiKey: 'ck_1' };
const user: IdentifyData = { email: 'john@example.com' };
const sameUser: SkoposSDK.IdentifyData = user;
const payload: SkoposSDK.ApiEventPayload = { type: 'pageView', name: '', url: 'https://example.com/' };

export async function handle(req: import('node:http').IncomingMessage): Promise<void> {
  const skopos = await SkoposSDK.init(options);
  skopos.trackApiEvent(req, payload);
  await skopos.identify(req, 'user_123', sameUser);
}

// @ts-expect-error: a field IdentifyData does not have is still caught
export const misspelt: SkoposSDK.IdentifyData = { emial: 'john@example.com' };
`;

/** The diagnostics of the files, compiled in one program as a user's strict NodeNext project would. */
function diagnosticsOf(files: Record<string, string>): string[] {
  const options: ts.CompilerOptions = {
    strict: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    types: ['node'],
    skipLibCheck: true,
    noEmit: true,
  };
  // In the package's folder, so that `@skopos/sdk` resolves to this package's `exports`.
  const virtual = new Map(Object.entries(files).map(([name, code]) => [join(PACKAGE_DIR, name), code]));
  const host = ts.createCompilerHost(options, true);
  const { fileExists, readFile, getSourceFile } = host;
  host.fileExists = (file) => virtual.has(file) || fileExists(file);
  host.readFile = (file) => virtual.get(file) ?? readFile(file);
  host.getSourceFile = (file, version, onError, create) => {
    const code = virtual.get(file);
    return code === undefined
      ? getSourceFile(file, version, onError, create)
      : ts.createSourceFile(file, code, version, true);
  };
  const program = ts.createProgram({ rootNames: [...virtual.keys()], options, host });
  return ts
    .getPreEmitDiagnostics(program)
    .map((d) => `${d.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
}

describe("code written against the original Skopos SDK's index.d.ts", () => {
  it('compiles, from ESM and from CommonJS (run `turbo run build` first)', () => {
    expect(diagnosticsOf({ 'original-usage.mts': ESM_USAGE, 'original-usage.cts': CJS_USAGE })).toEqual([]);
  });

  it('a type the package does not export is reported: the check above can fail', () => {
    const missing = "import type { NoSuchType } from '@skopos/sdk';\nexport const x: NoSuchType = 1;\n";
    expect(diagnosticsOf({ 'missing.mts': missing }).join('\n')).toMatch(
      /has no exported member 'NoSuchType'/,
    );
  });

  it('chapybaraApiKey is accepted and said to be unused, in a warning', async () => {
    const lines: string[] = [];
    const skopos = await SkoposSDK.init({
      siteId: 'site-1',
      store: memoryStore({ websites: [{ trackingId: 'site-1', domain: 'example.com' }] }),
      chapybaraApiKey: 'ck_your_api_key_here',
      logSink: (level, message) => lines.push(`${level} ${message}`),
    });
    await skopos.shutdown();
    expect(lines.filter((line) => line.includes('chapybaraApiKey'))).toEqual([
      expect.stringMatching(/^warn \[skopos\/sdk\] option `chapybaraApiKey` is ignored/),
    ]);
  });
});
