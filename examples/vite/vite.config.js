// The tracker plugin in its default 'auto' mode: in dev the Vite server itself stores the events
// (GET /_tracker reads them back); `vite build` needs a real write endpoint, taken from the env.
import { trackerPlugin } from '@skopos/vite';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [
    trackerPlugin({
      appId: 'example-vite',
      storage: {
        ...(process.env.TRACKER_WRITE_ENDPOINT ? { writeEndpoint: process.env.TRACKER_WRITE_ENDPOINT } : {}),
        apiKey: process.env.TRACKER_API_KEY,
        flushInterval: 1000, // near-real-time in the dev dashboard
      },
    }),
  ],
});
