// The tracker plugin as a vite-plugin-monitor user configures it, in the default 'auto' storage mode:
// in dev the Vite server itself stores the events (GET /_tracker reads them back, /_dashboard shows
// them); `vite build` needs a real write endpoint, taken from the env.
import { trackerPlugin } from '@skopos/vite';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [
    trackerPlugin({
      appId: 'example-vite',
      track: { clicks: true, http: true, errors: true, navigation: true },
      storage: {
        ...(process.env.TRACKER_WRITE_ENDPOINT ? { writeEndpoint: process.env.TRACKER_WRITE_ENDPOINT } : {}),
        apiKey: process.env.TRACKER_API_KEY,
        flushInterval: 1000, // near-real-time in the dev dashboard
      },
      dashboard: { enabled: true },
      // Log files are written in dev under logs/ (vite-plugin-monitor's default); this keeps them out.
      logging: { transports: [] },
    }),
  ],
});
