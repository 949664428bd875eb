// How the playground writes numbers as text.

/** The epoch counter: the plain integer, "42". */
export function formatEpoch(epoch: number): string {
  return String(Math.trunc(epoch));
}

/** A loss with 3 decimals, "0.012"; a dash for a value the server could not give (NaN). */
export function formatLoss(loss: number): string {
  return Number.isFinite(loss) ? loss.toFixed(3) : '–';
}

/** An accuracy in [0, 1] as a percentage with 1 decimal, "99.6%"; empty when absent. */
export function formatAccuracy(accuracy: number | undefined): string {
  return accuracy === undefined ? '' : `${(accuracy * 100).toFixed(1)}%`;
}

/** A size in bytes as a person reads it: "900 KB", "1 MB", "2.4 MB" (1 KB = 1024 bytes). */
export function formatBytes(bytes: number): string {
  const kb = bytes / 1024;
  if (kb < 1024) return `${Math.max(1, Math.round(kb))} KB`;
  const mb = kb / 1024;
  return `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB`;
}

/** How an upload was rescaled into the domain: "x1 150..169, x2 50..88, ×0.316". */
export function formatRescale(r: { x1: [number, number]; x2: [number, number]; scale: number }): string {
  const short = (v: number, digits: number) => String(Number(v.toPrecision(digits)));
  const range = ([a, b]: [number, number]) => `${short(a, 4)}..${short(b, 4)}`;
  return `x1 ${range(r.x1)}, x2 ${range(r.x2)}, ×${short(r.scale, 3)}`;
}
