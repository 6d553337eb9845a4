// The HTTP floor of `skopos serve`: its Node listener (the direct write route, body read, JSON parse,
// envelope, answer, CORS, client limits) and hardenServer, over a pipeline that takes every event
// and does nothing. Against the baseline it shows what the transport costs; against `skopos serve`,
// what the pipeline and the memory store cost.
import { createServer } from 'node:http';
import { createClientLimits } from '@skopos/transport-http';
import { createNodeListener, hardenServer } from '@skopos/transport-http/node';
import { announce, portArgument } from './child.mjs';
import { SITE } from './pipeline.mjs';

let accepted = 0;
const taken = { ok: true, eventId: 'e', sessionId: 's', visitorId: 'v' };
const skopos = {
  // The write route starts events with trackNow: answered at once, as createSkopos does for a live
  // session; track (the promise form) stays for any other caller.
  trackNow() {
    accepted++;
    return taken;
  },
  track() {
    accepted++;
    return Promise.resolve(taken);
  },
  sync: () => Promise.resolve(),
  flush: () => Promise.resolve(),
};
const limits = createClientLimits({ trustProxy: 'loopback' });
const server = createServer(createNodeListener({ skopos, siteId: SITE, limits }));
hardenServer(server, { maxConnectionsPerIp: 0 });
server.listen(portArgument(), '127.0.0.1', () => announce(server, () => ({ accepted })));
