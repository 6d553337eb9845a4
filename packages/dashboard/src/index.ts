export { dashboardAssetsDir } from './assets-dir.ts';
export type {
  DashboardConfig,
  DashboardHandlerOptions,
  PageConfig as DashboardPageConfig,
} from './config.ts';
export {
  createDashboardHandler,
  type DashboardAccess,
  type DashboardHandler,
  DEFAULT_DASHBOARD_ROUTE,
} from './handler.ts';
export type { DashboardRequestInfo } from './login.ts';
export { DEFAULT_SESSION_TTL_SECONDS, type HeadersLike, SESSION_COOKIE } from './session.ts';
