// How the playground writes numbers and the connection state as text.

import type { ConnectionState } from '../../lib/socket';

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

/** The connection part of the status line. Never says "error": that word is for errors. */
export function formatConnection(state: ConnectionState, serverVersion: string | null): string {
  switch (state.kind) {
    case 'connecting':
      return state.attempt === 0 ? 'connecting…' : `connecting… (attempt ${state.attempt + 1})`;
    case 'open':
      return serverVersion ? `connected to netlens ${serverVersion}` : 'connected';
    case 'closed':
      return `disconnected; retrying in ${(state.retryInMs / 1000).toFixed(1)} s`;
  }
}
