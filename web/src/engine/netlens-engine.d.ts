// The module emcc writes (src/wasm/CMakeLists.txt: MODULARIZE, EXPORT_ES6, createEngine).
declare module 'netlens-engine' {
  export default function createEngine(options: {
    deliver(bytes: Uint8Array, binary: boolean): void;
  }): Promise<unknown>;
}
