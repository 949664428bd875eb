// The Runs messages at /ws/runs, protocol 1 (docs/protocol.md, "Runs"): what the page sends,
// and a schema per message the server sends (types inferred from them). The view has no binary
// messages.

import { z } from 'zod';
import type { ViewProtocol } from '../../lib/socket';
import { ErrorMessage, ProtocolError, helloFields, nullableNumber } from '../../lib/wire';

export const PROTOCOL_VERSION = 1;

export type RunsClientMessage =
  | { type: 'list' }
  | { type: 'rename'; run: string; to: string }
  | { type: 'star'; run: string; starred: boolean }
  | { type: 'delete'; run: string };

/** The views a run opens in: a Playground network's run in the Playground and its Timeline panel, an image model's in Digits and Lurk. */
export const RunViewName = z.enum(['playground', 'timeline', 'digits', 'lurk']);
export type RunViewName = z.infer<typeof RunViewName>;

const Run = z.object({
  /** The run directory's name; for a live run without one, what it trains ("spiral"). */
  name: z.string(),
  /** Whether the run has a directory (only those can be renamed, starred, deleted, opened). */
  dir: z.boolean(),
  source: z.enum(['netlens', 'ingested', 'imported']),
  status: z.enum(['live', 'saved', 'finished']),
  /** The session's view, for a live run without a directory. */
  view: z.string().optional(),
  /** Epochs (netlens's runs) or steps (ingested ones); null when the run has none yet. */
  step: nullableNumber,
  loss: nullableNumber,
  /** Seconds since 1970: the manifest's last write, or when a live run started. */
  when: z.number(),
  bytes: nullableNumber,
  starred: z.boolean(),
  open: z.array(z.string()),
  /** An ingested run: what its client dropped to keep training fast, by kind ("scalars", "snapshots_superseded", ...). */
  dropped: z.record(z.string(), z.number()).optional(),
  /** An ingested run: why the views cannot show its model. */
  warning: z.string().optional(),
  /** Why the run's manifest cannot be read. */
  problem: z.string().optional(),
});
export type RunRow = z.infer<typeof Run>;

const Hello = z.object({ ...helloFields, keep: z.number().int(), saving: z.boolean() });
export type RunsHello = z.infer<typeof Hello>;
const RunsList = z.object({ type: z.literal('runs'), runs: z.array(Run) });
export type RunsList = z.infer<typeof RunsList>;

export const MESSAGES = { hello: Hello, runs: RunsList, error: ErrorMessage };

export const RUNS: ViewProtocol<typeof MESSAGES, never> = {
  view: 'runs',
  title: 'Runs',
  protocol: PROTOCOL_VERSION,
  path: '/ws/runs',
  messages: MESSAGES,
  binary: () => {
    throw new ProtocolError('runs: the server sent a binary message; this view has none');
  },
};
