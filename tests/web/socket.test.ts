import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ServerMessage } from '../../web/src/lib/protocol';
import { NetlensSocket, backoffDelay, socketUrl, type ConnectionState } from '../../web/src/lib/socket';

/** A stand-in for the browser's WebSocket: the test opens, feeds and closes it. */
class StubWebSocket {
  static made: StubWebSocket[] = [];
  readyState = 0;
  binaryType = 'blob';
  sent: string[] = [];
  onopen: (() => void) | null = null;
  onclose: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onmessage: ((e: { data: unknown }) => void) | null = null;
  constructor(readonly url: string) {
    StubWebSocket.made.push(this);
  }
  send(text: string) {
    this.sent.push(text);
  }
  close() {
    this.readyState = 3;
  }
  serverOpens() {
    this.readyState = 1;
    this.onopen?.();
  }
  serverSends(data: unknown) {
    this.onmessage?.({ data });
  }
  serverCloses() {
    this.readyState = 3;
    this.onclose?.();
  }
}

function harness() {
  const log = {
    messages: [] as ServerMessage[],
    binary: [] as ArrayBuffer[],
    states: [] as ConnectionState[],
    errors: [] as string[],
  };
  const socket = new NetlensSocket(
    'ws://h/ws',
    {
      onMessage: (m) => log.messages.push(m),
      onBinary: (b) => log.binary.push(b),
      onConnection: (s) => log.states.push(s),
      onProtocolError: (e) => log.errors.push(e.message),
    },
    { initialMs: 100, maxMs: 1000 },
    (url) => new StubWebSocket(url) as unknown as WebSocket,
  );
  return { socket, log, last: () => StubWebSocket.made[StubWebSocket.made.length - 1] };
}

describe('backoffDelay', () => {
  it('doubles from the initial delay up to the cap', () => {
    const opts = { initialMs: 500, maxMs: 10_000 };
    expect([0, 1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, opts))).toEqual([500, 1000, 2000, 4000, 8000, 10_000, 10_000]);
  });
});

describe('socketUrl', () => {
  it('points at /ws on the page host, wss for https', () => {
    expect(socketUrl({ protocol: 'http:', host: '127.0.0.1:8080' })).toBe('ws://127.0.0.1:8080/ws');
    expect(socketUrl({ protocol: 'https:', host: 'example.org' })).toBe('wss://example.org/ws');
  });
});

describe('NetlensSocket', () => {
  beforeEach(() => {
    StubWebSocket.made = [];
    vi.useFakeTimers();
  });
  afterEach(() => vi.useRealTimers());

  it('parses JSON messages, passes binary frames on, and reports bad JSON', () => {
    const { socket, log, last } = harness();
    socket.connect();
    expect(last().binaryType).toBe('arraybuffer');
    last().serverOpens();
    last().serverSends('{"type":"error","message":"bad spec"}');
    const frame = new ArrayBuffer(8);
    last().serverSends(frame);
    last().serverSends('{oops');
    expect(log.messages).toEqual([{ type: 'error', message: 'bad spec' }]);
    expect(log.binary).toEqual([frame]);
    expect(log.errors).toHaveLength(1);
    expect(log.errors[0]).toMatch(/not JSON/);
  });

  it('sends JSON only while open', () => {
    const { socket, last } = harness();
    socket.connect();
    expect(socket.send({ type: 'play' })).toBe(false);
    last().serverOpens();
    expect(socket.send({ type: 'step' })).toBe(true);
    expect(last().sent).toEqual(['{"type":"step"}']);
  });

  it('reconnects with growing delays, and starts over after a success', () => {
    const { socket, log, last } = harness();
    socket.connect();
    last().serverCloses(); // never opened
    expect(log.states.at(-1)).toEqual({ kind: 'closed', retryInMs: 100 });
    vi.advanceTimersByTime(99);
    expect(StubWebSocket.made).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(StubWebSocket.made).toHaveLength(2);
    last().serverCloses();
    expect(log.states.at(-1)).toEqual({ kind: 'closed', retryInMs: 200 });
    vi.advanceTimersByTime(200);
    expect(StubWebSocket.made).toHaveLength(3);
    last().serverOpens();
    expect(log.states.at(-1)).toEqual({ kind: 'open' });
    last().serverCloses();
    expect(log.states.at(-1)).toEqual({ kind: 'closed', retryInMs: 100 });
  });

  it('does not reconnect after close()', () => {
    const { socket, last } = harness();
    socket.connect();
    last().serverOpens();
    const ws = last();
    socket.close();
    ws.serverCloses();
    vi.advanceTimersByTime(10_000);
    expect(StubWebSocket.made).toHaveLength(1);
  });
});
