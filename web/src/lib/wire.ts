// What the wire of every view has in common (docs/protocol.md): the `hello` header each
// endpoint sends first, the `error` reply, the shapes several views send, the decoding of a JSON
// message by its type's schema (zod), and the tensor frames of Digits and Inside.

import { z } from 'zod';

export type ViewName = 'playground' | 'digits' | 'inside' | 'lurk' | 'runs';

/** A server message the page cannot read; the message names the field at fault. */
export class ProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtocolError';
  }
}

/** The fields of `hello` every view sends; each view's hello extends it. */
export const helloFields = {
  type: z.literal('hello'),
  // A server from before every endpoint named its view sends none; its protocol number still differs.
  view: z.string().optional(),
  protocol: z.number().int(),
  version: z.string(),
};
export const Hello = z.object(helloFields);
export type HelloHeader = z.infer<typeof Hello>;

/** `command`: the `type` of the client message it answers, null when it answers none. */
export const ErrorMessage = z.object({ type: z.literal('error'), command: z.string().nullable(), message: z.string() });
export type ServerError = z.infer<typeof ErrorMessage>;

export const Domain = z
  .object({ x_min: z.number(), x_max: z.number(), y_min: z.number(), y_max: z.number() })
  .refine((d) => d.x_min < d.x_max && d.y_min < d.y_max, 'min must be below max');
export type Domain = z.infer<typeof Domain>;

/** A data point as sent: [x1, x2, label]; further entries are ignored. */
export type Point = [number, number, number];
export const Point = z
  .array(z.number())
  .min(3, 'expected [x1, x2, label]')
  .transform((p): Point => [p[0], p[1], p[2]]);

/** A weight layer's size: `in` inputs, `out` units. */
export const LayerShape = z.object({ in: z.number().int(), out: z.number().int() });
export type LayerShape = z.infer<typeof LayerShape>;

/** A number the server sends as null when it is not finite (a diverged run's loss). */
export const nullableNumber = z.number().nullable();

type Schemas = Record<string, z.ZodType<{ type: string }>>;
/** The messages a table of schemas decodes to: the union of their outputs. */
export type MessageOf<S extends Schemas> = { [K in keyof S]: z.output<S[K]> }[keyof S];

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ProtocolError(`server message is not JSON: ${(e as Error).message}`);
  }
}

/**
 * Decodes a parsed message by the schema of its `type`; null for a type this page does not
 * know (ignored, as the protocol asks). Throws ProtocolError naming the field at fault.
 */
export function decodeMessage<S extends Schemas>(schemas: S, raw: unknown): MessageOf<S> | null {
  const head = z.object({ type: z.string() }).safeParse(raw);
  if (!head.success) throw new ProtocolError(describe('server message', head.error));
  const type = head.data.type;
  if (!Object.hasOwn(schemas, type)) return null;
  const parsed = schemas[type].safeParse(raw);
  if (!parsed.success) throw new ProtocolError(describe(type, parsed.error));
  return parsed.data as MessageOf<S>;
}

/** "state.epoch: Invalid input: expected number, received string": the first issue and its path. */
function describe(where: string, error: z.ZodError): string {
  const issue = error.issues[0];
  const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
  return `${where}${path}: ${issue.message}`;
}

/** The 4 ASCII bytes that say what a binary message is ("NLFR", "NLDA", ...). */
export function binaryKind(buffer: ArrayBuffer): string {
  if (buffer.byteLength < 4) return '';
  return String.fromCharCode(...new Uint8Array(buffer, 0, 4));
}

export interface Tensor {
  shape: number[];
  values: Float32Array;
}

export interface TensorFrame {
  magic: string;
  seq: number;
  tensors: Tensor[];
}

/** Reads "MAGIC", uint32 seq, uint32 count, then per tensor uint32 rank, dims, float32 values (LE). */
export function decodeTensorFrame(buffer: ArrayBuffer): TensorFrame {
  const view = new DataView(buffer);
  if (buffer.byteLength < 12) throw new ProtocolError(`tensor frame: ${buffer.byteLength} bytes is too short`);
  const magic = binaryKind(buffer);
  const seq = view.getUint32(4, true);
  const count = view.getUint32(8, true);
  let at = 12;
  const tensors: Tensor[] = [];
  for (let t = 0; t < count; t++) {
    if (at + 4 > buffer.byteLength) throw new ProtocolError(`tensor frame: truncated before tensor ${t}`);
    const rank = view.getUint32(at, true);
    at += 4;
    if (at + 4 * rank > buffer.byteLength) throw new ProtocolError(`tensor frame: truncated in the shape of tensor ${t}`);
    const shape: number[] = [];
    for (let d = 0; d < rank; d++, at += 4) shape.push(view.getUint32(at, true));
    const n = shape.reduce((a, b) => a * b, 1);
    if (at + 4 * n > buffer.byteLength) throw new ProtocolError(`tensor frame: truncated in tensor ${t}`);
    tensors.push({ shape, values: new Float32Array(buffer.slice(at, at + 4 * n)) });
    at += 4 * n;
  }
  return { magic, seq, tensors };
}
