import { describe, expect, it } from 'vitest';
import type { FromEngine, ToEngine } from '../../../web/src/engine/messages';
import { WorkerSocket, type EngineWorker } from '../../../web/src/lib/workerTransport';

class FakeWorker implements EngineWorker {
  posted: ToEngine[] = [];
  terminated = false;
  onmessage: ((event: MessageEvent<FromEngine>) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  postMessage(message: ToEngine): void {
    this.posted.push(message);
  }
  terminate(): void {
    this.terminated = true;
  }
  reply(message: FromEngine): void {
    this.onmessage?.({ data: message } as MessageEvent<FromEngine>);
  }
}

function opened(url = 'ws://example.test/ws/inside') {
  const worker = new FakeWorker();
  const events: string[] = [];
  const reports: string[] = [];
  const socket = new WorkerSocket(url, worker, {
    speed: (r) => reports.push(`speed ${r}`),
    refused: (why) => reports.push(`refused ${why}`),
  });
  socket.onopen = () => events.push('open');
  socket.onmessage = (e) => events.push(typeof e.data === 'string' ? `text ${e.data}` : `binary ${(e.data as ArrayBuffer).byteLength}`);
  socket.onclose = () => events.push('close');
  return { worker, socket, events, reports };
}

describe('WorkerSocket', () => {
  it('opens the session of the URL path and is connecting until the worker says open', () => {
    const { worker, socket, events } = opened();
    expect(worker.posted).toEqual([{ kind: 'open', path: '/ws/inside' }]);
    expect(socket.readyState).toBe(0);
    expect(() => socket.send('{"type":"play"}')).toThrow(/not open/);
    worker.reply({ kind: 'open' });
    expect(socket.readyState).toBe(1);
    expect(events).toEqual(['open']);
  });

  it('carries text both ways and binary to the page, in order', () => {
    const { worker, socket, events } = opened();
    worker.reply({ kind: 'open' });
    socket.send('{"type":"play"}');
    worker.reply({ kind: 'message', data: '{"type":"hello"}' });
    worker.reply({ kind: 'message', data: new ArrayBuffer(12) });
    expect(worker.posted.at(-1)).toEqual({ kind: 'text', data: '{"type":"play"}' });
    expect(events).toEqual(['open', 'text {"type":"hello"}', 'binary 12']);
  });

  it('closes when the engine refuses the session, and reports why', () => {
    const { worker, socket, events, reports } = opened('ws://example.test/ws/digits');
    worker.reply({ kind: 'refused', reason: '/ws/digits: the in-page engine serves the Playground and Inside only' });
    expect(socket.readyState).toBe(3);
    expect(worker.terminated).toBe(true);
    expect(events).toEqual(['close']);
    expect(reports).toEqual(['refused /ws/digits: the in-page engine serves the Playground and Inside only']);
  });

  it('passes the speed on, and hears nothing after close', () => {
    const { worker, socket, events, reports } = opened();
    worker.reply({ kind: 'open' });
    worker.reply({ kind: 'speed', epochsPerSecond: 42 });
    socket.close();
    worker.reply({ kind: 'message', data: 'late' });
    expect(worker.posted.at(-1)).toEqual({ kind: 'close' });
    expect(reports).toEqual(['speed 42']);
    expect(events).toEqual(['open', 'close']);
  });

  it('closes when the worker fails, so ViewSocket reconnects', () => {
    const { worker, socket, events } = opened();
    worker.onerror?.({ message: 'boom' } as ErrorEvent);
    expect(socket.readyState).toBe(3);
    expect(events).toEqual(['close']);
  });
});
