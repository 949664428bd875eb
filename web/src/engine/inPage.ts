// The page's engine in the static build: the C++ session in a Web Worker (engine/worker.ts),
// one worker per connection, behind ViewSocket's interface (lib/workerTransport.ts).

import { usePageTransport } from '../lib/socket';
import { WorkerSocket } from '../lib/workerTransport';
import { engineLine } from './engineLine';

const IN_PAGE = 'engine: in-page (WebAssembly, no server)';

export function chooseEngine(): void {
  const line = engineLine('in-page', IN_PAGE);
  usePageTransport(
    (url) =>
      new WorkerSocket(url, new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' }), {
        speed: (rate) => {
          line.dataset.epochsPerSecond = String(rate);
          line.textContent = `${IN_PAGE}, ${rate >= 100 ? Math.round(rate) : rate.toPrecision(2)} epochs/s`;
        },
        refused: (reason) => {
          line.dataset.engine = 'needs-server';
          line.textContent = `this view needs the netlens server (netlens serve): ${reason}`;
        },
      }) as unknown as WebSocket,
  );
}
