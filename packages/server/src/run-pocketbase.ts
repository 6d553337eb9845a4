import { relative } from 'node:path';
import type { LocalPocketBaseArgs } from './cli-args.ts';
import { type CliIo, messageOf } from './cli-io.ts';
import { type LocalPocketBase, startLocalPocketBase } from './local-pocketbase.ts';

function shortPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel === '' || rel.startsWith('..') ? path : `./${rel}`;
}

/** A word as the shell reads it: quoted unless it is plainly safe. */
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/**
 * `skopos serve` against this PocketBase, ready to paste. A password Skopos saved is read from its
 * file by the command rather than printed again. One the operator gave is left out: it would land
 * in terminal scrollback and CI logs, and the operator has it (`skopos serve` reads
 * `PB_ADMIN_PASSWORD` from the environment).
 */
export function serveCommand(local: LocalPocketBase): string {
  const { superuser, pb, websites } = local;
  const password =
    superuser.source === 'given'
      ? ''
      : ` PB_ADMIN_PASSWORD="$(node -p 'require(${JSON.stringify(shortPath(superuser.file))}).password')"`;
  const sites = websites.map((site) => ` --site ${shellWord(site.trackingId)}`).join('');
  return `PB_ADMIN_EMAIL=${shellWord(superuser.email)}${password} skopos serve --pocketbase ${pb.url}${sites}`;
}

/** What to do before pasting `serveCommand`: only a password the operator gave needs their hand. */
function serveIntro(local: LocalPocketBase): string {
  return local.superuser.source === 'given'
    ? 'Connect the ingest server (in another terminal, with PB_ADMIN_PASSWORD set to the password you gave):'
    : 'Connect the ingest server (in another terminal):';
}

/** Prints the instance, the superuser (a generated password only the first time) and the websites. */
export function printPocketBase(io: CliIo, local: LocalPocketBase): void {
  const { pb, superuser } = local;
  io.out(`PocketBase ${pb.version} running on ${pb.url}`);
  io.out(`  admin UI   ${pb.url}/_/`);
  io.out(`  data       ${shortPath(pb.dir)} (kept after stop)`);
  io.out(`  superuser  ${superuser.email}`);
  if (superuser.source === 'generated') {
    io.out(`  password   ${superuser.password}`);
    io.out(`             (generated; shown once, saved in ${shortPath(superuser.file)})`);
  } else if (superuser.source === 'saved') {
    io.out(`  password   from ${shortPath(superuser.file)}`);
  } else {
    io.out('  password   from --admin-password / PB_ADMIN_PASSWORD');
  }
  io.out('  schema     deployed (websites, visitors, sessions, events, js_errors)');
  for (const site of local.websites) {
    const domain = site.domain ? `domain ${site.domain}` : 'any domain';
    io.out(
      `  website    ${site.trackingId} (${domain}): ${site.created ? 'created' : 'already exists, left as is'}`,
    );
  }
}

/** Stops PocketBase after a signal; resolves with the exit code. */
export async function stopPocketBase(io: CliIo, local: LocalPocketBase): Promise<number> {
  try {
    await local.pb.stop();
    io.out(`PocketBase stopped; data kept in ${shortPath(local.pb.dir)}`);
    return 0;
  } catch (error) {
    io.err(`skopos: stopping PocketBase failed: ${messageOf(error)}`);
    return 1;
  }
}

/** `skopos pocketbase`: runs a local PocketBase until SIGINT/SIGTERM. */
export async function runPocketBase(
  io: CliIo,
  stop: Promise<string>,
  args: LocalPocketBaseArgs,
): Promise<number> {
  let local: LocalPocketBase;
  try {
    local = await startLocalPocketBase(args);
  } catch (error) {
    io.err(`skopos: ${messageOf(error)}`);
    return 1;
  }
  printPocketBase(io, local);
  io.out(serveIntro(local));
  io.out(`  ${serveCommand(local)}`);
  io.out('Press Ctrl+C to stop PocketBase.');
  const signal = await stop;
  io.out(`${signal} received: stopping PocketBase…`);
  return stopPocketBase(io, local);
}
