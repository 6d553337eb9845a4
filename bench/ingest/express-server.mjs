// @skopos/express on Express 5, mounted before express.json() (the tracker reads the raw body once).
import { skoposExpress } from '@skopos/express';
import express from 'express';
import { announce, portArgument } from './child.mjs';
import { benchPipeline, pipelineReport, SITE } from './pipeline.mjs';

const pipeline = benchPipeline();
const app = express();
app.set('trust proxy', 'loopback');
app.use(skoposExpress({ skopos: pipeline.skopos, siteId: SITE }));
app.use(express.json());
const server = app.listen(portArgument(), '127.0.0.1', () =>
  announce(server, () => pipelineReport(pipeline)),
);
