// The Digits view: a drawing pad, buttons for test images of each class, image upload, live
// class probabilities, the network in 3D (or flattened to 2D) with the drawing flowing through
// it, a hover readout and a detail panel, and training from the page with its progress.

import { DigitsConnection } from './connection';
import { DrawingPad } from './pad';
import { fileToGray, valueImage } from './images';
import { parseTensorFrame, type DigitsClientMessage, type DigitsServerMessage, type StageInfo, type Tensor } from './protocol';
import { NetworkScene, type PickedUnit } from './scene';
import { PAD_SIZE } from './brush';
import { checkpointIndex, checkpointLabel, type CheckpointInfo } from './checkpoints';

const MARKUP = `
  <div class="status-bar"><span id="status">connecting…</span><span id="model-info"></span><span id="progress"></span></div>
  <main class="digits">
    <section class="digits-left">
      <div class="pad-host" id="pad-host"></div>
      <div class="pad-controls">
        <button id="clear">clear</button>
        <label>brush <input id="brush-size" type="range" min="0.8" max="3" step="0.1" value="1.6" /></label>
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

export class DigitsView {
  private connection: DigitsConnection;
  private pad!: DrawingPad;
  private scene!: NetworkScene;
  private stages: StageInfo[] = [];
  private classes: string[] = [];
  private probabilities: number[] = [];
  private checkpoints: CheckpointInfo[] = [];

  constructor(
    private readonly root: HTMLElement,
    url: string,
  ) {
    this.connection = new DigitsConnection(url, {
      onMessage: (m) => this.onMessage(m),
      onBinary: (b) => this.onBinary(b),
      onState: (open) => {
        this.text('status', open ? 'connected' : 'disconnected, retrying…');
        if (open && this.pad.values.some((v) => v > 0)) this.sendDrawing(this.pad.values);
      },
    });
  }

  start(): void {
    this.root.innerHTML = MARKUP;
    this.pad = new DrawingPad(this.byId('pad-host'));
    this.pad.onChange = (values) => this.sendDrawing(values);
    this.scene = new NetworkScene(this.byId('scene'), { topN: 3, colorScale: 'layer', layout: '3d' });
    this.scene.onHover = (unit, e) => this.hover(unit, e);
    this.scene.onPick = (unit) => this.detail(unit);
    this.wireControls();
    this.connection.connect();
  }

  private wireControls(): void {
    this.byId('clear').addEventListener('click', () => this.pad.clear());
    this.input('brush-size').addEventListener('input', (e) => (this.pad.brush.radius = Number((e.target as HTMLInputElement).value)));
    this.input('brush-strength').addEventListener('input', (e) => (this.pad.brush.strength = Number((e.target as HTMLInputElement).value)));
    const samples = this.byId('samples');
    for (let label = 0; label < 10; label++) {
      const b = document.createElement('button');
      b.textContent = String(label);
      b.dataset.label = String(label);
      b.title = `a random test image of class ${label}`;
      b.addEventListener('click', () => this.send({ type: 'sample', label }));
      samples.appendChild(b);
    }
    this.input('upload').addEventListener('change', async (e) => {
      const file = (e.target as HTMLInputElement).files?.[0];
      if (!file) return;
      const gray = await fileToGray(file);
      this.send({ type: 'infer', ...gray });
    });
    const choice = () => ({
      data: (this.byId('train-data') as HTMLSelectElement).value as 'mnist' | 'fashion-mnist',
      model: (this.byId('train-model') as HTMLSelectElement).value as 'mlp' | 'cnn',
    });
    this.byId('train').addEventListener('click', () => this.send({ type: 'train', ...choice() }));
    this.byId('load').addEventListener('click', () => this.send({ type: 'load', ...choice() }));
    this.byId('stop').addEventListener('click', () => this.send({ type: 'stop' }));
    this.input('checkpoint').addEventListener('input', (e) => {
      const position = Number((e.target as HTMLInputElement).value);
      this.text('checkpoint-label', checkpointLabel(this.checkpoints, position));
      this.send({ type: 'checkpoint', index: checkpointIndex(position, this.checkpoints.length) });
    });
    this.input('top-n').addEventListener('change', (e) => this.scene.setOptions({ topN: Number((e.target as HTMLInputElement).value) }));
    this.byId('color-scale').addEventListener('change', (e) =>
      this.scene.setOptions({ colorScale: (e.target as HTMLSelectElement).value as 'layer' | 'global' }),
    );
    this.byId('layout').addEventListener('change', (e) => this.scene.setOptions({ layout: (e.target as HTMLSelectElement).value as '3d' | '2d' }));
  }

  private sendDrawing(values: Float32Array): void {
    this.send({ type: 'infer', width: PAD_SIZE, height: PAD_SIZE, pixels: Array.from(values, (v) => Math.round(v * 1000) / 1000) });
  }

  private send(m: DigitsClientMessage): void {
    this.connection.send(m);
  }

  private onMessage(m: DigitsServerMessage): void {
    switch (m.type) {
      case 'hello':
        break;
      case 'model':
        // Sent again while training (with fresh weights): rebuild the scene only for a new network.
        if (JSON.stringify(m.stages) !== JSON.stringify(this.stages)) this.scene.setStages(m.stages);
        this.stages = m.stages;
        this.classes = m.classes;
        this.text(
          'model-info',
          `${m.data} ${m.model}` + (m.trained ? `, test accuracy ${(100 * m.trained.test_accuracy).toFixed(2)} %` : ' (training)'),
        );
        this.renderBars();
        break;
      case 'progress': {
        const p = this.byId('progress');
        if (m.phase === 'loading') p.textContent = `loading ${m.data}…`;
        else if (m.phase === 'done') p.textContent = `trained: test accuracy ${(100 * (m.test_accuracy ?? 0)).toFixed(2)} %`;
        else {
          const val = m.validation_loss !== undefined
            ? `, validation loss ${m.validation_loss.toFixed(4)}, accuracy ${(100 * (m.validation_accuracy ?? 0)).toFixed(2)} %`
            : '';
          p.textContent = `training ${m.model} on ${m.data}: epoch ${(m.epoch ?? 0) + 1}/${m.epochs}, step ${m.step}/${m.steps}${val}`;
        }
        p.dataset.phase = m.phase;
        break;
      }
      case 'prediction':
        this.probabilities = m.probabilities;
        this.renderBars();
        break;
      case 'sample':
        this.pad.load(m.pixels);
        break;
      case 'checkpoints':
        this.showCheckpoints(m.list, m.shown);
        break;
      case 'error':
        this.text('status', `error: ${m.message}`);
        break;
    }
  }

  /** The scrubber over a new list; a slider resting on the current weights stays there. */
  private showCheckpoints(list: CheckpointInfo[], shown: number): void {
    this.checkpoints = list;
    const slider = this.input('checkpoint');
    slider.max = String(list.length);
    slider.disabled = list.length === 0;
    slider.value = String(shown < 0 ? list.length : shown);
    this.text('checkpoint-label', checkpointLabel(list, Number(slider.value)));
  }

  private onBinary(buffer: ArrayBuffer): void {
    const frame = parseTensorFrame(buffer);
    if (frame.magic === 'NLDA') this.scene.setValues(frame.tensors.slice(1)); // [0] is the prepared 28 × 28 image
    else if (frame.magic === 'NLDW') this.scene.setWeights(frame.tensors);
  }

  private renderBars(): void {
    const bars = this.byId('bars');
    const order = this.probabilities.map((p, i) => [p, i] as const);
    const top = order.length ? order.reduce((a, b) => (b[0] > a[0] ? b : a))[1] : -1;
    bars.innerHTML = '';
    bars.dataset.top = top >= 0 ? String(top) : '';
    this.probabilities.forEach((p, i) => {
      const row = document.createElement('div');
      row.className = 'bar' + (i === top ? ' top' : '');
      row.dataset.class = String(i);
      row.dataset.probability = p.toFixed(4);
      row.innerHTML = `<span class="bar-label"></span><span class="bar-fill" style="width:${(100 * p).toFixed(1)}%"></span><span class="bar-value">${(100 * p).toFixed(1)} %</span>`;
      row.querySelector('.bar-label')!.textContent = this.classes[i] ?? String(i);
      bars.appendChild(row);
    });
  }

  /** Value and strongest weighted inputs of a unit, near the pointer. */
  private hover(unit: PickedUnit | null, e: MouseEvent): void {
    const tip = this.byId('tooltip');
    if (!unit) {
      tip.hidden = true;
      return;
    }
    const values = this.scene.stageValues();
    const v = values[unit.stage]?.values[unit.unit];
    const lines = [`${this.stages[unit.stage].name} · unit ${this.unitName(unit)}: ${v?.toFixed(4) ?? '–'}`];
    for (const [from, w, a] of this.weightedInputs(unit).slice(0, 5))
      lines.push(`  from ${from}: w ${w.toFixed(3)} × a ${a.toFixed(3)} = ${(w * a).toFixed(3)}`);
    tip.textContent = lines.join('\n');
    tip.hidden = false;
    const rect = this.byId('scene').getBoundingClientRect();
    tip.style.left = `${e.clientX - rect.left + 12}px`;
    tip.style.top = `${e.clientY - rect.top + 12}px`;
  }

  private unitName(unit: PickedUnit): string {
    const shape = this.stages[unit.stage].shape;
    if (shape.length !== 3) return String(unit.unit);
    const per = shape[1] * shape[2];
    return `channel ${Math.floor(unit.unit / per)}, (${Math.floor((unit.unit % per) / shape[2])}, ${unit.unit % shape[2]})`;
  }

  /** [source unit, weight, source activation] of a dense unit's inputs, strongest first. */
  private weightedInputs(unit: PickedUnit): [number, number, number][] {
    const w = this.scene.stageWeights()[unit.stage];
    const source = this.scene.stageValues()[unit.stage - 1];
    if (!w || w.shape.length !== 2 || !source) return [];
    const [inputs, outputs] = w.shape;
    const list: [number, number, number][] = [];
    for (let i = 0; i < inputs; i++) list.push([i, w.values[i * outputs + unit.unit], source.values[i]]);
    return list.sort((a, b) => Math.abs(b[1] * b[2]) - Math.abs(a[1] * a[2]));
  }

  /** The detail panel: a dense unit's weights (as an image when its inputs are an image), a conv unit's kernel and input patch. */
  private detail(unit: PickedUnit): void {
    const panel = this.byId('detail');
    panel.innerHTML = '';
    const stage = this.stages[unit.stage];
    const values = this.scene.stageValues();
    const title = document.createElement('h3');
    title.textContent = `${stage.name} · unit ${this.unitName(unit)} = ${values[unit.stage]?.values[unit.unit]?.toFixed(4) ?? '–'}`;
    panel.appendChild(title);
    const w: Tensor | undefined = this.scene.stageWeights()[unit.stage];
    const prev = this.stages[unit.stage - 1];
    const caption = (text: string, canvas: HTMLCanvasElement) => {
      const figure = document.createElement('figure');
      const cap = document.createElement('figcaption');
      cap.textContent = text;
      figure.append(canvas, cap);
      panel.appendChild(figure);
    };
    if (w && w.shape.length === 2 && prev) {
      const [inputs, outputs] = w.shape;
      const column = new Float32Array(inputs);
      for (let i = 0; i < inputs; i++) column[i] = w.values[i * outputs + unit.unit];
      const side = prev.shape.length === 3 && prev.shape[0] === 1 ? prev.shape[2] : 0;
      if (side) caption(`its ${inputs} incoming weights as a ${side}×${side} image`, valueImage(column, side, side, 6));
      else caption(`its ${inputs} incoming weights`, valueImage(column, Math.ceil(Math.sqrt(inputs)), Math.ceil(inputs / Math.ceil(Math.sqrt(inputs))), 8));
    } else if (w && w.shape.length === 4 && prev) {
      const [, channels, f] = w.shape;
      const per = stage.shape[1] * stage.shape[2];
      const k = Math.floor(unit.unit / per);
      const kernel = w.values.slice(k * channels * f * f, (k + 1) * channels * f * f);
      for (let c = 0; c < Math.min(channels, 16); c++)
        caption(`kernel ${k}, input channel ${c}`, valueImage(kernel.slice(c * f * f, (c + 1) * f * f), f, f, 14));
      const y = Math.floor((unit.unit % per) / stage.shape[2]);
      const x = unit.unit % stage.shape[2];
      const src = values[unit.stage - 1];
      const [, ph, pw] = prev.shape;
      const pad = Math.floor((f - 1) / 2); // the view's CNN pads to keep the size ("same")
      const stride = Math.max(1, Math.round(ph / stage.shape[1]));
      for (let c = 0; c < Math.min(channels, 16); c++) {
        const patch = new Float32Array(f * f);
        for (let dy = 0; dy < f; dy++)
          for (let dx = 0; dx < f; dx++) {
            const sy = y * stride + dy - pad;
            const sx = x * stride + dx - pad;
            patch[dy * f + dx] = src && sy >= 0 && sx >= 0 && sy < ph && sx < pw ? src.values[(c * ph + sy) * pw + sx] : 0;
          }
        caption(`the input patch it sees, channel ${c}`, valueImage(patch, f, f, 14, prev.kind === 'input'));
      }
    }
  }

  private byId(id: string): HTMLElement {
    const el = this.root.querySelector<HTMLElement>(`#${id}`);
    if (!el) throw new Error(`digits view: no #${id}`);
    return el;
  }

  private input(id: string): HTMLInputElement {
    return this.byId(id) as HTMLInputElement;
  }

  private text(id: string, s: string): void {
    this.byId(id).textContent = s;
  }
}
