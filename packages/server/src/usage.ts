/** `skopos --help`. */
export const USAGE = `Usage: skopos <command> [options]

Commands:
  serve                      Start the ingest server (write, read, stats and ping routes) on a memory store

Options for serve:
  --port <n>                 TCP port, 0 = any free port (default 4242, env SKOPOS_PORT)
  --host <address>           Interface to listen on (default 127.0.0.1, env SKOPOS_HOST; 0.0.0.0 = all)
  --site <id>[=<domain>]     Accept only this trackingId, optionally only from <domain> and its
                             subdomains; repeat for several sites (env SKOPOS_SITE, comma-separated).
                             Without --site every trackingId is accepted and created on first use.
  --api-key <key>            Require this X-Tracker-Key on every request (env TRACKER_API_KEY)
  --max-buffer <n>           Events kept in memory, oldest evicted first (default 500000)
  --cors-origin <origin>     Browser origin allowed to call the server; repeat for several
                             (default: any origin)
  -h, --help                 Show this help

Examples:
  skopos serve
  skopos serve --port 8080 --site my-app=example.com --api-key "$TRACKER_API_KEY"

SIGINT or SIGTERM stops accepting requests, writes every queued event, then exits 0.
`;
