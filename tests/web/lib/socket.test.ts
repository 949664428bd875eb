import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { ViewSocket, backoffDelay, socketUrl, type ConnectionState, type ViewProtocol } from '../../../web/src/lib/socket';
import { ErrorMessage, Hello, ProtocolError, binaryKind } from '../../../web/src/lib/wire';

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

const MESSAGES = { hello: Hello, error: ErrorMessage, tick: z.object({ type: z.literal('tick'), n: z.number() }) };
type Message = z.infer<(typeof MESSAGES)[keyof typeof MESSAGES]>;

/** A view that speaks "Test protocol 4" at /ws/test; its binary messages are their magic. */
const PROTOCOL: ViewProtocol<typeof MESSAGES, string> = {
  view: 'inside',
  title: 'Test',
  protocol: 4,
  path: '/ws/test',
  messages: MESSAGES,
  binary: (b) => {
    if (binaryKind(b) !== 'NLTT') throw new ProtocolError(`bad magic "${binaryKind(b)}"`);
    return 'NLTT';
  },
};

function harness() {
  const log = { messages: [] as Message[], binary: [] as string[], states: [] as ConnectionState[], problems: [] as string[], errors: [] as string[] };
  const socket = new ViewSocket<typeof MESSAGES, string, { type: 'play' | 'step' }>(
    'ws://h/ws/test',
    PROTOCOL,
    { message: (m) => log.messages.push(m), binary: (b) => log.binary.push(b) },
    { connection: (s) => log.states.push(s), problem: (p) => log.problems.push(p), error: (e) => log.errors.push(e) },
    { backoff: { initialMs: 100, maxMs: 1000 }, create: (url) => new StubWebSocket(url) as unknown as WebSocket },
  );
  return { socket, log, last: () => StubWebSocket.made[StubWebSocket.made.length - 1] };
}

const magic = (m: string) => new Uint8Array([...m].map((c) => c.charCodeAt(0))).buffer;

describe('backoffDelay', () => {
  it('doubles from the initial delay up to the cap', () => {
    const opts = { initialMs: 500, maxMs: 10_000 };
    expect([0, 1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, opts))).toEqual([500, 1000, 2000, 4000, 8000, 10_000, 10_000]);
  });
});

describe('socketUrl', () => {
  it("points at the view's path on the page host, wss for https", () => {
    expect(socketUrl({ protocol: 'http:', host: '127.0.0.1:8080' }, '/ws')).toBe('ws://127.0.0.1:8080/ws');
    expect(socketUrl({ protocol: 'https:', host: 'example.org' }, '/ws/inside')).toBe('wss://example.org/ws/inside');
  });
});

describe('ViewSocket', () => {
  beforeEach(() => {
    StubWebSocket.made = [];
    vi.useFakeTimers();
  });
  afterEach(() => vi.useRealTimers());

  it("decodes JSON by the view's schemas and binary by its decoder, and reports what it cannot read", () => {
    const { socket, log, last } = harness();
    socket.connect();
    expect(last().binaryType).toBe('arraybuffer');
    last().serverOpens();
    last().serverSends('{"type":"error","command":"play","message":"play: busy"}');
    last().serverSends('{"type":"tick","n":1}');
    last().serverSends(magic('NLTT'));
    // None of these throws out of onmessage: each is reported, and the next message works.
    last().serverSends('{oops');
    last().serverSends('{"type":"tick","n":"one"}');
    last().serverSends(magic('NLXX'));
    last().serverSends('{"type":"tick","n":2}');
    expect(log.messages).toEqual([
      { type: 'error', command: 'play', message: 'play: busy' },
      { type: 'tick', n: 1 },
      { type: 'tick', n: 2 },
    ]);
    expect(log.binary).toEqual(['NLTT']);
    expect(log.problems).toHaveLength(3);
    expect(log.problems[0]).toMatch(/^server message is not JSON/);
    expect(log.problems[1]).toMatch(/^tick\.n: /);
    expect(log.problems[2]).toBe('bad magic "NLXX"');
  });

  it('ignores a message type the view does not know', () => {
    const { socket, log, last } = harness();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    socket.connect();
    last().serverOpens();
    last().serverSends('{"type":"news","text":"x"}');
    expect(log.messages).toEqual([]);
    expect(log.problems).toEqual([]);
    expect(warn).toHaveBeenCalledOnce();
    warn.mockRestore();
  });

  it("accepts a hello of the page's view and protocol, and shows the server's version", () => {
    const { socket, log, last } = harness();
    socket.connect();
    last().serverOpens();
    last().serverSends('{"type":"hello","view":"inside","protocol":4,"version":"0.2.0"}');
    expect(log.states.at(-1)).toEqual({ kind: 'open', version: '0.2.0' });
    expect(log.messages).toEqual([{ type: 'hello', view: 'inside', protocol: 4, version: '0.2.0' }]);
  });

  it('on another protocol says so, closes, and does not reconnect', () => {
    const { socket, log, last } = harness();
    socket.connect();
    last().serverOpens();
    last().serverSends('{"type":"hello","view":"inside","protocol":3,"version":"0.1.0"}');
    last().serverSends('{"type":"tick","n":1}');
    expect(log.states.at(-1)).toEqual({ kind: 'mismatch', message: 'this page speaks Test protocol 4, the server 3: reload' });
    expect(log.messages).toEqual([]);
    expect(last().readyState).toBe(3);
    last().serverCloses();
    vi.advanceTimersByTime(60_000);
    expect(StubWebSocket.made).toHaveLength(1);
    expect(socket.send({ type: 'play' })).toBe(false);
  });

  it('on another view says so', () => {
    const { socket, log, last } = harness();
    socket.connect();
    last().serverOpens();
    last().serverSends('{"type":"hello","view":"digits","protocol":4,"version":"0.1.0"}');
    expect(log.states.at(-1)).toEqual({
      kind: 'mismatch',
      message: "this page is Test, but the server's /ws/test serves the digits view: reload",
    });
  });

  it('sends JSON only while open, and says what it dropped', () => {
    const { socket, log, last } = harness();
    socket.connect();
    expect(socket.send({ type: 'play' })).toBe(false);
    expect(log.errors).toEqual(['not connected: "play" was not sent']);
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
    expect(log.states.at(-1)).toEqual({ kind: 'connecting', attempt: 1 });
    last().serverCloses();
    expect(log.states.at(-1)).toEqual({ kind: 'closed', retryInMs: 200 });
    vi.advanceTimersByTime(200);
    expect(StubWebSocket.made).toHaveLength(3);
    last().serverOpens();
    expect(log.states.at(-1)).toEqual({ kind: 'open', version: null });
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
