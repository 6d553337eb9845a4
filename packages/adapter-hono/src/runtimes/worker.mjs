// The app as a Cloudflare Worker (module syntax): settings from the Worker's bindings, the client
// address from `CF-Connecting-IP`, no realtime subscription (a Worker closes a request's
// connections when it ends). Bundled by the test; `cloudflare:workers` stays external.
import { env } from 'cloudflare:workers';
import { getConnInfo } from 'hono/cloudflare-workers';
import { createApp } from './app.mjs';

export default createApp(env, getConnInfo, { realtime: false }).app;
