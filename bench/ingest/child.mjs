// The handshake of a bench server with bench/ingest.mjs: the port on stdout, counters on SIGTERM.

/** The port the script was started with (`node x-server.mjs 0` picks a free one). */
export function portArgument() {
  return Number(process.argv[2] ?? 0);
}

/** Tells the parent the port, then on SIGTERM stops serving and prints `report()` as one JSON line. */
export function announce(server, report) {
  // Listening before the port is printed: a parent that stops the server as soon as it reads the
  // port must not find SIGTERM's default action (exit without the counters).
  process.once('SIGTERM', async () => {
    server.close();
    server.closeAllConnections?.();
    console.log(JSON.stringify(await report()));
    process.exit(0);
  });
  console.log(JSON.stringify({ port: server.address().port }));
}
