// The playground's DOM: its markup, and a typed lookup of the elements the code drives (lib/dom).
// The ids here are what the browser tests read; change them together. Every control sits in
// an element with data-control="<name>", which classroom mode ("#<name>_hide=true") hides.

import { mount } from '../../lib/dom';

export const PLAYGROUND_HTML = `
<div id="status" class="status-bar"><span id="notice" class="status-notice"></span><span id="health" class="status-health" role="alert" hidden></span><span id="resume" class="status-resume" hidden><span id="resume-text"></span> <button type="button" id="resume-run" class="text-button">Continue it</button></span></div>
<div class="top-bar">
  <div class="transport" data-control="play">
    <button type="button" id="reset" class="round-button small" title="Reset the network to its initial weights" aria-label="reset" disabled>
      <svg viewBox="0 0 24 24" aria-hidden="true"><path d="M12 5V2L7 6l5 4V7a5 5 0 1 1-5 5H5a7 7 0 1 0 7-7z"/></svg>
    </button>
    <button type="button" id="play" class="round-button" aria-pressed="false" title="Run / pause (space)" disabled>
      <svg class="icon-play" viewBox="0 0 24 24" aria-hidden="true"><path d="M8 5v14l11-7z"/></svg>
      <svg class="icon-pause" viewBox="0 0 24 24" aria-hidden="true"><path d="M6 5h4v14H6zM14 5h4v14h-4z"/></svg>
      <span class="play-label">Play</span>
    </button>
    <button type="button" id="step" class="round-button small" title="Train one epoch" aria-label="step" disabled>
      <svg viewBox="0 0 24 24" aria-hidden="true"><path d="M6 5v14l9-7zM16 5h3v14h-3z"/></svg>
    </button>
  </div>
  <div class="epoch-box">
    <span class="field-label">Epoch</span>
    <span id="epoch" class="epoch-value">0</span>
  </div>
  <label class="field" data-control="learning_rate"><span class="field-label">Learning rate</span><select id="learning-rate"></select></label>
  <label class="field" data-control="activation"><span class="field-label">Activation</span><select id="activation"></select></label>
  <label class="field" data-control="regularization"><span class="field-label">Regularization</span><select id="regularization"></select></label>
  <label class="field" data-control="regularization_rate"><span class="field-label">Regularization rate</span><select id="regularization-rate"></select></label>
  <label class="field" data-control="problem"><span class="field-label">Problem type</span><select id="problem">
    <option value="classification">Classification</option><option value="regression">Regression</option></select></label>
  <label class="field" data-control="optimizer"><span class="field-label">Optimizer</span><select id="optimizer"></select></label>
  <label class="field" data-control="loss"><span class="field-label">Loss</span><select id="loss"></select></label>
  <label class="field" data-control="speed"><span class="field-label">Epochs per frame</span><select id="epochs-per-frame"></select></label>
  <div class="field" data-control="speed"><span class="field-label">Frames/s</span><span id="fps" class="fps">–</span></div>
  <div class="field" data-control="seed"><span class="field-label">Seed <span id="seed"></span></span>
    <button type="button" id="new-seed" class="text-button" title="New initial weights (the data stays)">New seed</button></div>
</div>
<main class="playground">
  <section class="column data">
    <h2>Data</h2>
    <div data-control="dataset">
      <p class="field-label">Which data set do you want to use?</p>
      <div id="datasets" class="dataset-grid"></div>
      <p id="uploaded" class="muted" hidden></p>
    </div>
    <details class="spec" data-control="spec">
      <summary>Run spec</summary>
      <pre id="spec-json"></pre>
    </details>
    <label class="slider" data-control="train_ratio"><span class="field-label">Ratio of training to test data: <b id="train-ratio-value"></b></span>
      <input id="train-ratio" type="range" min="10" max="90" step="10"></label>
    <label class="slider" data-control="noise"><span class="field-label">Noise: <b id="noise-value"></b></span>
      <input id="noise" type="range" min="0" max="50" step="5"></label>
    <label class="slider" data-control="batch_size"><span class="field-label">Batch size: <b id="batch-size-value"></b></span>
      <input id="batch-size" type="range" min="1" max="30" step="1"></label>
    <label class="slider" data-control="init"><span class="field-label">Initial weights</span>
      <select id="init" title="xavier: netlens's default; playground: TensorFlow Playground's uniform ±0.5 with biases 0.1; he: for ReLU"></select></label>
    <button type="button" id="regenerate" class="text-button" data-control="dataset" title="New points from the same distribution">Regenerate</button>
    <div class="upload" data-control="upload">
      <p class="field-label">Your own points: a CSV of x1,x2,label</p>
      <input id="upload-csv" type="file" accept=".csv,text/csv,text/plain">
      <button type="button" id="upload-rescale" class="text-button" hidden>Rescale it into −6..6 and upload</button>
    </div>
    <div class="add-points" data-control="add_points">
      <p class="field-label">Click on the output to add a point of class</p>
      <div id="click-classes"></div>
    </div>
  </section>
  <section class="column network">
    <h2>Features and hidden layers</h2>
    <div id="network"></div>
    <div id="wide"></div>
  </section>
  <section class="column output">
    <h2>Output</h2>
    <dl class="metrics">
      <div><dt>Test loss</dt><dd id="test-loss">–</dd></div>
      <div><dt>Training loss</dt><dd id="train-loss">–</dd></div>
      <div class="accuracy" hidden><dt>Test accuracy</dt><dd id="test-accuracy"></dd></div>
      <div class="accuracy" hidden><dt>Training accuracy</dt><dd id="train-accuracy"></dd></div>
    </dl>
    <svg id="loss-chart" role="img" aria-label="train and test loss over epochs"></svg>
    <p id="loss-note" class="muted small loss-note" hidden></p>
    <canvas id="heatmap" role="img" aria-label="network output over the input plane, with the data points"></canvas>
    <canvas id="timeline-map" role="img" aria-label="class-probability map at the scrubbed checkpoint" hidden></canvas>
    <div class="scale-legend">
      <span>−1</span><span class="scale-bar"></span><span>1</span>
      <span class="scale-note">colours: output and labels; white rings: training points, dark rings: test points</span>
      <span class="scale-note timeline-note" hidden></span>
    </div>
    <div id="timeline" class="timeline" data-control="timeline">
      <h3>Timeline</h3>
      <input id="timeline-scrubber" type="range" min="0" max="0" step="1" value="0" disabled aria-label="checkpoint">
      <div id="timeline-position" class="timeline-position"></div>
      <div class="timeline-controls">
        <button type="button" id="timeline-play" class="text-button" title="Play the checkpoints as an animation">Play</button>
        <button type="button" id="timeline-live" class="text-button" title="Back to the live run" disabled>Live</button>
        <label>Speed <select id="timeline-speed"></select></label>
        <label>Map <select id="timeline-mode"><option value="output">output, as live</option><option value="boundary">boundary</option><option value="region">region</option></select></label>
        <label>Between <select id="timeline-factor"></select></label>
        <select id="timeline-method" aria-label="interpolation method"><option value="cubic">cubic</option><option value="linear">linear</option><option value="geometric">geometric</option></select>
        <button type="button" id="timeline-gif" class="text-button" title="Download the timeline as an animated GIF">GIF</button>
      </div>
      <p id="timeline-why" class="muted small" hidden></p>
      <a id="timeline-gif-link" download="netlens-timeline.gif" hidden></a>
    </div>
    <div class="toggles">
      <label data-control="show_test"><input id="show-test" type="checkbox"> Show test data</label>
      <label data-control="discretize"><input id="discretize" type="checkbox"> Discretize output</label>
    </div>
    <table id="confusion" class="confusion" hidden>
      <caption>Confusion matrix (test set)</caption>
      <thead><tr></tr></thead>
      <tbody></tbody>
    </table>
    <div class="stop-rules" data-control="stop">
      <p class="field-label">Stop when</p>
      <label>epoch reaches <input id="stop-epoch" type="number" min="0" step="100" placeholder="never"></label>
      <label>test loss falls below <input id="stop-loss" type="number" min="0" step="0.01" placeholder="never"></label>
    </div>
    <div class="export" data-control="export">
      <button type="button" id="export" class="text-button">Export</button>
      <label class="text-button file-button">Import<input id="import" type="file" accept=".json,application/json"></label>
      <div id="export-panel" hidden>
        <a id="export-json" download="netlens-model.json">Download the model (JSON)</a>
        <p class="field-label">PyTorch, equivalent:</p>
        <button type="button" id="copy-pytorch" class="text-button">Copy</button>
        <pre id="export-pytorch"></pre>
      </div>
    </div>
  </section>
</main>
`;

