// The one WebSocket client of every view: it connects to the view's endpoint, checks the
// server's `hello` against the protocol the page speaks, decodes each JSON message by the view's
// schemas and each binary message by the view's decoder, reports what it cannot read to the
// status line instead of throwing, and reconnects with exponential backoff when the socket closes.

import { Hello, ProtocolError, decodeMessage, parseJson, type MessageOf, type ViewName } from './wire';
import type { z } from 'zod';

/** What a view's wire is: its endpoint, its protocol version, and how its messages decode. */
export interface ViewProtocol<S extends Record<string, z.ZodType<{ type: string }>>, B> {
  view: ViewName;
  /** The view's name as a person reads it: "Inside". */
  title: string;
  protocol: number;
  /** The endpoint's path: "/ws/inside". */
  path: string;
  /** A schema per server message type. */
  messages: S;
  /** Decodes a binary message; throws ProtocolError when it cannot. */
  binary(buffer: ArrayBuffer): B;
}

export type ConnectionState =
  | { kind: 'connecting'; attempt: number }
  | { kind: 'open'; version: string | null }
  | { kind: 'closed'; retryInMs: number }
  /** The server speaks another protocol: the socket stays closed until the page is reloaded. */
  | { kind: 'mismatch'; message: string };

/** Where the socket reports its state, what it could not read, and what it could not send (the page's status line). */
export interface StatusSink {
  connection(state: ConnectionState): void;
  problem(message: string): void;
  error(message: string): void;
}

export interface SocketHandlers<M, B> {
  message(message: M): void;
  binary(data: B): void;
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

/** ws://host/path on an http page, wss://host/path on an https one. */
export function socketUrl(location: { protocol: string; host: string }, path: string): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}${path}`;
}

/** WebSocket.OPEN, spelled out so this module loads where WebSocket is not global. */
const OPEN = 1;

export type WebSocketFactory = (url: string) => WebSocket;

let pageTransport: WebSocketFactory = (u) => new WebSocket(u);

/** The page's transport, chosen once at its start (engine/choose.ts): the server's WebSocket, or the in-page engine. */
export function usePageTransport(create: WebSocketFactory): void {
  pageTransport = create;
}

export interface SocketOptions {
  backoff?: BackoffOptions;
  /** Tests pass a stand-in for the browser's WebSocket. */
  create?: WebSocketFactory;
}

export class ViewSocket<S extends Record<string, z.ZodType<{ type: string }>>, B, C extends { type: string }> {
  private ws: WebSocket | null = null;
  private failures = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;
  private readonly backoff: BackoffOptions;
  private readonly create: WebSocketFactory;

  constructor(
    private readonly url: string,
    private readonly protocol: ViewProtocol<S, B>,
    private readonly handlers: SocketHandlers<MessageOf<S>, B>,
    private readonly status: StatusSink,
    options: SocketOptions = {},
  ) {
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.create = options.create ?? pageTransport;
  }

  connect(): void {
    this.stopped = false;
    this.open();
  }

  /** Sends a message; when the socket is not open, the message is dropped, the status line says so, and this returns false. */
  send(message: C): boolean {
    if (!this.isOpen) {
      this.status.error(`not connected: "${message.type}" was not sent`);
      return false;
    }
    this.ws!.send(JSON.stringify(message));
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
    const ws = this.ws;
    this.ws = null;
    ws?.close();
  }

  private open(): void {
    this.status.connection({ kind: 'connecting', attempt: this.failures });
    const ws = this.create(this.url);
    ws.binaryType = 'arraybuffer';
    this.ws = ws;
    ws.onopen = () => {
      this.failures = 0;
      this.status.connection({ kind: 'open', version: null });
    };
    ws.onmessage = (event: MessageEvent) => {
      if (this.ws === ws) this.receive(event.data);
    };
    ws.onclose = () => {
      if (this.ws !== ws) return; // an old socket closing late, or one closed on purpose
      this.ws = null;
      if (this.stopped) return;
      const delay = backoffDelay(this.failures, this.backoff);
      this.failures++;
      this.status.connection({ kind: 'closed', retryInMs: delay });
      this.retryTimer = setTimeout(() => {
        this.retryTimer = null;
        if (!this.stopped) this.open();
      }, delay);
    };
    // A failed connection also fires close, where the retry is scheduled.
    ws.onerror = () => {};
  }

  private receive(data: unknown): void {
    let decoded: { text: MessageOf<S> | null } | { binary: B };
    try {
      if (typeof data === 'string') {
        const raw = parseJson(data);
        if (this.refusedHello(raw)) return;
        decoded = { text: decodeMessage(this.protocol.messages, raw) };
      } else if (data instanceof ArrayBuffer) {
        decoded = { binary: this.protocol.binary(data) };
      } else {
        throw new ProtocolError(`unexpected message payload: ${Object.prototype.toString.call(data)}`);
      }
    } catch (e) {
      this.status.problem((e as Error).message);
      return;
    }
    // The view's own handling stays outside the try: a bug there is the page's, not the server's.
    if ('binary' in decoded) this.handlers.binary(decoded.binary);
    else if (decoded.text) this.handlers.message(decoded.text);
    else console.warn(`netlens: ignoring a server message of a type this page does not know: ${String(data).slice(0, 60)}`);
  }

  /** Checks a `hello` against the page's protocol; on a mismatch closes for good and says so. */
  private refusedHello(raw: unknown): boolean {
    const hello = Hello.safeParse(raw);
    if (!hello.success) return false; // not a hello (or a malformed one, which the view's schema reports)
    const { view, protocol, version } = hello.data;
    const p = this.protocol;
    let mismatch = '';
    if (view !== undefined && view !== p.view) mismatch = `this page is ${p.title}, but the server's ${p.path} serves the ${view} view: reload`;
    else if (protocol !== p.protocol) mismatch = `this page speaks ${p.title} protocol ${p.protocol}, the server ${protocol}: reload`;
    if (!mismatch) {
      this.status.connection({ kind: 'open', version });
      return false;
    }
    this.close();
    this.status.connection({ kind: 'mismatch', message: mismatch });
    return true;
  }
}
