// Builds web/ into build/web, which `netlens serve` serves. Asset URLs are relative.
// Each view is its own page: every web/*.html is an entry (index.html is the Playground), and
// holds only its entry script; the site's frame around it comes from web/pages.ts.
// `npm run dev:web` serves the page with hot reload and forwards /ws to a running server:
// NETLENS_URL=http://127.0.0.1:8080 npm run dev:web
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { pageDocument } from './pages.ts';

const webDir = fileURLToPath(new URL('.', import.meta.url));
const outDir = fileURLToPath(new URL('../build/web', import.meta.url));
const pages = Object.fromEntries(
  readdirSync(webDir)
    .filter((f) => f.endsWith('.html'))
    .map((f) => [path.basename(f, '.html'), path.join(webDir, f)]),
);
const siteFrame: Plugin = {
  name: 'netlens-site-frame',
  transformIndexHtml: {
    order: 'pre',
    handler: (html, ctx) => pageDocument(path.basename(ctx.filename), html.replace(/<!--[\s\S]*?-->/g, '')),
  },
};
const server = process.env.NETLENS_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  root: webDir,
  base: './',
  plugins: [siteFrame],
  build: {
    outDir,
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 1000, // the Digits page bundles Three.js (about 700 kB minified)
    rollupOptions: { input: pages },
  },
  server: {
    proxy: {
      // The server accepts a socket only from its own origin, so the proxy rewrites Origin to it.
      '/ws': { target: server.replace(/^http/, 'ws'), ws: true, changeOrigin: true, rewriteWsOrigin: true },
    },
  },
});
