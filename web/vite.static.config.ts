// The static build (make static): the same pages into build/static, running the engine in the
// page. engine/choose.ts becomes engine/inPage.ts, and the worker bundles the engine that emcc
// built into build/wasm (netlens_engine.js, which fetches netlens_engine.wasm beside it).
import { fileURLToPath } from 'node:url';
import { defineConfig, mergeConfig } from 'vite';
import base from './vite.config.ts';

const at = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default mergeConfig(
  base,
  defineConfig({
    build: { outDir: at('../build/static'), sourcemap: false },
    resolve: {
      alias: [
        { find: /^\.\/engine\/choose$/, replacement: at('src/engine/inPage.ts') },
        { find: /^netlens-engine$/, replacement: at('../build/wasm/netlens_engine.js') },
      ],
    },
    worker: { format: 'es' },
  }),
);
