// The Lurk view: open a trained model, run (or read) its dataset pass, browse its layers unit by
// unit (the strip, the grid, a unit's panel), and see why it answers what it answers for a
// drawing or a test image. The link's hash holds model, layer, unit, method and input.

import { fillSelect } from '../../lib/dom';
import { socketUrl, ViewSocket } from '../../lib/socket';
import { StatusLine } from '../../lib/statusLine';
import type { MessageOf, Tensor, TensorFrame } from '../../lib/wire';
import { readLink, writeLink, type LurkLink } from './hashState';
import { mountLurk, type LurkElements } from './markup';
import { chooseModel, RUN_PREFIX } from './modelChoice';
import { LURK, type LayerMessage, type LurkClientMessage, type MESSAGES, type NetworkInfo, type LayerDreamMessage, type OperationMessage, type SanityMessage, type UnitMessage } from './messages';
import { type ScaleMode, weightRanges } from './colourScale';
import { StageScrubber } from './stageScrubber';
import { drawStrip } from './strip';
import { drawOperation, nextPosition } from './operation';
import { drawDream, drawUnitPanel } from './unitPanel';
import { drawTileDream, drawUnitGrid } from './unitGrid';
import { trainingText } from './trainingText';
import { sortUnits, type UnitSort } from './unitOrder';
import { wireModelUpload } from './uploads';
import { WhyPanel } from './whyPanel';

/** Between two positions of the sliding window: slow enough to read the sum change. */
const SLIDE_STEP_MS = 600;

export class LurkView {
  private readonly els: LurkElements;
  private readonly status: StatusLine;
  private readonly socket: ViewSocket<typeof MESSAGES, TensorFrame, LurkClientMessage>;
  private readonly why: WhyPanel;
  private readonly stage: StageScrubber;
  private link: LurkLink;
  private network: NetworkInfo | null = null;
  private passDone = false;
  private layer = -1;
  private unit = 0;
  private layerMessage: LayerMessage | null = null;
  private order: number[] = [];
  private unitMessage: UnitMessage | null = null;
  private dreamSeq = -1;
  /** The position the operation view shows, per unit ("layer:unit"); the map's centre at first. */
  private opPosition: { key: string; y: number; x: number } | null = null;
  private pendingOperation: OperationMessage | null = null;

  constructor(root: HTMLElement, location: Location) {
    this.els = mountLurk(root);
    this.status = new StatusLine(this.els.status);
    this.socket = new ViewSocket(socketUrl(location, LURK.path), LURK, { message: (m) => this.onMessage(m), binary: (b) => this.onBinary(b) }, this.status);
    const { link, problems } = readLink(location.hash);
    this.link = link;
    if (problems.length) this.status.error(`link: ${problems.join('; ')}`);
    this.why = new WhyPanel(this.els);
    this.why.onRequest = (input, settings) => this.socket.send({ type: 'explain', ...settings, ...input });
    this.why.onSample = (label) => this.socket.send({ type: 'sample', label });
    this.why.onSanity = (settings) => this.socket.send({ type: 'sanity', ...settings });
    this.why.onChange = () => this.saveLink();
    this.why.onError = (message) => this.status.error(message);
    this.stage = new StageScrubber(this.els.checkpoint, this.els.checkpointLabel, (index) => this.socket.send({ type: 'checkpoint', index }));
    this.wireControls();
  }

  start(): void {
    this.socket.connect();
  }

  private wireControls(): void {
    const e = this.els;
    e.model.addEventListener('change', () => this.open(e.model.value, {}));
    // An uploaded model joins the list and opens.
    wireModelUpload(e.modelFile, e.uploadInfo, (file) => {
      if (!Array.from(e.model.options).some((o) => o.value === file)) e.model.add(new Option(file, file), e.model.options[0]);
      e.model.value = file;
      this.open(file, {});
    });
    e.sort.addEventListener('change', () => this.drawGrid());
    // Another colour scale: the grid is drawn again, and the unit (with its operation) asked for again.
    e.scale.addEventListener('change', () => {
      this.saveLink();
      this.drawGrid();
      if (this.passDone && this.layer >= 0) this.socket.send({ type: 'unit', layer: this.layer, unit: this.unit });
    });
    e.train.addEventListener('click', () => {
      this.link = {};
      this.passDone = false;
      this.socket.send({ type: 'train', data: e.trainData.value as 'mnist' | 'fashion-mnist', model: e.trainModel.value as 'mlp' | 'cnn' });
    });
    e.stop.addEventListener('click', () => this.socket.send({ type: 'stop' }));
    e.dreamLayer.addEventListener('click', () => {
      if (this.layer < 0) return;
      this.layerDreams = { layer: this.layer, images: new Map() };
      e.dreamLayerProgress.textContent = 'dreaming…';
      this.socket.send({ type: 'dream_layer', layer: this.layer });
    });
    document.addEventListener('keydown', (ev) => this.key(ev));
  }

