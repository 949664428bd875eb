// Builds a tensor frame by hand, for the tests of the views that receive them.

export function tensorFrame(magic: string, seq: number, tensors: { shape: number[]; values: number[] }[]): ArrayBuffer {
  const parts: ArrayBuffer[] = [];
  const head = new ArrayBuffer(12);
  const v = new DataView(head);
  for (let i = 0; i < 4; i++) v.setUint8(i, magic.charCodeAt(i));
  v.setUint32(4, seq, true);
  v.setUint32(8, tensors.length, true);
  parts.push(head);
  for (const t of tensors) {
    const dims = new DataView(new ArrayBuffer(4 + 4 * t.shape.length));
    dims.setUint32(0, t.shape.length, true);
    t.shape.forEach((d, i) => dims.setUint32(4 + 4 * i, d, true));
    parts.push(dims.buffer as ArrayBuffer, Float32Array.from(t.values).buffer);
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(new Uint8Array(p), at);
    at += p.byteLength;
  }
  return out.buffer;
}
