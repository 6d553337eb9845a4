/** `skopos --help`. */
export const USAGE = `Usage: skopos <command> [options]

Commands:
  serve                      Start the ingest server (write, read, stats, ping, the dashboard and
                             the tracker script /skopos.js) on a memory store or on PocketBase
  pocketbase                 Run the bundled PocketBase with its data in ./.skopos, deploy the Skopos
                             schema, create the superuser and a first website
  demo                       Ingest server + a demo site + the dashboard, one command (on a local
                             PocketBase, or on the memory store with --store memory)

Options for serve:
  --port <n>                 TCP port, 0 = any free port (default 4242, env SKOPOS_PORT; when it is
                             busy, the error names a free one)
  --host <address>           Interface to listen on (default 127.0.0.1, env SKOPOS_HOST; 0.0.0.0 = all)
  --site <id>[=<domain>]     Accept only this trackingId, optionally only from <domain> and its
                             subdomains; repeat for several sites (env SKOPOS_SITE, comma-separated).
                             Without --site every trackingId is accepted and created on first use.
                             With --pocketbase the websites must exist there (unknown ids get 404).
  --api-key <key>            Write key: require this X-Tracker-Key to post events (env TRACKER_API_KEY);
                             without --read-key it opens reads too
  --read-key <key>           Key that opens reads and stats (env SKOPOS_READ_KEY); without any key,
                             only this machine (and a signed-in dashboard) reads
  --dashboard-password <pw>  The dashboard's login (env SKOPOS_DASHBOARD_PASSWORD); required when the
                             server listens beyond loopback or has a key. demo makes one up if absent
  --dashboard-origin <url>   The origin users reach the dashboard at behind a proxy (env
                             SKOPOS_DASHBOARD_ORIGIN): logins only from its pages. Sessions survive
                             restarts with SKOPOS_SESSION_SECRET (environment only)
  --no-dashboard             Serve no dashboard
  --max-buffer <n>           Events kept in memory, oldest evicted first (default 500000)
  --max-buffer-mb <n>        MiB the events kept in memory may take in custom data, payloads, paths
                             and names, oldest evicted first (default 256)
  --max-buffer-per-site <n>  Events kept in memory per site, up to --max-buffer (default: no cap
                             of its own)
  --cors-origin <origin>     Browser origin (scheme://host[:port]) allowed to call the server; repeat
                             or comma-separate for several, or '*' alone for any origin on every
                             route (default: any origin may post events, reads and stats are
                             same-origin)
  --keep-bots                Store the events of bots and headless browsers too (default: dropped,
                             counted as 'bot'); for checking your tracking with Playwright or curl
  --trust-proxy <value>      Peers allowed to name the client in X-Forwarded-For: true, a hop count,
                             IPs/CIDRs or loopback, linklocal, uniquelocal, comma-separated (default:
                             none). Behind a reverse proxy set it, or every visitor is the proxy
  --rate-limit <n>/<s>|off   Write requests per client per <s> seconds, 429 past it (default 600/60;
                             an IPv6 client is its /64)
  --max-connections <n>      Open connections in all, 503 past it (default 4096, fewer under a low
                             ulimit -n; 0 = no cap)
  --max-connections-per-ip <n>
                             Open connections per client address, 503 past it (default 64; 0 = no
                             cap; with --trust-proxy the default is 0: they all come from the proxy)
  --journal <dir>            Write every accepted event to this directory before answering; the next
                             start writes what the store had not confirmed and continues live
                             sessions (env SKOPOS_JOURNAL). One server per directory
  --log-dir <dir>            Also log every stored event to <dir>/skopos-<date>.log (JSON lines, a
                             file per UTC day, 30 kept; env SKOPOS_LOG_DIR), as vite-plugin-monitor's
                             logging option; on the memory store the next start reads them back
  --shutdown-timeout <s>     How long Ctrl+C / SIGTERM keeps retrying a failing store before it stops
                             (default 30; 5 with --journal, which keeps what is left)
  --pocketbase <url>         Store events in this PocketBase instead of memory (env POCKETBASE_URL)
  --admin-email <email>      Its superuser (env PB_ADMIN_EMAIL)
  --admin-password <pw>      Its superuser's password (env PB_ADMIN_PASSWORD)
  --store-timeout <s>        How long one request to --pocketbase or --clickhouse may take before it
                             fails and is retried later (env SKOPOS_STORE_TIMEOUT; default 60 for
                             PocketBase, 30 for ClickHouse)
  --clickhouse <url>         Store events in ClickHouse's HTTP interface instead of memory (env
                             SKOPOS_CLICKHOUSE_URL), e.g. http://user:pw@127.0.0.1:8123/skopos (the
                             path names the database, default skopos); --site ids are created there
  --redis <url>              Share live sessions with every server on this Redis or Valkey (env
                             SKOPOS_REDIS_URL), so several servers behind a load balancer count
                             sessions and re-sent events as one (with --clickhouse: the servers
                             share their store too); see "Scaling out" in the README
  --geoip                    Countries and regions from the client IP by geoip-lite when no CDN
                             header gives them (needs \`npm i @skopos/geoip\`; ~140 MB of memory,
                             loaded at the first public address)
  An empty --api-key, --read-key or --dashboard-password is refused (it is what "$VARIABLE" gives when
  the variable is unset); TRACKER_API_KEY, SKOPOS_READ_KEY or SKOPOS_DASHBOARD_PASSWORD set but empty
  counts as unset, and the startup summary says so.

Options for pocketbase:
  --dir <path>               Skopos directory, data in <path>/pb_data (default ./.skopos; kept)
  --port <n>                 PocketBase port (default 8090; 0 = any free port)
  --admin-email <email>      Superuser to create or update (env PB_ADMIN_EMAIL, default admin@skopos.local)
  --admin-password <pw>      Its password (env PB_ADMIN_PASSWORD; default: generated once, printed,
                             and saved in <dir>/superuser.json)
  --site <id>[=<domain>]     Create this website unless it exists (repeatable, env SKOPOS_SITE)

Options for demo:
  --store <pocketbase|memory>  Where events go (default pocketbase; memory = no PocketBase process,
                             nothing kept after stop)
  --dir <path>               Where the demo's PocketBase keeps its data (default ./.skopos/demo)
  --port <n>, --host <addr>  The ingest server and demo page (default 127.0.0.1:4242)
  --dashboard-password <pw>  The dashboard's login (default: a new one, printed at start)
  --rate-limit, --max-connections, --max-connections-per-ip, --max-buffer-per-site
                             As for serve

  -h, --help                 Show this help
  -v, --version              Print the version of skopos (@skopos/server)

Examples:
  skopos serve
  skopos serve --port 8080 --site my-app=example.com --api-key "$TRACKER_API_KEY" \\
    --dashboard-password "$SKOPOS_DASHBOARD_PASSWORD"
  skopos serve --geoip --host 0.0.0.0 --dashboard-password "$SKOPOS_DASHBOARD_PASSWORD"
  skopos serve --log-dir ./logs                           # events kept across restarts
  skopos serve --host 127.0.0.1 --trust-proxy loopback   # behind nginx
  skopos pocketbase --site my-app=example.com
  PB_ADMIN_EMAIL=… PB_ADMIN_PASSWORD=… skopos serve --pocketbase http://127.0.0.1:8090 --site my-app \\
    --journal ./skopos-journal                            # events kept through a crash
  skopos demo
  skopos demo --store memory

SIGINT or SIGTERM stops accepting requests, writes every queued event, stops PocketBase if the
command started it, then exits 0.
`;
