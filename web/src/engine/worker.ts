// The in-page engine's Web Worker: loads the C++ sessions compiled with Emscripten (src/wasm),
// opens the session the page asks for, hands it the page's messages and pumps it when it asks
// (at its frame period while it runs), and posts what it sends back in order.

import createEngine from 'netlens-engine';
import { EpochRate } from './epochRate';
import type { FromEngine, ToEngine } from './messages';

interface Engine {
  cwrap(name: string, returns: 'string' | 'number' | null, args: string[]): (...args: unknown[]) => unknown;
}

const scope = self as unknown as {
  postMessage(message: FromEngine, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<ToEngine>) => void) | null;
};
// While a session opens, what it sends waits here, so the page hears `open` before the hello.
let held: [FromEngine, Transferable[]][] | null = null;
const post = (message: FromEngine, transfer: Transferable[] = []) => {
  if (held) held.push([message, transfer]);
  else scope.postMessage(message, transfer);
};

const decoder = new TextDecoder();
const speed = new EpochRate(() => performance.now());

const ready = (createEngine({
  // Every message the session sends, text or binary, in order (src/wasm/engine.cpp).
  deliver(bytes: Uint8Array, binary: boolean) {
    if (binary) {
      const buffer = bytes.buffer as ArrayBuffer; // a copy of the engine's memory (HEAPU8.slice), never shared: no threads
      post({ kind: 'message', data: buffer }, [buffer]);
    } else {
      const text = decoder.decode(bytes);
      speed.saw(text);
      post({ kind: 'message', data: text });
    }
  },
}) as Promise<Engine>).then((m) => ({
  open: m.cwrap('netlens_open', 'string', ['string']) as (path: string) => string,
  receive: m.cwrap('netlens_receive', null, ['string']) as (text: string) => void,
  pump: m.cwrap('netlens_pump', 'number', []) as () => number,
  close: m.cwrap('netlens_close', null, []) as () => void,
}));

let timer: ReturnType<typeof setTimeout> | null = null;

async function pump(): Promise<void> {
  const engine = await ready;
  if (timer !== null) clearTimeout(timer);
  timer = null;
  const waitMs = engine.pump(); // -1: nothing to do until a message comes
  const rate = speed.rate();
  if (rate !== null) post({ kind: 'speed', epochsPerSecond: rate });
  if (waitMs >= 0) timer = setTimeout(() => void pump(), waitMs);
}

scope.onmessage = async ({ data: message }) => {
  const engine = await ready;
  switch (message.kind) {
    case 'open': {
      held = [];
      const problem = engine.open(message.path);
      const greeting = held;
      held = null;
      if (problem) {
        post({ kind: 'refused', reason: problem });
        return;
      }
      post({ kind: 'open' });
      for (const [m, transfer] of greeting) post(m, transfer);
      break;
    }
    case 'text':
      engine.receive(message.data);
      break;
    case 'close':
      engine.close();
      return;
  }
  void pump();
};
