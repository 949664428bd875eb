// The page's engine in the server's build: the netlens server that served the page, over its
// WebSocket (ViewSocket's default). The static build (web/vite.static.config.ts) puts
// engine/inPage.ts in this module's place.

import { engineLine } from './engineLine';

export function chooseEngine(): void {
  engineLine('server', 'engine: the netlens server');
}
