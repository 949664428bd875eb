// What the Runs table shows of a run, as text and links: pure functions of a run and the time.

import type { RunRow } from './messages';

const SOURCES: Record<RunRow['source'], string> = { netlens: "netlens's own", ingested: 'ingested', imported: 'imported' };

export function sourceLabel(source: RunRow['source']): string {
  return SOURCES[source];
}

/** "16 KB", "1.4 MB"; "" when unknown. */
export function formatBytes(bytes: number | null): string {
  if (bytes === null) return '';
  if (bytes < 1000) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = bytes / 1000;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[u]}`;
}

/** How long ago `when` (seconds since 1970) was at `now` (milliseconds, Date.now()). */
export function formatWhen(when: number, now: number): string {
  const s = Math.max(0, Math.round(now / 1000 - when));
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  const days = Math.floor(s / 86400);
  return days === 1 ? 'yesterday' : `${days} days ago`;
}

/** The last loss with four significant digits; "" when there is none (or it diverged). */
export function formatLoss(loss: number | null): string {
  return loss === null ? '' : loss.toPrecision(4);
}

export interface RunLink {
  label: string;
  href: string;
}

/** The pages that open the run, as links relative to runs.html. */
export function runLinks(run: RunRow): RunLink[] {
  const name = encodeURIComponent(run.name);
  // An ingested run is followed (live as it streams); a netlens run goes on from its last checkpoint.
  const playground = run.source === 'ingested' ? `./index.html#ingest=${name}` : `./index.html#run=${name}`;
  const links: Record<string, RunLink> = {
    playground: { label: 'Playground', href: playground },
    // The Timeline is the Playground's panel over the run's checkpoints (maps, scrubbing, GIF).
    timeline: { label: 'Timeline', href: playground },
    digits: { label: 'Digits', href: `./digits.html#run=${name}` },
    lurk: { label: 'Lurk', href: `./lurk.html#run=${name}` },
  };
  return run.open.flatMap((view) => (links[view] ? [links[view]] : []));
}

const DROPS: Record<string, [string, string]> = {
  scalars: ['scalar', 'scalars'],
  snapshots_superseded: ['snapshot superseded', 'snapshots superseded'],
  snapshots_over_budget: ['snapshot over its byte budget', 'snapshots over their byte budget'],
  unsent_at_finish: ['record unsent at finish', 'records unsent at finish'],
  refused: ['record refused', 'records refused'],
};

/** "the client dropped 3 scalars, 12 snapshots superseded"; "" when it dropped nothing. */
export function droppedText(dropped: Record<string, number> | undefined): string {
  const parts = Object.entries(dropped ?? {})
    .filter(([, n]) => n > 0)
    .map(([kind, n]) => {
      const [one, many] = DROPS[kind] ?? [kind.replace(/_/g, ' '), kind.replace(/_/g, ' ')];
      return `${n.toLocaleString('en')} ${n === 1 ? one : many}`;
    });
  return parts.length ? `the client dropped ${parts.join(', ')}` : '';
}