  /** Arrows step through the grid's order, PageUp/PageDown through the scored layers. */
  private key(ev: KeyboardEvent): void {
    const t = ev.target as HTMLElement | null;
    if (t && (t.tagName === 'INPUT' || t.tagName === 'SELECT' || t.tagName === 'TEXTAREA')) return;
    if (!this.network || !this.passDone) return;
    if (ev.key === 'ArrowRight' || ev.key === 'ArrowLeft' || ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
      if (!this.order.length) return;
      const at = this.order.indexOf(this.unit);
      const step = ev.key === 'ArrowRight' || ev.key === 'ArrowDown' ? 1 : -1;
      this.pickUnit(this.order[Math.max(0, Math.min(this.order.length - 1, at + step))]);
      ev.preventDefault();
    } else if (ev.key === 'PageDown' || ev.key === 'PageUp') {
      const scored = this.network.scored.map((s) => s.layer);
      const at = scored.indexOf(this.layer);
      const next = scored[Math.max(0, Math.min(scored.length - 1, at + (ev.key === 'PageDown' ? 1 : -1)))];
      if (next !== this.layer) this.pickLayer(next, 0);
      ev.preventDefault();
    }
  }

  /** Opens a model of the models folder, or a run directory (`choice` "run:NAME"). */
  private open(choice: string, keep: LurkLink): void {
    const run = choice.startsWith(RUN_PREFIX) ? choice.slice(RUN_PREFIX.length) : undefined;
    this.link = { ...keep, model: run ? undefined : choice, run };
    this.opened = run ? { run } : { model: choice };
    this.network = null;
    this.passDone = false;
    this.layerMessage = null;
    this.unitMessage = null;
    this.els.grid.replaceChildren();
    this.socket.send(run ? { type: 'open_run', run } : { type: 'open', model: choice });
  }
  /** The diversity set's weight, kept across units (the link's). */
  private diversity = 1;
  /** What was opened: a model file's name or a run directory's. */
  private opened: { model?: string; run?: string } = {};

  private pickLayer(layer: number, unit: number): void {
    this.layerCheckpoint = this.stage.shown;
    this.layer = layer;
    this.unit = unit;
    this.layerMessage = null;
    this.drawStrip();
    this.socket.send({ type: 'layer', layer });
    this.socket.send({ type: 'unit', layer, unit });
    this.saveLink();
  }

  private pickUnit(unit: number): void {
    this.unit = unit;
    this.drawGrid();
    this.socket.send({ type: 'unit', layer: this.layer, unit });
    this.saveLink();
  }

  /** Plays (the window moves one position each time the last one is drawn) or pauses. */
  private slide(on: boolean): void {
    this.sliding = on;
    window.clearTimeout(this.slideTimer);
    const button = this.els.unitPanel.querySelector<HTMLButtonElement>('#op-play');
    if (button) {
      button.textContent = on ? '❚❚ pause' : '▶ slide the window across the map';
      button.setAttribute('aria-pressed', String(on));
    }
    if (on) this.askOperation();
  }
  private sliding = false;
  private slideTimer = 0;

  /** The operation view of a conv unit on show, at `at` or where it was (the map's centre at first). */
  private askOperation(at?: { y: number; x: number }): void {
    const scored = this.network?.scored.find((s) => s.layer === this.layer);
    if (!scored || scored.kind !== 'conv' || !this.why.input || !this.els.unitPanel.querySelector('#op-body')) return;
    const key = `${this.layer}:${this.unit}`;
    if (at) this.opPosition = { key, ...at };
    else if (this.opPosition?.key !== key) this.opPosition = { key, y: Math.floor(scored.height / 2), x: Math.floor(scored.width / 2) };
    this.socket.send({ type: 'operate', layer: this.layer, unit: this.unit, y: this.opPosition!.y, x: this.opPosition!.x });
  }

  private saveLink(): void {
    if (!this.network || this.stage.live) return; // a run trained here is no file a link could name
    const s = this.why.settings();
    const input = this.why.input;
    this.link = {
      ...this.opened,
      layer: this.layer >= 0 ? this.layer : undefined,
      unit: this.layer >= 0 ? this.unit : undefined,
      method: s.method,
      cam: s.cam_layer,
      target: s.target,
      test: input && 'test' in input ? input.test : undefined,
      scale: this.els.scale.value,
      diversity: this.diversity,
      sanity: this.why.sanityOn || undefined,
    };
    history.replaceState(null, '', writeLink(this.link));
  }

