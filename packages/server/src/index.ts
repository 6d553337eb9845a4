export type {
  DashboardServing,
  RunningServer,
  ServerEndpoints,
  SiteSpec,
  StartServerOptions,
} from './options.ts';
export { DEFAULT_HOST, DEFAULT_PORT, startServer } from './start-server.ts';
