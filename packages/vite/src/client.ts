// `@skopos/vite/client`: the page-side API, where vite-plugin-monitor users import it from
// `@ndriadev/vite-plugin-monitor/client`. It forwards to the client the plugin's script starts.
export type { MonitorApi, SetUserOptions, TrackEventOptions } from '@skopos/browser/monitor';
export { tracker } from '@skopos/browser/monitor';