  /** The checkpoint the layer on show was asked for at (the grid carries it as data-checkpoint). */
  private layerCheckpoint = -1;

  private drawStrip(): void {
    if (this.network) drawStrip(this.els.strip, this.network.layers, this.network.scored, this.layer, (l) => this.pickLayer(l, 0));
  }

  private drawGrid(): void {
    const l = this.layerMessage;
    if (!l || !this.layerTensors) return;
    this.order = sortUnits(l.units, this.els.sort.value as UnitSort);
    drawUnitGrid(this.els.grid, l, this.order, this.layerTensors[0], this.isFirstConv() ? this.layerTensors[1] : undefined, this.unit, this.network?.classes ?? [], (u) => this.pickUnit(u), this.weightScale(l.layer));
    if (this.layerDreams?.layer === l.layer) for (const [u, image] of this.layerDreams.images) drawTileDream(this.els.grid, u, image);
  }
  private layerTensors: TensorFrame['tensors'] | null = null;

  private scaleMode(): ScaleMode {
    return this.els.scale.value as ScaleMode;
  }

  /** The end of the weights' colour scale in layer `layer`, for a unit whose own largest |w| is `own`. */
  private weightScale(layer: number): (own: number) => number {
    const mode = this.scaleMode();
    return (own) => (this.network ? weightRanges(this.network, layer, own)[mode] : own);
  }

  private isFirstConv(): boolean {
    return this.network?.scored.find((s) => s.kind === 'conv')?.layer === this.layer;
  }

  private onMessage(m: MessageOf<typeof MESSAGES>): void {
    switch (m.type) {
      case 'hello': {
        const { values, labels, model, problem } = chooseModel(m.models, m.runs, this.link);
        fillSelect(this.els.model, values, labels);
        if (problem) this.status.error(problem);
        if (!model) {
          this.els.modelInfo.textContent = 'no model yet: train a CNN on the Digits page (or netlens train --out models/NAME.nlmodel), then reload';
          return;
        }
        this.els.model.value = model;
        this.open(model, this.link);
        break;
      }
      case 'network': {
        this.network = m;
        const classes = m.classes.length;
        this.els.modelInfo.textContent = `${m.model}: ${m.layers.length} layers, ${m.layers.reduce((a, l) => a + l.params, 0).toLocaleString('en-US')} parameters, ${classes} classes`;
        this.why.setNetwork(m, { method: this.link.method, cam: this.link.cam, target: this.link.target });
        if (this.link.scale && ['unit', 'layer', 'global'].includes(this.link.scale)) this.els.scale.value = this.link.scale;
        if (this.link.diversity !== undefined && this.link.diversity >= 0 && this.link.diversity <= 100) this.diversity = this.link.diversity;
        const sanity = this.link.sanity === true; // read before the link is written again below
        this.stage.open(m.checkpoints, m.live);
        const wanted = m.scored.find((s) => s.layer === this.link.layer);
        this.layer = wanted ? wanted.layer : (m.scored[0]?.layer ?? -1);
        this.unit = wanted && this.link.unit !== undefined && this.link.unit < wanted.units ? this.link.unit : 0;
        this.drawStrip();
        if (this.link.test !== undefined && this.link.test < m.images) this.why.showTest(this.link.test);
        else this.why.ask();
        if (sanity && !this.why.sanityOn) this.why.setSanity(true); // asked for once the first map is on show
        this.saveLink();
        break;
      }
      case 'progress': {
        const p = this.els.passProgress;
        p.dataset.done = String(m.done === m.total);
        p.textContent = m.done === m.total
          ? `dataset pass: ${m.total.toLocaleString('en-US')} ${this.network?.split ?? ''} images${m.cached ? ' (read from the cache)' : ''}`
          : `dataset pass: ${m.done.toLocaleString('en-US')} of ${m.total.toLocaleString('en-US')} images…`;
        if (m.done < m.total) this.passDone = false;
        if (m.done === m.total && !this.passDone) {
          this.passDone = true;
          if (this.layer >= 0) this.pickLayer(this.layer, this.unit);
        }
        break;
      }
      case 'layer':
        if (m.layer === this.layer) this.layerMessage = m;
        break;
      case 'unit':
        if (m.layer === this.layer && m.unit === this.unit) this.unitMessage = m;
        break;
      case 'dream':
        this.dreamSeq = m.seq;
        this.pendingDream = m;
        break;
      case 'explanation':
        this.pendingExplanation = m;
        break;
      case 'sample':
        this.why.showTest(m.index);
        break;
      case 'sanity':
        this.pendingSanity = m;
        break;
      case 'layer_dream':
        this.pendingLayerDream = m;
        this.els.dreamLayerProgress.textContent = `dreams: ${m.done} of ${m.units} units${m.done === m.units ? ' (shown in the grid)' : '…'}`;
        this.els.dreamLayerProgress.dataset.done = String(m.done === m.units);
        break;
      case 'checkpoint':
        // Another network: its pass's progress follows, then the layer and unit on show again.
        this.passDone = false;
        this.stage.showing(m.shown);
        this.els.unitPanel.dataset.checkpoint = String(m.shown);
        this.why.ask();
        break;
      case 'checkpoints': {
        if (!this.network) break;
        this.network.checkpoints = m.list;
        this.stage.update(m.list);
        break;
      }
      case 'training':
        this.els.training.dataset.phase = m.phase;
        this.els.training.textContent = trainingText(m);
        break;
      case 'operation':
        this.pendingOperation = m;
        break;
      case 'error':
        // A layer or unit asked for before a new pass began (a model opened, a run started, a
        // checkpoint followed) is asked for again when that pass is done: not the user's error.
        if ((m.command === 'layer' || m.command === 'unit') && !this.passDone) break;
        this.status.error(m.message);
        break;
    }
  }
  private pendingDream: MessageOf<typeof MESSAGES> & { type: 'dream' } | null = null;
  private pendingSanity: SanityMessage | null = null;
  private pendingLayerDream: LayerDreamMessage | null = null;
  /** The dreams of a whole layer asked for, unit by unit as they come. */
  private layerDreams: { layer: number; images: Map<number, Tensor> } | null = null;
  private pendingExplanation: MessageOf<typeof MESSAGES> & { type: 'explanation' } | null = null;

