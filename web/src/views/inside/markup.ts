// The Inside page's DOM: its markup, and a typed lookup of the elements the code drives (lib/dom).
// The ids here are what the browser tests read; change them together.

import { mount } from '../../lib/dom';

const INSIDE_HTML = `
  <div class="inside-controls">
    <button id="play" title="space">play</button><button id="step" title="train one refresh">step</button><button id="reset" title="the same run from epoch 0">reset</button><button id="stop" title="q: end the run here">stop</button>
    <label title="the 2D data set the network learns">Data set <select id="dataset"></select></label>
    <label class="noise" title="how far points stray from their class's shape">Noise (%) <input id="noise" type="number" min="0" max="50" step="5" /></label>
    <label title="units of each hidden layer, comma-separated: 3, or 4,2 (1 to 4 layers of 1 to 64 units)">Hidden layers <input id="hidden" size="8" /></label>
    <label>Activation <select id="activation"></select></label>
    <label title="what gradient descent minimises">Loss <select id="loss"></select></label>
    <label title="the step of full-batch gradient descent (0.000001 to 10)">Learning rate <input id="learning_rate" type="number" min="0.000001" max="10" step="0.05" /></label>
    <label title="the initial weights (0 to 4294967295)">Seed <input id="seed" type="number" min="0" max="4294967295" step="1" /></label>
    <label title="epochs of the whole run (1 to 1000000)">Epochs <input id="epochs" type="number" min="1" max="1000000" step="1000" /></label>
    <label title="epochs trained between two pictures">Refresh every <input id="refresh" type="number" min="1" step="50" /> epochs</label>
  </div>
  <div class="status-bar" id="status"><span id="run-state"></span><span id="figures"></span><span id="notice"></span></div>
  <main class="inside">
    <div class="inside-row">
    <section class="panel" id="network-panel"><h3>Network <small id="sample"></small></h3><p class="muted legend">z: the unit's input, a: its activation, b: its bias; links: width |w|, colour the sign</p><div id="architecture"></div></section>
    <section class="panel" id="boundary-panel"><h3>Decision boundary</h3><p class="muted legend">hover: that sample's nodes; click: keep it</p><div id="boundary-host"><canvas id="boundary"></canvas><div id="pin" class="pin-marker" hidden></div></div></section>
    <section class="panel charts"><div><h3>Loss</h3><svg id="loss-chart"></svg></div><div><h3>Gradient norm per layer</h3><svg id="grad-chart"></svg></div></section>
    </div>
    <div class="inside-row">
    <section class="panel" id="hidden-panel"><h3>Hidden space <small id="hidden-info"></small></h3>
      <div class="view-controls"><label title="the hidden layer whose activations place the points">Layer <select id="hidden-layer"></select></label>
      <label title="a layer of more than 3 units is projected on its first principal axes">PCA axes <select id="dims"><option value="2">2</option><option value="3" selected>3</option></select></label></div>
      <div id="hidden-2d" class="plot-host"></div><div id="hidden-3d" class="plot-host"></div><p class="muted" id="hidden-error"></p></section>
    <section class="panel" id="surface-panel"><h3>Loss surface <small id="surface-info"></small></h3>
      <div class="view-controls">
        <label title="the two directions in weight space the surface spans">Directions <select id="directions"><option value="random">2 random (filter-normalised)</option><option value="weights">2 weights</option></select></label>
        <label class="weights">α: <select id="first"></select></label><label class="weights">β: <select id="second"></select></label>
        <label title="how far the surface reaches from the current weights, in direction lengths">Extent ± <input id="extent" type="range" min="0.1" max="5" step="0.1" value="1" /><span id="extent-value">1</span></label>
      </div>
      <div id="surface" class="plot-host"></div></section>
    </div>
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
    notice: f('#notice'),
    pin: f('#pin'),
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
