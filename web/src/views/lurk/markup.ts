// The Lurk page's DOM: its markup, and a typed lookup of the elements the code drives (lib/dom).
// The ids here are what the browser tests read; change them together.

import { mount } from '../../lib/dom';

const LURK_HTML = `
  <div class="status-bar" id="status"><span id="model-info"></span><span id="pass-progress"></span></div>
  <main class="lurk">
    <section class="lurk-network">
      <div class="lurk-toolbar">
        <label>model <select id="model"></select></label>
        <label class="file-button" title="a .nlmodel or .onnx file of an image network, up to 32 MiB: checked by the server, saved in its models folder as uploaded-NAME, then opened">upload a model…<input id="model-file" type="file" accept=".nlmodel,.onnx" /></label>
        <span id="upload-info" class="muted"></span>
        <label>sort units by <select id="sort">
          <option value="index">index</option><option value="mean">mean activation</option>
          <option value="selectivity">selectivity</option><option value="class">preferred class</option>
        </select></label>
        <label>colour scale <select id="scale" title="the ends of the weights' and the maps' diverging scale">
          <option value="unit">local to the unit</option><option value="layer">the layer's</option><option value="global">global</option>
        </select></label>
        <span class="muted">← → units · PageUp/PageDown layers</span>
      </div>
      <div class="lurk-toolbar">
        <select id="train-data"><option value="mnist">MNIST</option><option value="fashion-mnist">Fashion-MNIST</option></select>
        <select id="train-model"><option value="cnn">CNN</option><option value="mlp">MLP</option></select>
        <button id="train">train it here</button><button id="stop">stop</button>
        <span id="training" class="muted"></span>
      </div>
      <label class="lurk-stage">training stage
        <input id="checkpoint" type="range" min="0" max="0" step="1" value="0" disabled />
        <span id="checkpoint-label">no checkpoints saved with this model</span>
      </label>
      <ol class="strip" id="strip"></ol>
      <div class="lurk-toolbar"><button id="dream-layer">dream every unit of this layer</button><span id="dream-layer-progress" class="muted"></span></div>
      <div class="unit-grid" id="grid" tabindex="0"></div>
    </section>
    <section class="unit-panel" id="unit-panel"><p class="muted">The units' top images appear once the dataset pass is done.</p></section>
    <section class="why" id="why">
      <h2>Why this answer</h2>
      <div class="why-input">
        <div>
          <div id="pad-host"></div>
          <div class="why-controls"><button id="clear">clear</button><label class="file-button" title="a PNG or JPEG: prepared as a drawing is (its ink's box scaled to 20 px and centred by mass in 28 × 28; dark ink on paper is inverted)">upload an image…<input id="image-file" type="file" accept="image/png,image/jpeg" /></label></div>
          <div id="input-info" class="muted">draw a digit</div>
          <div class="samples" id="samples"></div>
        </div>
        <div class="why-map">
          <div class="why-map-main">
            <canvas id="why-map" class="map-large" width="14" height="14"></canvas>
            <div class="why-readout" id="why-readout"></div>
            <button id="sanity-button" aria-pressed="false" title="the map again as the weights are re-drawn at random, layer by layer from the top (Adebayo et al. 2018); on, it follows every new map">sanity check: randomise the weights</button>
          </div>
          <div class="sanity" id="sanity"></div>
        </div>
        <div class="why-settings">
          <label>method <select id="method"></select></label>
          <label title="The default is the deepest conv layer whose map is at least 10×10: on these small nets the last conv map (7×7) is too coarse, and its CAM lands beside a thin stroke">CAM layer <select id="cam-layer"></select></label>
          <span class="muted cam-note" id="cam-note">default: the deepest conv map of at least 10×10 px, not the coarse last one</span>
          <label>target class <select id="target"></select></label>
          <label>overlay opacity <input id="opacity" type="range" min="0" max="1" step="0.05" value="0.6" /></label>
          <div class="bars" id="bars"></div>
          <div id="softmax-steps"></div>
        </div>
      </div>
      <div class="class-maps" id="class-maps"></div>
    </section>
  </main>`;

export function mountLurk(root: HTMLElement) {
  const f = mount(root, LURK_HTML, 'lurk');
  return {
    status: f('#status'),
    modelInfo: f('#model-info'),
    passProgress: f('#pass-progress'),
    model: f<HTMLSelectElement>('#model'),
    modelFile: f<HTMLInputElement>('#model-file'),
    uploadInfo: f('#upload-info'),
    imageFile: f<HTMLInputElement>('#image-file'),
    sort: f<HTMLSelectElement>('#sort'),
    scale: f<HTMLSelectElement>('#scale'),
    trainData: f<HTMLSelectElement>('#train-data'),
    trainModel: f<HTMLSelectElement>('#train-model'),
    train: f<HTMLButtonElement>('#train'),
    stop: f<HTMLButtonElement>('#stop'),
    training: f('#training'),
    checkpoint: f<HTMLInputElement>('#checkpoint'),
    checkpointLabel: f('#checkpoint-label'),
    strip: f('#strip'),
    dreamLayer: f<HTMLButtonElement>('#dream-layer'),
    dreamLayerProgress: f('#dream-layer-progress'),
    grid: f('#grid'),
    unitPanel: f('#unit-panel'),
    padHost: f('#pad-host'),
    clear: f<HTMLButtonElement>('#clear'),
    inputInfo: f('#input-info'),
    samples: f('#samples'),
    whyMap: f<HTMLCanvasElement>('#why-map'),
    whyReadout: f('#why-readout'),
    sanityButton: f<HTMLButtonElement>('#sanity-button'),
    sanity: f('#sanity'),
    method: f<HTMLSelectElement>('#method'),
    camLayer: f<HTMLSelectElement>('#cam-layer'),
    camNote: f('#cam-note'),
    target: f<HTMLSelectElement>('#target'),
    opacity: f<HTMLInputElement>('#opacity'),
    bars: f('#bars'),
    softmaxSteps: f('#softmax-steps'),
    classMaps: f('#class-maps'),
  };
}

export type LurkElements = ReturnType<typeof mountLurk>;
