// @skopos/hono on @hono/node-server, the shape of the package's README example.
import { serve } from '@hono/node-server';
import { skoposHono } from '@skopos/hono';
import { Hono } from 'hono';
import { announce, portArgument } from './child.mjs';
import { benchPipeline, pipelineReport, SITE } from './pipeline.mjs';

const pipeline = benchPipeline();
const app = new Hono();
app.use(skoposHono({ skopos: pipeline.skopos, siteId: SITE, trustProxy: 'loopback' }));
const server = serve({ fetch: app.fetch, port: portArgument(), hostname: '127.0.0.1' }, () =>
  announce(server, () => pipelineReport(pipeline)),
);
