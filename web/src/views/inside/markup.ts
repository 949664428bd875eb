// The Inside page's DOM: its markup, and a typed lookup of the elements the code drives (lib/dom).
// The ids here are what the browser tests read; change them together.

import { mount } from '../../lib/dom';

const INSIDE_HTML = `
  <div class="inside-controls">
    <button id="play" title="space">play</button><button id="step">step</button><button id="reset">reset</button><button id="stop" title="q">stop</button>
    <label>data <select id="dataset"></select></label>
    <label class="noise">noise <input id="noise" type="number" min="0" max="50" step="5" /></label>
    <label>hidden <input id="hidden" size="6" title="units per hidden layer, e.g. 3 or 4,2" /></label>
    <label>activation <select id="activation"></select></label>
    <label>loss <select id="loss"></select></label>
    <label>rate <input id="learning_rate" type="number" min="0.001" max="10" step="0.05" /></label>
    <label>seed <input id="seed" type="number" min="0" step="1" /></label>
    <label>epochs <input id="epochs" type="number" min="1" step="1000" /></label>
    <label>refresh every <input id="refresh" type="number" min="1" step="50" /></label>
  </div>
  <div class="status-bar" id="status"><span id="run-state"></span><span id="figures"></span></div>
  <main class="inside">
    <section class="panel"><h3>Network <small id="sample"></small></h3><div id="architecture"></div></section>
    <section class="panel"><h3>Decision boundary <small>hover: that sample's nodes; click: keep it</small></h3><div id="boundary-host"><canvas id="boundary"></canvas></div></section>
    <section class="panel"><h3>Loss</h3><svg id="loss-chart"></svg><h3>Gradient norm per layer</h3><svg id="grad-chart"></svg></section>
    <section class="panel"><h3>Hidden space <small id="hidden-info"></small></h3>
      <div class="view-controls"><label>layer <select id="hidden-layer"></select></label>
      <label>PCA axes <select id="dims"><option value="2">2</option><option value="3" selected>3</option></select></label></div>
      <div id="hidden-2d"></div><div id="hidden-3d"></div><p class="muted" id="hidden-error"></p></section>
    <section class="panel"><h3>Loss surface <small id="surface-info"></small></h3>
      <div class="view-controls">
        <label>directions <select id="directions"><option value="random">2 random (filter-normalised)</option><option value="weights">2 weights</option></select></label>
        <label class="weights">w1 <select id="first"></select></label><label class="weights">w2 <select id="second"></select></label>
        <label>extent <input id="extent" type="range" min="0.1" max="5" step="0.1" value="1" /><span id="extent-value">1</span></label>
      </div>
      <div id="surface"></div></section>
  </main>`;

/** The spec's number boxes, named as the spec's keys. */
export const SPEC_INPUTS = ['noise', 'learning_rate', 'seed', 'epochs', 'refresh'] as const;

/** Writes the markup into root and returns its elements. */
export function mountInside(root: HTMLElement) {
  const f = mount(root, INSIDE_HTML, 'inside');
  return {
    root,
    play: f<HTMLButtonElement>('#play'),
    step: f<HTMLButtonElement>('#step'),
    reset: f<HTMLButtonElement>('#reset'),
    stop: f<HTMLButtonElement>('#stop'),
    dataset: f<HTMLSelectElement>('#dataset'),
    hidden: f<HTMLInputElement>('#hidden'),
    activation: f<HTMLSelectElement>('#activation'),
    loss: f<HTMLSelectElement>('#loss'),
    specInputs: Object.fromEntries(SPEC_INPUTS.map((key) => [key, f<HTMLInputElement>(`#${key}`)])) as Record<(typeof SPEC_INPUTS)[number], HTMLInputElement>,
    status: f('#status'),
    runState: f('#run-state'),
    figures: f('#figures'),
    sample: f('#sample'),
    architecture: f('#architecture'),
    boundary: f<HTMLCanvasElement>('#boundary'),
    lossChart: f<SVGSVGElement>('#loss-chart'),
    gradChart: f<SVGSVGElement>('#grad-chart'),
    hiddenInfo: f('#hidden-info'),
    hiddenLayer: f<HTMLSelectElement>('#hidden-layer'),
    dims: f<HTMLSelectElement>('#dims'),
    hidden2d: f('#hidden-2d'),
    hidden3d: f('#hidden-3d'),
    hiddenError: f('#hidden-error'),
    surfaceInfo: f('#surface-info'),
    directions: f<HTMLSelectElement>('#directions'),
    first: f<HTMLSelectElement>('#first'),
    second: f<HTMLSelectElement>('#second'),
    extent: f<HTMLInputElement>('#extent'),
    extentValue: f('#extent-value'),
    surface: f('#surface'),
  };
}

export type InsideElements = ReturnType<typeof mountInside>;
