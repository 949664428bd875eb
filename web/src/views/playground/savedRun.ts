// Continuing a run the server saved: a session that ends (the tab reloaded, the server
// restarted) saves its run under the server's runs folder (docs/run-format.md). The page keeps
// what it last trained (spec and epoch) in sessionStorage, which outlives a reload; after a new
// connection it asks for the saved runs and offers the newest one with the same spec that got
// at least as far. The old session may still be saving when the new one greets, so the list is
// asked for a few times.

import type { RunsMessage } from './messages';

type Spec = Record<string, unknown>;

export interface TrainedRun {
  spec: Spec;
  epoch: number;
}

const STORAGE_KEY = 'netlens.playground.run';
const ASKS = 5;
const ASK_EVERY_MS = 1000;

/** The same JSON value, whatever the order of object keys. */
export function sameJson(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v);
}

/** The newest saved run that is `run` (its spec) trained at least as far; undefined if none. */
export function findSavedRun(runs: RunsMessage['runs'], run: TrainedRun): RunsMessage['runs'][number] | undefined {
  return runs.find((r) => r.epoch >= run.epoch && sameJson(r.spec, run.spec));
}

export class SavedRunOffer {
  private wanted: TrainedRun | null = null;
  private asks = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly listRuns: () => void,
    private readonly offer: (run: { name: string; epoch: number } | null) => void,
  ) {}

  /** The run as it trains (epoch 0 is no run to continue; uploaded points are not saved). */
  trained(run: TrainedRun | null): void {
    try {
      if (run && run.epoch > 0) sessionStorage.setItem(STORAGE_KEY, JSON.stringify(run));
      else sessionStorage.removeItem(STORAGE_KEY);
    } catch {
      // storage refused (a private window): a reload cannot offer the run, nothing else changes
    }
  }

  /** A new session greeted: look for this tab's last run among the saved ones. */
  connected(): void {
    this.cancel();
    this.wanted = this.remembered();
    this.asks = 0;
    if (this.wanted) this.ask();
  }

  runs(m: RunsMessage): void {
    if (!this.wanted) return;
    const found = findSavedRun(m.runs, this.wanted);
    if (found) {
      this.offer({ name: found.name, epoch: found.epoch });
      this.wanted = null;
    } else if (this.asks < ASKS) {
      this.timer = setTimeout(() => this.ask(), ASK_EVERY_MS);
    }
  }

  /** The offer was taken or is moot (another run was chosen). */
  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.wanted = null;
    this.offer(null);
  }

  private ask(): void {
    this.asks++;
    this.listRuns();
  }

  private remembered(): TrainedRun | null {
    try {
      const text = sessionStorage.getItem(STORAGE_KEY);
      return text ? (JSON.parse(text) as TrainedRun) : null;
    } catch {
      return null;
    }
  }
}