/** Writes the markup into root and returns its elements. */
export function mountPlayground(root: HTMLElement) {
  const f = mount(root, PLAYGROUND_HTML, 'playground');
  return {
    root,
    status: f<HTMLElement>('#status'),
    notice: f<HTMLElement>('#notice'),
    health: f<HTMLElement>('#health'),
    resume: f<HTMLElement>('#resume'),
    resumeText: f<HTMLElement>('#resume-text'),
    resumeRun: f<HTMLButtonElement>('#resume-run'),
    play: f<HTMLButtonElement>('#play'),
    playLabel: f<HTMLElement>('#play .play-label'),
    step: f<HTMLButtonElement>('#step'),
    reset: f<HTMLButtonElement>('#reset'),
    epoch: f<HTMLElement>('#epoch'),
    learningRate: f<HTMLSelectElement>('#learning-rate'),
    activation: f<HTMLSelectElement>('#activation'),
    regularization: f<HTMLSelectElement>('#regularization'),
    regularizationRate: f<HTMLSelectElement>('#regularization-rate'),
    problem: f<HTMLSelectElement>('#problem'),
    optimizer: f<HTMLSelectElement>('#optimizer'),
    loss: f<HTMLSelectElement>('#loss'),
    init: f<HTMLSelectElement>('#init'),
    epochsPerFrame: f<HTMLSelectElement>('#epochs-per-frame'),
    fps: f<HTMLElement>('#fps'),
    seed: f<HTMLElement>('#seed'),
    newSeed: f<HTMLButtonElement>('#new-seed'),
    datasets: f<HTMLElement>('#datasets'),
    uploaded: f<HTMLElement>('#uploaded'),
    specJson: f<HTMLElement>('#spec-json'),
    trainRatio: f<HTMLInputElement>('#train-ratio'),
    trainRatioValue: f<HTMLElement>('#train-ratio-value'),
    noise: f<HTMLInputElement>('#noise'),
    noiseValue: f<HTMLElement>('#noise-value'),
    batchSize: f<HTMLInputElement>('#batch-size'),
    batchSizeValue: f<HTMLElement>('#batch-size-value'),
    regenerate: f<HTMLButtonElement>('#regenerate'),
    uploadCsv: f<HTMLInputElement>('#upload-csv'),
    clickClasses: f<HTMLElement>('#click-classes'),
    uploadRescale: f<HTMLButtonElement>('#upload-rescale'),
    network: f<HTMLElement>('#network'),
    wide: f<HTMLElement>('#wide'),
    trainLoss: f<HTMLElement>('#train-loss'),
    testLoss: f<HTMLElement>('#test-loss'),
    trainAccuracy: f<HTMLElement>('#train-accuracy'),
    testAccuracy: f<HTMLElement>('#test-accuracy'),
    accuracyRows: Array.from(root.querySelectorAll<HTMLElement>('.metrics .accuracy')),
    lossChart: f<SVGSVGElement>('#loss-chart'),
    lossNote: f<HTMLElement>('#loss-note'),
    heatmap: f<HTMLCanvasElement>('#heatmap'),
    scaleLegend: f<HTMLElement>('.scale-legend'),
    timelineNote: f<HTMLElement>('.timeline-note'),
    timelineMap: f<HTMLCanvasElement>('#timeline-map'),
    timelineScrubber: f<HTMLInputElement>('#timeline-scrubber'),
    timelinePosition: f<HTMLElement>('#timeline-position'),
    timelinePlay: f<HTMLButtonElement>('#timeline-play'),
    timelineLive: f<HTMLButtonElement>('#timeline-live'),
    timelineSpeed: f<HTMLSelectElement>('#timeline-speed'),
    timelineMode: f<HTMLSelectElement>('#timeline-mode'),
    timelineFactor: f<HTMLSelectElement>('#timeline-factor'),
    timelineMethod: f<HTMLSelectElement>('#timeline-method'),
    timelineGif: f<HTMLButtonElement>('#timeline-gif'),
    timelineGifLink: f<HTMLAnchorElement>('#timeline-gif-link'),
    timelineWhy: f<HTMLElement>('#timeline-why'),
    showTest: f<HTMLInputElement>('#show-test'),
    discretize: f<HTMLInputElement>('#discretize'),
    confusion: f<HTMLTableElement>('#confusion'),
    stopEpoch: f<HTMLInputElement>('#stop-epoch'),
    stopLoss: f<HTMLInputElement>('#stop-loss'),
    exportButton: f<HTMLButtonElement>('#export'),
    importFile: f<HTMLInputElement>('#import'),
    exportPanel: f<HTMLElement>('#export-panel'),
    exportJson: f<HTMLAnchorElement>('#export-json'),
    exportPytorch: f<HTMLElement>('#export-pytorch'),
    copyPytorch: f<HTMLButtonElement>('#copy-pytorch'),
  };
}

export type PlaygroundElements = ReturnType<typeof mountPlayground>;

/** Classroom mode: hides every element whose data-control is in `hidden`. */
export function hideControls(root: ParentNode, hidden: Set<string>): void {
  for (const el of Array.from(root.querySelectorAll<HTMLElement>('[data-control]'))) {
    el.hidden = hidden.has(el.dataset.control ?? '');
  }
}
