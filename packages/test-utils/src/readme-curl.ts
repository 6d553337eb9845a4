/** A README's `curl -X POST localhost:3000…` line, as a reader copies it. */
export interface ReadmeCurl {
  path: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * The first `sh` block of `readme` that starts with `curl -X POST localhost:3000`, taken apart into
 * its path, `-H` headers and `-d` body, so a test replays exactly what the README tells users to run.
 */
export function readmeCurl(readme: string): ReadmeCurl {
  const command = /```sh\n(curl -X POST localhost:3000[\s\S]*?)\n#/.exec(readme)?.[1];
  if (!command) throw new Error('the README lost its curl line');
  const headers: Record<string, string> = {};
  for (const [, name, value] of command.matchAll(/-H '([^:]+): ([^']*)'/g)) {
    headers[name as string] = value as string;
  }
  return {
    path: /localhost:3000(\S+)/.exec(command)?.[1] ?? '',
    headers,
    body: /-d '([^']*)'/.exec(command)?.[1] ?? '',
  };
}
