// The in-page engine behind ViewSocket: a WebSocket-like object whose other end is a Web Worker
// running the C++ session (engine/worker.ts) instead of a server. It carries the same messages
// the WebSocket would, so the views decide nothing differently.

import type { FromEngine, ToEngine } from '../engine/messages';

/** What the transport needs of a Worker (tests pass a stand-in). */
export interface EngineWorker {
  postMessage(message: ToEngine): void;
  onmessage: ((event: MessageEvent<FromEngine>) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
  terminate(): void;
}

const CONNECTING = 0;
const OPEN = 1;
const CLOSED = 3;

/** What the page's engine line hears: the in-page speed, and a session the engine cannot run. */
export interface EngineReport {
  speed?(epochsPerSecond: number): void;
  refused?(reason: string): void;
}

/** The WebSocket's part ViewSocket uses, over a worker that runs the session of the URL's path. */
export class WorkerSocket {
  readyState = CONNECTING;
  binaryType: BinaryType = 'arraybuffer';
  onopen: ((event: Event) => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onclose: ((event: CloseEvent) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;

  constructor(
    url: string,
    private readonly worker: EngineWorker,
    private readonly report: EngineReport = {},
  ) {
    worker.onmessage = (event) => this.receive(event.data);
    // A worker that fails to load or crashes is a connection that closed: ViewSocket reconnects.
    worker.onerror = (event) => {
      console.error(`netlens: the in-page engine failed: ${event.message}`);
      this.shut();
    };
    worker.postMessage({ kind: 'open', path: new URL(url).pathname });
  }

  send(data: string): void {
    if (this.readyState !== OPEN) throw new Error('WorkerSocket: not open');
    this.worker.postMessage({ kind: 'text', data });
  }

  close(): void {
    if (this.readyState === CLOSED) return;
    this.worker.postMessage({ kind: 'close' });
    this.shut();
  }

  private receive(message: FromEngine): void {
    if (this.readyState === CLOSED) return;
    switch (message.kind) {
      case 'open':
        this.readyState = OPEN;
        this.onopen?.(new Event('open'));
        break;
      case 'message':
        this.onmessage?.(new MessageEvent('message', { data: message.data }));
        break;
      case 'refused':
        this.report.refused?.(message.reason);
        this.shut();
        break;
      case 'speed':
        this.report.speed?.(message.epochsPerSecond);
        break;
    }
  }

  private shut(): void {
    this.readyState = CLOSED;
    this.worker.terminate();
    this.onclose?.(new Event('close') as CloseEvent); // ViewSocket reads no field of it
  }
}
