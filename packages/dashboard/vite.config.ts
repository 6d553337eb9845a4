import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The browser app: relative asset URLs, because the route it is served at is chosen at runtime
// (the handler injects a <base href> pointing at that route).
export default defineConfig({
  root: fileURLToPath(new URL('./src/app', import.meta.url)),
  base: './',
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('./dist/app', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    assetsInlineLimit: 0,
  },
});
