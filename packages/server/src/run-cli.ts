import { parseCli } from './cli-args.ts';
import type { RunningServer, StartServerOptions } from './options.ts';
import { startServer } from './start-server.ts';
import { USAGE } from './usage.ts';

/** Where the CLI writes and how it learns it must stop (process signals in `cli.ts`, stubs in tests). */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  /** Resolves with the signal name when the server must stop; `onRepeat` runs if a second one arrives. */
  waitForStop(onRepeat: () => void): Promise<string>;
}

function describeSites(options: StartServerOptions): string {
  if (!options.sites) return 'any trackingId (created on first use)';
  return options.sites
    .map((site) => (site.domain ? `${site.trackingId} (${site.domain})` : site.trackingId))
    .join(', ');
}

function printStarted(io: CliIo, server: RunningServer, options: StartServerOptions): void {
  const { endpoints } = server;
  io.out(`skopos ingest server listening on ${server.url}`);
  io.out(`  write  POST ${endpoints.write}`);
  io.out(`  read   GET  ${endpoints.read}?since=<ISO>&until=<ISO>`);
  io.out(`  stats  GET  ${endpoints.stats}`);
  io.out(`  ping   GET  ${endpoints.ping}`);
  io.out(`  sites: ${describeSites(options)}`);
  io.out(`  api key: ${options.apiKey ? 'required (X-Tracker-Key)' : 'none'}`);
  io.out('Press Ctrl+C to stop (queued events are written first).');
}

/** Runs `skopos …` and resolves with the process exit code. */
export async function runCli(argv: readonly string[], env: NodeJS.ProcessEnv, io: CliIo): Promise<number> {
  const command = parseCli(argv, env);
  if (command.kind === 'help') {
    io.out(USAGE);
    return 0;
  }
  if (command.kind === 'error') {
    io.err(`skopos: ${command.message}\n\n${USAGE}`);
    return 2;
  }
  // Listen for signals before anything is printed: a supervisor may signal as soon as it sees the URL.
  const stop = io.waitForStop(() => {
    io.err('skopos: second signal, exiting without waiting for the flush');
  });
  let server: RunningServer;
  try {
    server = await startServer(command.options);
  } catch (error) {
    io.err(`skopos: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
  printStarted(io, server, command.options);
  const signal = await stop;
  io.out(`${signal} received: writing queued events, then stopping…`);
  try {
    const { flushed, stored } = await server.close();
    io.out(`flushed ${flushed} events on shutdown (${stored} stored since start); bye`);
    return 0;
  } catch (error) {
    io.err(`skopos: shutdown failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}
