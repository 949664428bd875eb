// The Digits page's DOM: its markup, and a typed lookup of the elements the code drives (lib/dom).
// The ids here are what the browser tests read; change them together.

import { mount } from '../../lib/dom';

const DIGITS_HTML = `
  <div class="status-bar" id="status"><span id="model-info"></span><span id="progress"></span><a id="follow-lurk" hidden></a></div>
  <main class="digits">
    <section class="digits-left">
      <div class="pad-host" id="pad-host"></div>
      <div class="pad-controls">
        <button id="clear">clear</button>
        <label>brush <input id="brush-size" type="range" min="0.8" max="2.2" step="0.1" value="1.6" /></label>
        <label>strength <input id="brush-strength" type="range" min="0.2" max="1" step="0.05" value="0.9" /></label>
      </div>
      <div class="samples" id="samples"></div>
      <label class="upload">upload an image <input id="upload" type="file" accept="image/*" /></label>
      <div class="bars" id="bars"></div>
      <fieldset class="stage">
        <legend>training stage</legend>
        <input id="checkpoint" type="range" min="0" max="0" step="1" value="0" disabled />
        <span id="checkpoint-label">current weights</span>
      </fieldset>
      <fieldset class="train">
        <legend>train</legend>
        <select id="train-data"><option value="mnist">MNIST</option><option value="fashion-mnist">Fashion-MNIST</option></select>
        <select id="train-model"><option value="mlp">MLP 784-128-64-10</option><option value="cnn">CNN conv8-conv16-dense128</option></select>
        <button id="train">train</button><button id="load">load saved</button><button id="stop">stop</button>
        <label title="any .nlmodel or .onnx file of the server's models folder (serve --models) taking one 28 × 28 channel and answering ten classes">model file <select id="model-file"></select></label>
      </fieldset>
    </section>
    <section class="digits-right">
      <div class="scene-controls">
        <label>connections per unit <input id="top-n" type="number" min="0" max="20" value="3" /></label>
        <label>colour scale <select id="color-scale"><option value="layer">per layer</option><option value="global">whole network</option></select></label>
        <label>layout <select id="layout"><option value="3d">3D</option><option value="2d">2D flattened</option></select></label>
      </div>
      <div class="scene" id="scene"><div class="tooltip" id="tooltip" hidden></div></div>
      <div class="detail" id="detail"><p class="muted">Click a unit for its details.</p></div>
    </section>
  </main>`;

/** Writes the markup into root and returns its elements. */
export function mountDigits(root: HTMLElement) {
  const f = mount(root, DIGITS_HTML, 'digits');
  return {
    status: f('#status'),
    modelInfo: f('#model-info'),
    progress: f('#progress'),
    followLurk: f<HTMLAnchorElement>('#follow-lurk'),
    padHost: f('#pad-host'),
    clear: f<HTMLButtonElement>('#clear'),
    brushSize: f<HTMLInputElement>('#brush-size'),
    brushStrength: f<HTMLInputElement>('#brush-strength'),
    samples: f('#samples'),
    upload: f<HTMLInputElement>('#upload'),
    bars: f('#bars'),
    checkpoint: f<HTMLInputElement>('#checkpoint'),
    checkpointLabel: f('#checkpoint-label'),
    trainData: f<HTMLSelectElement>('#train-data'),
    trainModel: f<HTMLSelectElement>('#train-model'),
    train: f<HTMLButtonElement>('#train'),
    load: f<HTMLButtonElement>('#load'),
    stop: f<HTMLButtonElement>('#stop'),
    modelFile: f<HTMLSelectElement>('#model-file'),
    topN: f<HTMLInputElement>('#top-n'),
    colorScale: f<HTMLSelectElement>('#color-scale'),
    layout: f<HTMLSelectElement>('#layout'),
    scene: f('#scene'),
    tooltip: f('#tooltip'),
    detail: f('#detail'),
  };
}

export type DigitsElements = ReturnType<typeof mountDigits>;
