// What the page and the in-page engine's worker (engine/worker.ts) say to each other over
// postMessage: the view's own wire messages, wrapped, plus opening and the engine's speed.

/** Page to worker. */
export type ToEngine =
  | { kind: 'open'; path: string } // the endpoint's path: "/ws", "/ws/inside"
  | { kind: 'text'; data: string } // a client message, as a WebSocket would carry it
  | { kind: 'close' };

/** Worker to page. */
export type FromEngine =
  | { kind: 'open' }
  | { kind: 'message'; data: string | ArrayBuffer } // a server message, text or binary
  | { kind: 'refused'; reason: string } // the session could not be opened
  | { kind: 'speed'; epochsPerSecond: number }; // while a run trains, about once a second
