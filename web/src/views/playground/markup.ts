// The playground's DOM: its markup, and a typed lookup of the elements the code drives.
// The ids here are what the browser tests read; change them together.

export const PLAYGROUND_HTML = `
<div id="status" class="status-bar" role="status" aria-live="polite">
  <span class="status-connection"></span>
  <span class="status-error" hidden>
    <span class="status-error-text"></span>
    <button type="button" class="status-dismiss" aria-label="dismiss the message" title="dismiss">×</button>
  </span>
</div>
<main class="playground">
  <aside class="column controls">
    <h2>Run</h2>
    <div class="transport">
      <button type="button" id="reset" class="round-button small" title="Reset the network" aria-label="reset" disabled>
        <svg viewBox="0 0 24 24" aria-hidden="true"><path d="M12 5V2L7 6l5 4V7a5 5 0 1 1-5 5H5a7 7 0 1 0 7-7z"/></svg>
      </button>
      <button type="button" id="play" class="round-button" aria-pressed="false" title="Run / pause" disabled>
        <svg class="icon-play" viewBox="0 0 24 24" aria-hidden="true"><path d="M8 5v14l11-7z"/></svg>
        <svg class="icon-pause" viewBox="0 0 24 24" aria-hidden="true"><path d="M6 5h4v14H6zM14 5h4v14h-4z"/></svg>
        <span class="play-label">Play</span>
      </button>
      <button type="button" id="step" class="round-button small" title="Train one epoch" aria-label="step" disabled>
        <svg viewBox="0 0 24 24" aria-hidden="true"><path d="M6 5v14l9-7zM16 5h3v14h-3z"/></svg>
      </button>
    </div>
    <div class="epoch-box">
      <span class="epoch-label">Epoch</span>
      <span id="epoch" class="epoch-value">0</span>
    </div>
    <details class="spec">
      <summary>Run spec</summary>
      <pre id="spec-json"></pre>
    </details>
  </aside>
  <section class="column output">
    <h2>Output</h2>
    <dl class="metrics">
      <div><dt>Test loss</dt><dd id="test-loss">–</dd></div>
      <div><dt>Training loss</dt><dd id="train-loss">–</dd></div>
      <div class="accuracy" hidden><dt>Test accuracy</dt><dd id="test-accuracy"></dd></div>
      <div class="accuracy" hidden><dt>Training accuracy</dt><dd id="train-accuracy"></dd></div>
    </dl>
    <canvas id="heatmap" role="img" aria-label="network output over the input plane, with the data points"></canvas>
    <div class="scale-legend">
      <span>−1</span><span class="scale-bar"></span><span>1</span>
      <span class="scale-note">colours: output and labels; white rings: training points, dark rings: test points</span>
    </div>
    <svg id="loss-chart" role="img" aria-label="train and test loss over epochs"></svg>
  </section>
</main>
`;

export interface PlaygroundElements {
  status: HTMLElement;
  statusConnection: HTMLElement;
  statusError: HTMLElement;
  statusErrorText: HTMLElement;
  statusDismiss: HTMLButtonElement;
  play: HTMLButtonElement;
  playLabel: HTMLElement;
  step: HTMLButtonElement;
  reset: HTMLButtonElement;
  epoch: HTMLElement;
  trainLoss: HTMLElement;
  testLoss: HTMLElement;
  trainAccuracy: HTMLElement;
  testAccuracy: HTMLElement;
  accuracyRows: HTMLElement[];
  specJson: HTMLElement;
  heatmap: HTMLCanvasElement;
  lossChart: SVGSVGElement;
}

function find<T extends Element>(root: ParentNode, selector: string): T {
  const el = root.querySelector<T>(selector);
  if (!el) throw new Error(`playground markup: no element matches ${selector}`);
  return el;
}

/** Writes the markup into root and returns its elements. */
export function mountPlayground(root: HTMLElement): PlaygroundElements {
  root.innerHTML = PLAYGROUND_HTML;
  return {
    status: find(root, '#status'),
    statusConnection: find(root, '.status-connection'),
    statusError: find(root, '.status-error'),
    statusErrorText: find(root, '.status-error-text'),
    statusDismiss: find(root, '.status-dismiss'),
    play: find(root, '#play'),
    playLabel: find(root, '#play .play-label'),
    step: find(root, '#step'),
    reset: find(root, '#reset'),
    epoch: find(root, '#epoch'),
    trainLoss: find(root, '#train-loss'),
    testLoss: find(root, '#test-loss'),
    trainAccuracy: find(root, '#train-accuracy'),
    testAccuracy: find(root, '#test-accuracy'),
    accuracyRows: Array.from(root.querySelectorAll<HTMLElement>('.metrics .accuracy')),
    specJson: find(root, '#spec-json'),
    heatmap: find(root, '#heatmap'),
    lossChart: find(root, '#loss-chart'),
  };
}
