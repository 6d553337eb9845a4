// @skopos/transport-ws's server attached to a node:http server.
import { createServer } from 'node:http';
import { attachWebSocketServer } from '@skopos/transport-ws/server';
import { announce, portArgument } from './child.mjs';
import { benchPipeline, pipelineReport, SITE } from './pipeline.mjs';

const pipeline = benchPipeline();
const server = createServer();
attachWebSocketServer({ server, skopos: pipeline.skopos, siteId: SITE });
server.listen(portArgument(), '127.0.0.1', () => announce(server, () => pipelineReport(pipeline)));
