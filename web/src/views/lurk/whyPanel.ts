// "Why this answer": an input from the Digits page's drawing pad (its strokes and, on the server,
// its preparation), an uploaded image (prepared on the server as a drawing is) or a test image by class; the probabilities; the method, the CAM layer, the
// target class and the overlay's opacity; the map over the input and a small map per class; how
// the output layer's logits become the probabilities.
// It asks again after every stroke and every change of a setting.

import { fillSelect } from '../../lib/dom';
import { imageFileToGrey } from '../../lib/imageFile';
import { PAD_SIZE } from '../digits/brush';
import { DrawingPad } from '../digits/pad';
import type { Tensor } from '../../lib/wire';
import type { LurkElements } from './markup';
import type { ExplanationMessage, LurkInput, NetworkInfo, SanityMessage } from './messages';
import { drawSanity } from './sanityCheck';
import { drawSoftmaxSteps } from './softmaxSteps';
import { drawHeat, drawOverlay, makeCanvas, slice } from './tiles';

/** The largest side of an image sent to explain (the server's limit). */
const MAX_IMAGE_SIDE = 256;

export interface WhyRequest {
  method: string;
  cam_layer?: number;
  target?: number;
}

export class WhyPanel {
  private readonly pad: DrawingPad;
  /** The input on show: a test image, or the drawing (none before the first stroke). */
  input: LurkInput | null = null;
  private last: { m: ExplanationMessage; tensors: Tensor[] } | null = null;
  private classes: string[] = [];
  onRequest: (input: LurkInput, settings: WhyRequest) => void = () => {};
  onSample: (label: number) => void = () => {};
  onSanity: (settings: WhyRequest) => void = () => {};
  onChange: () => void = () => {};
  onError: (message: string) => void = () => {};
  /** The sanity check is on: asked for after every new map. */
  sanityOn = false;
  /** The uploaded image's file name while it is the input. */
  private uploaded: string | null = null;

  constructor(private readonly els: LurkElements) {
    this.pad = new DrawingPad(els.padHost);
    this.pad.onChange = (values) => {
      this.input = { width: PAD_SIZE, height: PAD_SIZE, pixels: Array.from(values, (v) => Math.round(v * 1000) / 1000) };
      this.uploaded = null;
      els.inputInfo.textContent = 'your drawing';
      this.ask();
    };
    els.imageFile.addEventListener('change', () => {
      const file = els.imageFile.files?.[0];
      els.imageFile.value = ''; // the same file again is a change too
      if (file) void this.showImage(file);
    });
    els.clear.addEventListener('click', () => this.pad.clear());
    // The sanity check, on request: on, it follows every new map; off, it is hidden.
    els.sanityButton.addEventListener('click', () => this.setSanity(!this.sanityOn));
    for (const select of [els.method, els.camLayer, els.target]) select.addEventListener('change', () => this.ask());
    els.opacity.addEventListener('input', () => this.drawMap());
  }

  setNetwork(n: NetworkInfo, wanted: { method?: string; cam?: number; target?: number }): void {
    this.classes = n.classes;
    fillSelect(this.els.method, n.methods, n.methods.map((m) => m.replace(/_/g, ' ')));
    // Grad-CAM by default; a network without a conv layer has no CAM, so the plain gradient.
    const fallback = n.cam_default !== null ? 'grad_cam' : 'gradient';
    this.els.method.value = wanted.method && n.methods.includes(wanted.method) ? wanted.method : fallback;
    const layerName = (i: number) => `${i}: ${n.layers[i].name} ${n.layers[i].shape.join('×')}`;
    fillSelect(this.els.camLayer, n.cam_layers.map(String), n.cam_layers.map(layerName));
    const cam = wanted.cam !== undefined && n.cam_layers.includes(wanted.cam) ? wanted.cam : n.cam_default;
    if (cam !== null) this.els.camLayer.value = String(cam);
    // An MLP has no conv map: the CAMs and the operation view need one, the other methods do not.
    this.els.camLayer.disabled = cam === null;
    this.els.camNote.textContent = cam === null
      ? 'this network has no conv layer: the CAMs (Grad-CAM, LayerCAM, Score-CAM) and how a conv unit computes need one; every gradient method works'
      : 'default: the deepest conv map of at least 10×10 px, not the coarse last one';
    fillSelect(this.els.target, ['', ...n.classes.map((_, i) => String(i))], ['the predicted class', ...n.classes]);
    this.els.target.value = wanted.target !== undefined && wanted.target < n.classes.length ? String(wanted.target) : '';
    this.els.samples.replaceChildren(
      ...n.classes.map((name, label) => {
        const b = document.createElement('button');
        b.textContent = name;
        b.dataset.label = String(label);
        b.title = `a random test image of class ${name}`;
        b.addEventListener('click', () => this.onSample(label));
        return b;
      }),
    );
  }

  settings(): WhyRequest {
    const s: WhyRequest = { method: this.els.method.value };
    if (this.els.camLayer.value !== '') s.cam_layer = Number(this.els.camLayer.value);
    if (this.els.target.value !== '') s.target = Number(this.els.target.value);
    return s;
  }

