// The status line every view shows under its header: the connection (with the server's version
// once its hello came), and the last error with a button to dismiss it. It owns the first spans
// of its host; a view may add its own after them.

import type { ConnectionState, StatusSink } from './socket';

/** The connection part of the status line. Never says "error": that word is for errors. */
export function formatConnection(state: ConnectionState): string {
  switch (state.kind) {
    case 'connecting':
      return state.attempt === 0 ? 'connecting…' : `connecting… (attempt ${state.attempt + 1})`;
    case 'open':
      return state.version ? `connected to netlens ${state.version}` : 'connected';
    case 'closed':
      return `disconnected; retrying in ${(state.retryInMs / 1000).toFixed(1)} s`;
    case 'mismatch':
      return state.message;
  }
}

export class StatusLine implements StatusSink {
  private readonly connectionText = document.createElement('span');
  private readonly errorBox = document.createElement('span');
  private readonly errorText = document.createElement('span');
  private state: ConnectionState = { kind: 'connecting', attempt: 0 };

  /** Called after every change of the connection (views enable their buttons with it). */
  onConnection: (state: ConnectionState) => void = () => {};

  constructor(private readonly host: HTMLElement) {
    host.setAttribute('role', 'status');
    host.setAttribute('aria-live', 'polite');
    this.connectionText.className = 'status-connection';
    this.errorBox.className = 'status-error';
    this.errorBox.hidden = true;
    this.errorText.className = 'status-error-text';
    const dismiss = document.createElement('button');
    dismiss.type = 'button';
    dismiss.className = 'status-dismiss';
    dismiss.title = 'dismiss';
    dismiss.setAttribute('aria-label', 'dismiss the message');
    dismiss.textContent = '×';
    dismiss.addEventListener('click', () => this.clearError());
    this.errorBox.append(this.errorText, dismiss);
    host.prepend(this.connectionText, this.errorBox);
    this.connection(this.state);
  }

  get connected(): boolean {
    return this.state.kind === 'open';
  }

  connection(state: ConnectionState): void {
    this.state = state;
    this.connectionText.textContent = formatConnection(state);
    this.host.dataset.connection = state.kind;
    this.onConnection(state);
  }

  /** A server message the page could not read; the page goes on. */
  problem(message: string): void {
    this.error(`could not read a server message: ${message}`);
  }

  /** Shows an error; the page goes on working. */
  error(message: string): void {
    this.errorText.textContent = `error: ${message}`;
    this.errorBox.hidden = false;
  }

  clearError(): void {
    this.errorText.textContent = '';
    this.errorBox.hidden = true;
  }
}
