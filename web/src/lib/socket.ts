// The WebSocket client: one connection to the server's /ws, JSON messages parsed and binary
// frames passed on as ArrayBuffers, and reconnection with exponential backoff when it closes.

import { parseServerMessage, type ClientMessage, type ServerMessage } from './protocol';

export type ConnectionState =
  | { kind: 'connecting'; attempt: number }
  | { kind: 'open' }
  | { kind: 'closed'; retryInMs: number };

export interface SocketHandlers {
  onMessage(message: ServerMessage): void;
  onBinary(data: ArrayBuffer): void;
  onConnection(state: ConnectionState): void;
  /** A message the page could not read; the connection goes on. */
  onProtocolError(error: Error): void;
}

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 500, maxMs: 10_000 };

/** Delay before reconnect attempt number `failures` (0 for the first): doubles up to maxMs. */
export function backoffDelay(failures: number, opts: BackoffOptions = DEFAULT_BACKOFF): number {
  return Math.min(opts.maxMs, opts.initialMs * 2 ** Math.max(0, failures));
}

/** ws://host/ws on an http page, wss://host/ws on an https one. */
export function socketUrl(location: { protocol: string; host: string }): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/ws`;
}

/** The part of the WebSocket constructor this client needs; tests pass a stand-in. */
/** WebSocket.OPEN, spelled out so this module loads where WebSocket is not global. */
const OPEN = 1;

export type WebSocketFactory = (url: string) => WebSocket;

export class NetlensSocket {
  private ws: WebSocket | null = null;
  private failures = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;

  constructor(
    private readonly url: string,
    private readonly handlers: SocketHandlers,
    private readonly backoff: BackoffOptions = DEFAULT_BACKOFF,
    private readonly create: WebSocketFactory = (u) => new WebSocket(u),
  ) {}

  connect(): void {
    this.stopped = false;
    this.open();
  }

  /** Sends a message; returns false when the socket is not open (the message is dropped). */
  send(message: ClientMessage): boolean {
    if (!this.ws || this.ws.readyState !== OPEN) return false;
    this.ws.send(JSON.stringify(message));
    return true;
  }

  get isOpen(): boolean {
    return this.ws !== null && this.ws.readyState === OPEN;
  }

  /** Closes for good: no reconnect. */
  close(): void {
    this.stopped = true;
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.ws?.close();
    this.ws = null;
  }

  private open(): void {
    this.handlers.onConnection({ kind: 'connecting', attempt: this.failures });
    const ws = this.create(this.url);
    ws.binaryType = 'arraybuffer';
    this.ws = ws;
    ws.onopen = () => {
      this.failures = 0;
      this.handlers.onConnection({ kind: 'open' });
    };
    ws.onmessage = (event: MessageEvent) => this.receive(event.data);
    ws.onclose = () => {
      if (this.ws !== ws) return; // an old socket closing late
      this.ws = null;
      if (this.stopped) return;
      const delay = backoffDelay(this.failures, this.backoff);
      this.failures++;
      this.handlers.onConnection({ kind: 'closed', retryInMs: delay });
      this.retryTimer = setTimeout(() => {
        this.retryTimer = null;
        if (!this.stopped) this.open();
      }, delay);
    };
    // A failed connection also fires close, where the retry is scheduled.
    ws.onerror = () => {};
  }

  private receive(data: unknown): void {
    if (typeof data === 'string') {
      let message: ServerMessage;
      try {
        message = parseServerMessage(data);
      } catch (e) {
        this.handlers.onProtocolError(e as Error);
        return;
      }
      this.handlers.onMessage(message);
    } else if (data instanceof ArrayBuffer) {
      this.handlers.onBinary(data);
    } else {
      this.handlers.onProtocolError(new Error(`unexpected message payload: ${Object.prototype.toString.call(data)}`));
    }
  }
}
