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