  private onBinary(frame: TensorFrame): void {
    switch (frame.magic) {
      case 'NLLY':
        if (!this.layerMessage) return;
        this.layerTensors = frame.tensors;
        this.els.grid.dataset.checkpoint = String(this.layerCheckpoint);
        this.drawGrid();
        break;
      case 'NLUN': {
        const m = this.unitMessage;
        if (!m || m.seq !== frame.seq) return;
        this.sliding = false;
        drawUnitPanel(this.els.unitPanel, m, frame.tensors, this.network?.classes ?? [], {
          dream: (count, diversity) => this.socket.send({ type: 'dream', layer: m.layer, unit: m.unit, count, diversity }),
          slide: () => this.slide(!this.sliding),
          diversity: this.diversity,
          diversityChanged: (weight) => {
            this.diversity = weight;
            this.saveLink();
          },
        }, this.weightScale(m.layer), this.scaleMode());
        this.els.unitPanel.dataset.unit = `${m.layer}:${m.unit}`;
        this.askOperation();
        break;
      }
      case 'NLOP': {
        const m = this.pendingOperation;
        const body = this.els.unitPanel.querySelector<HTMLElement>('#op-body');
        if (!m || m.seq !== frame.seq || !body || m.layer !== this.layer || m.unit !== this.unit) return;
        drawOperation(body, m, frame.tensors, (y, x) => this.askOperation({ y, x }), { weights: this.weightScale(m.layer), mode: this.scaleMode() });
        if (this.sliding) {
          const [h, w] = frame.tensors[2].shape;
          window.clearTimeout(this.slideTimer);
          this.slideTimer = window.setTimeout(() => this.sliding && this.askOperation(nextPosition(m.y, m.x, h, w)), SLIDE_STEP_MS);
        }
        break;
      }
      case 'NLDR': {
        const d = this.pendingDream;
        if (!d || d.seq !== frame.seq || this.dreamSeq !== frame.seq) return;
        if (d.layer === this.layer && d.unit === this.unit) drawDream(this.els.unitPanel, d, frame.tensors[0], frame.tensors[1]);
        break;
      }
      case 'NLLD': {
        const d = this.pendingLayerDream;
        if (!d || d.seq !== frame.seq || this.layerDreams?.layer !== d.layer) return;
        this.layerDreams.images.set(d.unit, frame.tensors[0]);
        if (d.layer === this.layer) drawTileDream(this.els.grid, d.unit, frame.tensors[0]);
        break;
      }
      case 'NLSN':
        if (this.pendingSanity?.seq === frame.seq) this.why.showSanity(this.pendingSanity, frame.tensors[0]);
        break;
      case 'NLEX': {
        const m = this.pendingExplanation;
        if (!m || m.seq !== frame.seq) return;
        this.why.show(m, frame.tensors);
        this.askOperation();
        break;
      }
    }
  }
}
