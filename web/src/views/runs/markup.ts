// The Runs page's DOM: its markup, and a typed lookup of the elements the code drives (lib/dom).
// The ids and classes here are what the browser tests read; change them together.

import { mount } from '../../lib/dom';

const RUNS_HTML = `
  <div class="status-bar" id="status"></div>
  <main class="runs">
    <p class="muted" id="retention"></p>
    <p id="empty" hidden>No runs yet. A Playground run is saved here when its tab closes; <code>netlens train --spec FILE --run-dir DIR</code> records one into any folder.</p>
    <table class="runs-table" id="runs-table">
      <thead><tr>
        <th title="starred runs are never removed automatically">★</th><th>Name</th><th>Source</th><th>Status</th>
        <th title="epochs for netlens's runs, steps for ingested ones">Epoch / step</th><th>Last loss</th><th>When</th><th>Size</th><th>Open in</th><th></th>
      </tr></thead>
      <tbody id="runs-body"></tbody>
    </table>
  </main>`;

/** Writes the markup into root and returns its elements. */
export function mountRuns(root: HTMLElement) {
  const f = mount(root, RUNS_HTML, 'runs');
  return {
    root,
    status: f('#status'),
    retention: f('#retention'),
    empty: f('#empty'),
    table: f<HTMLTableElement>('#runs-table'),
    body: f<HTMLTableSectionElement>('#runs-body'),
  };
}
export type RunsElements = ReturnType<typeof mountRuns>;
