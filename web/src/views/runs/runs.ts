// The Runs view: the server's live and saved runs in a table, each with the views that open it,
// and renaming (typed in place), starring and deleting (after a confirmation in the row). The
// server checks every name and answers a refusal with an error, shown in the status line; the
// list it sends after each change (and whenever the folder changes) is the truth.

import { StatusLine } from '../../lib/statusLine';
import { socketUrl, ViewSocket } from '../../lib/socket';
import type { MessageOf } from '../../lib/wire';
import { droppedText, formatBytes, formatLoss, formatWhen, runLinks, sourceLabel } from './format';
import { mountRuns, type RunsElements } from './markup';
import { MESSAGES, RUNS, type RunRow, type RunsClientMessage, type RunsHello } from './messages';

export class RunsView {
  private readonly els: RunsElements;
  private readonly status: StatusLine;
  private readonly socket: ViewSocket<typeof MESSAGES, never, RunsClientMessage>;
  private hello: RunsHello | null = null;
  private runs: RunRow[] = [];
  /** The run whose name is being typed: the table is not redrawn meanwhile. */
  private renaming: string | null = null;
  /** The run whose delete button asks "for good?". */
  private confirming: string | null = null;

  constructor(root: HTMLElement, location: Location) {
    this.els = mountRuns(root);
    this.status = new StatusLine(this.els.status);
    this.socket = new ViewSocket(socketUrl(location, RUNS.path), RUNS, { message: (m) => this.receive(m), binary: () => {} }, this.status);
  }

  start(): void {
    this.socket.connect();
  }

  private receive(m: MessageOf<typeof MESSAGES>): void {
    switch (m.type) {
      case 'hello':
        if (this.hello) this.status.clearError();
        this.hello = m;
        this.els.retention.textContent = m.saving
          ? `Every Playground tab that closes saves its run here. The automatic saves keep only the newest ${m.keep} unstarred runs: older unstarred automatic saves are removed when a new one is saved. Star a run to keep it.`
          : 'This server saves no runs (start it with --runs FOLDER): only live runs are listed.';
        break;
      case 'runs':
        this.runs = m.runs;
        if (this.renaming === null) this.render();
        break;
      case 'error':
        this.status.error(m.message);
        break;
    }
  }

  private send(m: RunsClientMessage): void {
    this.status.clearError();
    this.socket.send(m);
  }

  private render(): void {
    const now = Date.now();
    this.els.empty.hidden = this.runs.length > 0;
    this.els.table.hidden = this.runs.length === 0;
    this.els.body.replaceChildren(...this.runs.map((run) => this.row(run, now)));
  }

  private row(run: RunRow, now: number): HTMLTableRowElement {
    const tr = document.createElement('tr');
    tr.dataset.run = run.name;
    tr.dataset.status = run.status;
    const cell = (text = '', className = '') => {
      const td = tr.insertCell();
      td.textContent = text;
      if (className) td.className = className;
      return td;
    };
    const starCell = cell();
    if (run.dir) starCell.append(this.starButton(run));
    const nameCell = cell('', 'run-name');
    if (run.name === this.renaming) nameCell.append(...this.renameEditor(run));
    else {
      const name = document.createElement('span');
      name.className = 'name';
      name.textContent = run.dir ? run.name : `${run.name} (a ${run.view ?? 'live'} tab)`;
      nameCell.append(name);
      for (const [text, className] of [[droppedText(run.dropped), 'dropped'], [run.warning ?? '', 'problem']]) {
        if (!text) continue;
        const note = document.createElement('small');
        note.className = className;
        note.textContent = text;
        nameCell.append(note);
      }
      if (run.problem) {
        const problem = document.createElement('small');
        problem.className = 'problem';
        problem.textContent = `cannot be read: ${run.problem}`;
        nameCell.append(problem);
      }
    }
    cell(sourceLabel(run.source), 'source');
    cell(run.status, `status status-${run.status}`);
    cell(run.step === null ? '' : String(run.step), 'step');
    cell(formatLoss(run.loss), 'loss');
    cell(formatWhen(run.when, now), 'when').title = new Date(run.when * 1000).toLocaleString();
    cell(formatBytes(run.bytes), 'size');
    const open = cell('', 'open');
    for (const link of runLinks(run)) {
      const a = document.createElement('a');
      a.href = link.href;
      a.textContent = link.label;
      open.append(a);
    }
    const actions = cell('', 'actions');
    if (run.dir && run.name !== this.renaming) actions.append(...this.actionButtons(run));
    return tr;
  }

  private button(label: string, className: string, onClick: () => void, title = ''): HTMLButtonElement {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = `text-button ${className}`;
    b.textContent = label;
    if (title) b.title = title;
    b.addEventListener('click', onClick);
    return b;
  }

  private starButton(run: RunRow): HTMLButtonElement {
    const b = this.button(run.starred ? '★' : '☆', 'star', () => this.send({ type: 'star', run: run.name, starred: !run.starred }),
      run.starred ? 'starred: kept whatever the retention; click to unstar' : 'star: keep this run');
    b.setAttribute('aria-pressed', String(run.starred));
    return b;
  }

  private actionButtons(run: RunRow): HTMLElement[] {
    if (run.name === this.confirming) {
      const ask = document.createElement('span');
      ask.className = 'confirm-text';
      ask.textContent = 'Delete for good?';
      return [
        ask,
        this.button('delete', 'confirm-delete', () => {
          this.confirming = null;
          this.send({ type: 'delete', run: run.name });
        }),
        this.button('cancel', 'cancel-delete', () => {
          this.confirming = null;
          this.render();
        }),
      ];
    }
    const live = run.status === 'live';
    const rename = this.button('rename', 'rename', () => {
      this.renaming = run.name;
      this.confirming = null;
      this.render();
      this.els.body.querySelector<HTMLInputElement>('.rename-input')?.select();
    });
    const del = this.button('delete', 'delete', () => {
      this.confirming = run.name;
      this.render();
    }, live ? 'a live run cannot be deleted until it finishes' : 'delete this run and its files');
    rename.disabled = del.disabled = live;
    return [rename, del];
  }

  private renameEditor(run: RunRow): HTMLElement[] {
    const input = document.createElement('input');
    input.className = 'rename-input';
    input.value = run.name;
    input.setAttribute('aria-label', `new name for ${run.name}`);
    const done = (to: string | null) => {
      this.renaming = null;
      if (to !== null && to !== run.name) this.send({ type: 'rename', run: run.name, to });
      this.render();
    };
    input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') done(input.value);
      else if (e.key === 'Escape') done(null);
    });
    return [input, this.button('save', 'save-name', () => done(input.value)), this.button('cancel', 'cancel-name', () => done(null))];
  }
}
