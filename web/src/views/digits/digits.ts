// The Digits view: a drawing pad, buttons for test images of each class, image upload, live
// class probabilities, the network in 3D (or flattened to 2D) with the drawing flowing through
// it, a hover readout and a detail panel, and training from the page with its progress.

import { fillSelect, showTooltip } from '../../lib/dom';
import { imageFileToGrey } from '../../lib/imageFile';
import { socketUrl, ViewSocket } from '../../lib/socket';
import { StatusLine } from '../../lib/statusLine';
import type { MessageOf, Tensor, TensorFrame } from '../../lib/wire';
import { PAD_SIZE } from './brush';
import { checkpointIndex, checkpointLabel } from './checkpoints';
import { valueImage } from './images';
import { mountDigits, type DigitsElements } from './markup';
import { progressText } from './progress';
import { DIGITS, type CheckpointInfo, type DigitsClientMessage, type MESSAGES, type StageInfo } from './messages';
import { DrawingPad } from './pad';
import { NetworkScene, type PickedUnit } from './scene';

/** The largest side of an uploaded image sent to infer: the server scales it to 28 × 28. */
const UPLOAD_SIDE = 112;

/** The run the address names ("#run=NAME"), or null. */
function runInHash(hash: string): string | null {
  return new URLSearchParams(hash.replace(/^#/, '')).get('run') || null;
}

export class DigitsView {
  private readonly els: DigitsElements;
  private readonly status: StatusLine;
  private readonly socket: ViewSocket<typeof MESSAGES, TensorFrame, DigitsClientMessage>;
  private readonly pad: DrawingPad;
  private readonly scene: NetworkScene;
  private stages: StageInfo[] = [];
  private classes: string[] = [];
  private probabilities: number[] = [];
  private checkpoints: CheckpointInfo[] = [];
  /** An upload is on its way: its prepared image goes onto the pad. */
  private showPrepared = false;

  constructor(
    root: HTMLElement,
    private readonly location: Location,
  ) {
    this.els = mountDigits(root);
    this.status = new StatusLine(this.els.status);
    this.socket = new ViewSocket(
      socketUrl(location, DIGITS.path),
      DIGITS,
      { message: (m) => this.onMessage(m), binary: (b) => this.onBinary(b) },
      this.status,
    );
    this.pad = new DrawingPad(this.els.padHost);
    this.pad.onChange = (values) => this.sendDrawing(values);
    this.scene = new NetworkScene(this.els.scene, { topN: 3, colorScale: 'layer', layout: '3d' });
    this.scene.onHover = (unit, e) => this.hover(unit, e);
    this.scene.onPick = (unit) => this.detail(unit);
    this.wireControls();
  }

  start(): void {
    this.socket.connect();
  }

  private wireControls(): void {
    const e = this.els;
    e.clear.addEventListener('click', () => this.pad.clear());
    e.brushSize.addEventListener('input', () => (this.pad.brush.radius = Number(e.brushSize.value)));
    e.brushStrength.addEventListener('input', () => (this.pad.brush.strength = Number(e.brushStrength.value)));
    this.showSampleButtons();
    e.upload.addEventListener('change', async () => {
      const file = e.upload.files?.[0];
      if (!file) return;
      let gray;
      try {
        gray = await imageFileToGrey(file, UPLOAD_SIDE);
      } catch (err) {
        this.status.error((err as Error).message);
        return;
      } finally {
        e.upload.value = ''; // the same file again is a new upload
      }
      this.status.clearError();
      this.showPrepared = true; // the pad shows the image as the network sees it
      this.socket.send({ type: 'infer', ...gray });
    });
    const choice = () => ({
      data: e.trainData.value as 'mnist' | 'fashion-mnist',
      model: e.trainModel.value as 'mlp' | 'cnn',
    });
    e.train.addEventListener('click', () => this.socket.send({ type: 'train', ...choice() }));
    e.load.addEventListener('click', () => this.socket.send({ type: 'load', ...choice() }));
    e.stop.addEventListener('click', () => this.socket.send({ type: 'stop' }));
    e.modelFile.addEventListener('change', () => {
      if (e.modelFile.value) this.socket.send({ type: 'open', file: e.modelFile.value });
    });
    e.checkpoint.addEventListener('input', () => {
      const position = Number(e.checkpoint.value);
      e.checkpointLabel.textContent = checkpointLabel(this.checkpoints, position);
      this.socket.send({ type: 'checkpoint', index: checkpointIndex(position, this.checkpoints.length) });
    });
    e.topN.addEventListener('change', () => this.scene.setOptions({ topN: Number(e.topN.value) }));
    e.colorScale.addEventListener('change', () => this.scene.setOptions({ colorScale: e.colorScale.value as 'layer' | 'global' }));
    e.layout.addEventListener('change', () => this.scene.setOptions({ layout: e.layout.value as '3d' | '2d' }));
  }

  /** One button per class, named by the model's classes (0–9 until a model says otherwise). */
  private showSampleButtons(): void {
    const names = this.classes.length ? this.classes : Array.from({ length: 10 }, (_, i) => String(i));
    this.els.samples.replaceChildren(
      ...names.map((name, label) => {
        const b = document.createElement('button');
        b.textContent = name;
        b.dataset.label = String(label);
        b.title = `a random test image of class ${label} (${name})`;
        b.addEventListener('click', () => this.socket.send({ type: 'sample', label }));
        return b;
      }),
    );
    this.els.samples.classList.toggle('named', names.some((n) => n.length > 2));
  }

  private sendDrawing(values: Float32Array): void {
    this.socket.send({ type: 'infer', width: PAD_SIZE, height: PAD_SIZE, pixels: Array.from(values, (v) => Math.round(v * 1000) / 1000) });
  }

  private onMessage(m: MessageOf<typeof MESSAGES>): void {
    switch (m.type) {
      case 'hello': {
        // A fresh session: open the run the address names (digits.html#run=NAME), show it the drawing again.
        const run = runInHash(this.location.hash);
        if (run) this.socket.send({ type: 'open_run', run });
        if (this.pad.values.some((v) => v > 0)) this.sendDrawing(this.pad.values);
        break;
      }
      case 'models':
        fillSelect(this.els.modelFile, ['', ...m.files], [m.files.length ? 'open a file…' : 'none in the models folder', ...m.files]);
        break;
      case 'model':
        const fromFile = m.run === null && (m.model.endsWith('.nlmodel') || m.model.endsWith('.onnx')); // opened by `open`
        this.els.modelFile.value = fromFile ? m.model : '';
        // Sent again while training (with fresh weights): rebuild the scene only for a new network.
        if (JSON.stringify([m.stages, m.classes]) !== JSON.stringify([this.stages, this.classes])) this.scene.setStages(m.stages, m.classes);
        if (m.classes.join() !== this.classes.join()) {
          this.classes = m.classes;
          this.showSampleButtons();
        }
        this.stages = m.stages;
        // Another model than the run in training: that run's progress line is no longer news.
        if (m.trained || m.run !== null || fromFile) {
          if (this.els.progress.dataset.phase !== 'done') {
            this.els.progress.textContent = '';
            this.els.followLurk.hidden = true;
          }
        }
        this.els.modelInfo.textContent =
          `${m.data} ${m.model}` +
          (m.trained
            ? `: the saved model (${m.trained.epochs} epochs), test accuracy ${(100 * m.trained.test_accuracy).toFixed(2)} %`
            : m.run !== null
              ? ': streamed from PyTorch (run ' + m.run + '), the newest weights'
              : fromFile
                ? ': opened from the models folder'
                : ': the run in training');
        this.renderBars();
        break;
      case 'progress': {
        const p = this.els.progress;
        p.textContent = progressText(m);
        p.dataset.phase = m.phase;
        // The run's directory, which Lurk follows as it trains; the link stays once it is done.
        const link = this.els.followLurk;
        if (m.run) {
          link.href = `./lurk.html#run=${encodeURIComponent(m.run)}`;
          link.textContent = 'watch its units form in Lurk →';
          link.hidden = false;
        } else if (m.phase !== 'done') link.hidden = true;
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
        this.status.error(m.message);
        break;
    }
  }

  /** The scrubber over a new list; a slider resting on the current weights stays there. */
  private showCheckpoints(list: CheckpointInfo[], shown: number): void {
    this.checkpoints = list;
    const slider = this.els.checkpoint;
    slider.max = String(list.length);
    slider.disabled = list.length === 0;
    slider.value = String(shown < 0 ? list.length : shown);
    this.els.checkpointLabel.textContent = checkpointLabel(list, Number(slider.value));
  }

  private onBinary(frame: TensorFrame): void {
    if (frame.magic !== 'NLDA') {
      this.scene.setWeights(frame.tensors);
      return;
    }
    // [0] is the prepared 28 × 28 image: after an upload the pad shows it, ready to be drawn on.
    if (this.showPrepared && frame.tensors[0]) {
      this.pad.show(frame.tensors[0].values);
      this.renderBars();
    }
    this.showPrepared = false;
    this.scene.setValues(frame.tensors.slice(1));
  }

  private renderBars(): void {
    const bars = this.els.bars;
    const order = this.probabilities.map((p, i) => [p, i] as const);
    // An empty pad has no answer to highlight (the network still gives it probabilities).
    const top = order.length && !this.pad.empty() ? order.reduce((a, b) => (b[0] > a[0] ? b : a))[1] : -1;
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
    const tip = this.els.tooltip;
    if (!unit) {
      tip.hidden = true;
      return;
    }
    const lines = [`${this.stages[unit.stage].name} · ${this.unitName(unit)}: ${this.valueText(unit)}`];
    for (const [from, w, a] of this.weightedInputs(unit).slice(0, 5))
      lines.push(`  from ${from}: w ${w.toFixed(3)} × a ${a.toFixed(3)} = ${(w * a).toFixed(3)}`);
    showTooltip(tip, lines.join('\n'), e, this.els.scene.getBoundingClientRect());
  }

  private unitName(unit: PickedUnit): string {
    const stage = this.stages[unit.stage];
    const shape = stage.shape;
    if (stage.kind === 'output') return `unit ${unit.unit}, class ${this.classes[unit.unit] ?? unit.unit}`;
    if (shape.length !== 3) return `unit ${unit.unit}`;
    const per = shape[1] * shape[2];
    return `unit channel ${Math.floor(unit.unit / per)}, (${Math.floor((unit.unit % per) / shape[2])}, ${unit.unit % shape[2]})`;
  }

  /** A unit's value; the output's are probabilities (after the softmax), said as such. */
  private valueText(unit: PickedUnit): string {
    const v = this.scene.stageValues()[unit.stage]?.values[unit.unit];
    if (v === undefined) return '–';
    return this.stages[unit.stage].kind === 'output' ? `probability ${(100 * v).toFixed(1)} % (after softmax)` : v.toFixed(4);
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
    const panel = this.els.detail;
    panel.innerHTML = '';
    const stage = this.stages[unit.stage];
    const title = document.createElement('h3');
    title.textContent = `${stage.name} · ${this.unitName(unit)}: ${this.valueText(unit)}`;
    panel.appendChild(title);
    const w: Tensor | undefined = this.scene.stageWeights()[unit.stage];
    const prev = this.stages[unit.stage - 1];
    const caption = (text: string, canvas: HTMLCanvasElement, parent: HTMLElement = panel) => {
      const figure = document.createElement('figure');
      const cap = document.createElement('figcaption');
      cap.textContent = text;
      figure.append(canvas, cap);
      parent.appendChild(figure);
      return figure;
    };
    if (w && w.shape.length === 2 && prev) {
      const [inputs, outputs] = w.shape;
      const column = new Float32Array(inputs);
      for (let i = 0; i < inputs; i++) column[i] = w.values[i * outputs + unit.unit];
      const side = prev.shape.length === 3 && prev.shape[0] === 1 ? prev.shape[2] : 0;
      if (side) caption(`its ${inputs} incoming weights as a ${side}×${side} image`, valueImage(column, side, side, 6));
      else caption(`its ${inputs} incoming weights`, valueImage(column, Math.ceil(Math.sqrt(inputs)), Math.ceil(inputs / Math.ceil(Math.sqrt(inputs))), 8));
    } else if (w && w.shape.length === 4 && prev) this.convDetail(unit, w, caption);
  }

  /**
   * A conv unit's kernel and the input patch it sees, for every input channel, from the stage's
   * kernel, stride and padding as the server sent them (cells outside the input are padding, 0).
   */
  private convDetail(unit: PickedUnit, w: Tensor, caption: (text: string, canvas: HTMLCanvasElement, parent: HTMLElement) => HTMLElement): void {
    const stage = this.stages[unit.stage];
    const prev = this.stages[unit.stage - 1];
    const [, channels, f] = w.shape;
    const stride = stage.stride ?? 1;
    const pad = stage.padding ?? 0;
    const per = stage.shape[1] * stage.shape[2];
    const k = Math.floor(unit.unit / per);
    const y = Math.floor((unit.unit % per) / stage.shape[2]);
    const x = unit.unit % stage.shape[2];
    const src = this.scene.stageValues()[unit.stage - 1];
    const [, ph, pw] = prev.shape;
    const note = document.createElement('p');
    note.className = 'conv-geometry';
    note.textContent = `kernel ${f}×${f}, stride ${stride}, padding ${pad}: output (${y}, ${x}) sees input rows ${y * stride - pad}..${y * stride - pad + f - 1}, columns ${x * stride - pad}..${x * stride - pad + f - 1} of each of its ${channels} input channels`;
    this.els.detail.appendChild(note);
    for (let c = 0; c < channels; c++) {
      // Each input channel's kernel beside the patch it weighs.
      const pair = document.createElement('div');
      pair.className = 'conv-channel';
      this.els.detail.appendChild(pair);
      const kernel = w.values.slice((k * channels + c) * f * f, (k * channels + c + 1) * f * f);
      caption(`kernel ${k}, input channel ${c}`, valueImage(kernel, f, f, 14), pair).dataset.kernel = String(c);
      const patch = new Float32Array(f * f);
      for (let dy = 0; dy < f; dy++)
        for (let dx = 0; dx < f; dx++) {
          const sy = y * stride + dy - pad;
          const sx = x * stride + dx - pad;
          patch[dy * f + dx] = src && sy >= 0 && sx >= 0 && sy < ph && sx < pw ? src.values[(c * ph + sy) * pw + sx] : 0;
        }
      const figure = caption(`the patch it sees, input channel ${c}`, valueImage(patch, f, f, 14, prev.kind === 'input'), pair);
      figure.dataset.patch = String(c);
      figure.dataset.values = Array.from(patch, (v) => v.toFixed(4)).join(' ');
    }
  }
}
