// Builds web/ into build/web, which `netlens serve` serves. Asset URLs are relative.
// `npm run dev:web` serves the page with hot reload and forwards /ws to a running server:
// NETLENS_URL=http://127.0.0.1:8080 npm run dev:web
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const webDir = fileURLToPath(new URL('.', import.meta.url));
const outDir = fileURLToPath(new URL('../build/web', import.meta.url));
const server = process.env.NETLENS_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  root: webDir,
  base: './',
  build: {
    outDir,
    emptyOutDir: true,
    sourcemap: true,
  },
  server: {
    proxy: {
      // The server accepts a socket only from its own origin, so the proxy rewrites Origin to it.
      '/ws': { target: server.replace(/^http/, 'ws'), ws: true, changeOrigin: true, rewriteWsOrigin: true },
    },
  },
});