  /** An image file as the input: the browser decodes it, the server prepares it as a drawing. */
  async showImage(file: File): Promise<void> {
    try {
      this.input = await imageFileToGrey(file, MAX_IMAGE_SIDE);
    } catch (e) {
      this.onError(e instanceof Error ? e.message : String(e));
      return;
    }
    this.uploaded = file.name;
    this.els.inputInfo.textContent = `your image ${file.name}`;
    this.ask();
  }

  showTest(index: number): void {
    this.uploaded = null;
    this.input = { test: index };
    this.pad.show(new Float32Array(PAD_SIZE * PAD_SIZE));
    this.els.inputInfo.textContent = `test image #${index}`;
    this.ask();
  }

  /** Asks for the input on show (after a reconnect, say); nothing before there is one. */
  ask(): void {
    this.onChange();
    if (this.input) this.onRequest(this.input, this.settings());
  }

  show(m: ExplanationMessage, tensors: Tensor[]): void {
    this.last = { m, tensors };
    // A sanity check belongs to the input and settings it was made for: asked for again when on.
    this.els.sanity.replaceChildren();
    if (this.sanityOn) this.askSanity();
    if (m.test !== null) this.els.inputInfo.textContent = `test image #${m.test} (a ${this.classes[m.test_label ?? 0] ?? m.test_label})`;
    // An uploaded image is shown on the pad as the network sees it, after its preparation (at
    // the model's input size, each of its pixels as a block of the pad's cells).
    if (this.uploaded !== null && m.test === null) {
      const [h, w] = tensors[0].shape;
      const v = tensors[0].values;
      this.pad.show(Float32Array.from({ length: PAD_SIZE * PAD_SIZE }, (_, i) => v[Math.floor(((i / PAD_SIZE) | 0) * h / PAD_SIZE) * w + Math.floor((i % PAD_SIZE) * w / PAD_SIZE)]));
    }
    this.drawMap();
    this.drawBars(m);
    drawSoftmaxSteps(this.els.softmaxSteps, m.logits, this.classes, m.predicted);
    this.drawClassMaps(m, tensors[2]);
    const where = m.cam_layer !== null ? ` at layer ${m.cam_layer}` : '';
    this.els.whyReadout.innerHTML = `<span class="big-value" id="why-predicted"></span><span class="big-label" id="why-label"></span>`;
    this.els.whyReadout.querySelector('#why-predicted')!.textContent = `${this.classes[m.predicted] ?? m.predicted}  ${(100 * m.probabilities[m.predicted]).toFixed(1)} %`;
    this.els.whyReadout.querySelector('#why-label')!.textContent = `predicted · map: ${m.method.replace(/_/g, ' ')}${where} for class ${this.classes[m.target] ?? m.target}`;
  }

  /** Turns the sanity check on (asked for the map on show, and after every new one) or off. */
  setSanity(on: boolean): void {
    this.sanityOn = on;
    this.els.sanityButton.setAttribute('aria-pressed', String(on));
    this.els.sanityButton.textContent = on ? 'sanity check: on (click to hide)' : 'sanity check: randomise the weights';
    if (on) this.askSanity();
    else this.els.sanity.replaceChildren();
    this.onChange();
  }

  private askSanity(): void {
    if (!this.last) return;
    this.els.sanity.textContent = 'randomising the weights layer by layer…';
    this.onSanity(this.settings());
  }

  showSanity(m: SanityMessage, maps: Tensor): void {
    if (!this.last || !this.sanityOn) return;
    drawSanity(this.els.sanity, m, maps, this.last.tensors[0], Number(this.els.opacity.value));
  }

  private drawMap(): void {
    if (!this.last) return;
    const [input, map] = this.last.tensors;
    const [h, w] = input.shape;
    drawOverlay(this.els.whyMap, input.values, map.values, w, h, Number(this.els.opacity.value));
    this.els.whyMap.dataset.method = this.last.m.method;
    this.els.whyMap.dataset.cam = String(this.last.m.cam_layer ?? '');
    this.els.whyMap.dataset.seq = String(this.last.m.seq);
  }

  private drawBars(m: ExplanationMessage): void {
    this.els.bars.dataset.top = String(m.predicted);
    this.els.bars.replaceChildren(
      ...m.probabilities.map((p, c) => {
        const bar = document.createElement('div');
        bar.className = c === m.predicted ? 'bar top' : 'bar';
        bar.innerHTML = '<span class="bar-label"></span><span class="bar-track"><span class="bar-fill"></span></span><span class="bar-value"></span>';
        bar.querySelector('.bar-label')!.textContent = this.classes[c] ?? String(c);
        (bar.querySelector('.bar-fill') as HTMLElement).style.width = `${100 * p}%`;
        bar.querySelector('.bar-value')!.textContent = `${(100 * p).toFixed(1)} %`;
        return bar;
      }),
    );
  }

  private drawClassMaps(m: ExplanationMessage, maps: Tensor): void {
    const [k, h, w] = maps.shape;
    this.els.classMaps.replaceChildren(
      ...Array.from({ length: k }, (_, c) => {
        const f = document.createElement('figure');
        if (c === m.target) f.className = 'target';
        const canvas = drawHeat(makeCanvas(w, h, 'tile class-map'), slice(maps.values, c, h * w), w, h);
        canvas.dataset.class = String(c);
        const cap = document.createElement('figcaption');
        cap.textContent = `${this.classes[c] ?? c} ${(100 * m.probabilities[c]).toFixed(0)} %`;
        f.append(canvas, cap);
        return f;
      }),
    );
  }
}
