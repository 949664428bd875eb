// The Digits page's WebSocket: JSON messages parsed, binary frames passed on, and reconnection
// with a growing delay (0.5 s doubling to 10 s) when the socket closes.

import { parseDigitsMessage, type DigitsClientMessage, type DigitsServerMessage } from './protocol';

export interface DigitsHandlers {
  onMessage(m: DigitsServerMessage): void;
  onBinary(data: ArrayBuffer): void;
  onState(open: boolean): void;
}

export class DigitsConnection {
  private ws: WebSocket | null = null;
  private failures = 0;

  constructor(
    private readonly url: string,
    private readonly handlers: DigitsHandlers,
  ) {}

  connect(): void {
    const ws = new WebSocket(this.url);
    ws.binaryType = 'arraybuffer';
    ws.onopen = () => {
      this.failures = 0;
      this.handlers.onState(true);
    };
    ws.onmessage = (e) => {
      if (typeof e.data === 'string') this.handlers.onMessage(parseDigitsMessage(e.data));
      else this.handlers.onBinary(e.data as ArrayBuffer);
    };
    ws.onclose = () => {
      this.ws = null;
      this.handlers.onState(false);
      setTimeout(() => this.connect(), Math.min(10_000, 500 * 2 ** this.failures++));
    };
    this.ws = ws;
  }

  send(m: DigitsClientMessage): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(m));
  }
}
