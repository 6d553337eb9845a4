export { dashboardAssetsDir } from './assets-dir.ts';
export type { DashboardConfig, DashboardHandlerOptions } from './config.ts';
export { createDashboardHandler, type DashboardHandler, DEFAULT_DASHBOARD_ROUTE } from './handler.ts';
