// The Inside view: a small network learning XOR (or another 2D set) by gradient descent, seen
// from inside: its nodes for one sample, loss and gradient norms over time, the decision
// boundary, the hidden feature space with its linear separator and warped grid, and the loss
// surface with the descent path. Keyboard: space plays or pauses, q stops the run.

import { History, LineChart } from '../../lib/chart';
import { fillSelect } from '../../lib/dom';
import { domainToPixel, HeatmapView } from '../../lib/heatmap';
import { socketUrl, ViewSocket } from '../../lib/socket';
import { StatusLine } from '../../lib/statusLine';
import type { Domain, LayerShape, MessageOf, Point } from '../../lib/wire';
import { ArchitectureView } from './architecture';
import { inControlWords } from './errors';
import { HiddenView } from './hiddenView';
import { mountInside, SPEC_INPUTS, type InsideElements } from './markup';
import {
  INSIDE,
  paramNames,
  type FrameMessage,
  type FramePictures,
  type InsideClientMessage,
  type InsideSpec,
  type MESSAGES,
} from './messages';
import { specFromQuery } from './params';
import { SurfaceView } from './surfaceView';

const CHART = { width: 340, height: 140 };
const BOUNDARY = 300; // the decision boundary's side, px
const GAP = 12; // between panels (inside.css)
const CHROME = 22; // a panel's padding and border, both sides

/** The 3D stages' side for a page `width` px wide: the two panels share the second row. */
export function stageSize(width: number): number {
  const inner = width - 32; // main's padding
  return Math.max(300, Math.min(720, Math.floor((inner - GAP) / 2) - CHROME));
}

export class InsideView {
  private readonly els: InsideElements;
  private readonly status: StatusLine;
  private readonly socket: ViewSocket<typeof MESSAGES, FramePictures, InsideClientMessage>;
  private layers: LayerShape[] = [];
  private points: Point[] = [];
  private frame: FrameMessage | null = null;
  // Recent frames by seq: a frame's pictures may arrive after newer frames (a slow socket keeps
  // only the newest pictures), and are drawn with the frame they belong to.
  private recent = new Map<number, FrameMessage>();
  /** The sample kept by a click on the boundary (the nodes show it until the next click). */
  private pinned: { x1: number; x2: number } | null = null;
  /** The text behind each key of the last set_spec (a control's, or a link's value): errors quote it. */
  private typed: Record<string, string> = {};
  private domain: Domain | null = null;
  /** The spec to ask a fresh session for: the link's at first, then the last run's. */
  private wanted: Partial<InsideSpec>;
  /** The spec of the run on the server: what the controls show after a refusal. */
  private spec: InsideSpec | null = null;
  private readonly losses = new History();
  private readonly grads = new History();
  private readonly architecture: ArchitectureView;
  private readonly boundary: HeatmapView;
  private readonly lossChart: LineChart;
  private readonly gradChart: LineChart;
  private readonly hidden: HiddenView;
  private readonly surface: SurfaceView;

  constructor(root: HTMLElement, location: Location) {
    const e = (this.els = mountInside(root));
    this.status = new StatusLine(e.status);
    this.socket = new ViewSocket(
      socketUrl(location, INSIDE.path),
      INSIDE,
      { message: (m) => this.onMessage(m), binary: (p) => this.onPictures(p) },
      this.status,
    );
    const { spec, problems } = specFromQuery(location.search);
    this.wanted = spec;
    if (problems.length) this.status.error(`link: ${problems.join('; ')}`);
    const stage = stageSize(root.clientWidth);
    this.architecture = new ArchitectureView(e.architecture, 300);
    // A dark outline: a point of a class sits on its own colour once it is learnt.
    this.boundary = new HeatmapView(e.boundary, BOUNDARY, { pointRadius: 6, trainStroke: '#222', testStroke: '#222' });
    this.lossChart = new LineChart(e.lossChart, { ...CHART, scale: 'log', label: () => 'training loss' });
    this.gradChart = new LineChart(e.gradChart, { ...CHART, scale: 'log', label: (s) => `‖∇ layer ${s + 1}‖` });
    this.hidden = new HiddenView(e.hidden2d, e.hidden3d, stage);
    this.surface = new SurfaceView(e.surface, stage);
    this.bindControls();
  }

  start(): void {
    this.socket.connect();
  }

  private onMessage(m: MessageOf<typeof MESSAGES>): void {
    switch (m.type) {
      case 'hello':
        this.recent.clear(); // a new connection counts its frames from 0 again
        // A hello after frames: the connection was lost and a new session (the server's, after a
        // restart, or a new one) starts over. Runs are not saved, so say what is lost.
        if (this.frame)
          this.setNotice(`reconnected: the server started a new session, so the run starts again from epoch 0 with the same settings (it had reached epoch ${this.frame.epoch})`);
        fillSelect(this.els.dataset, m.datasets);
        fillSelect(this.els.activation, m.activations);
        fillSelect(this.els.loss, m.losses);
        // A fresh session starts from the defaults: ask for the wanted run again.
        if (Object.keys(this.wanted).length > 0) this.sendSpec(this.wanted, {});
        return;
      case 'run':
        this.layers = m.layers;
        this.points = m.points;
        this.wanted = m.spec;
        this.spec = m.spec;
        this.pinned = null;
        this.losses.clear();
        this.grads.clear();
        this.showSpec(m.spec, m.layers);
        this.boundary.setDomain(m.domain);
        this.domain = m.domain;
        this.boundary.setPoints(m.points, []);
        this.els.root.dataset.run = String(m.run);
        this.showPin();
        this.showSubtitle(m.spec.dataset);
        return;
      case 'frame':
        this.onFrame(m);
        return;
      case 'error':
        if (m.command === 'set_spec' && this.spec) {
          const typed = (key: string) => this.typed[key];
          const spec = this.spec;
          const kept = (key: string) => (key in spec ? String(key === 'hidden' ? spec.hidden.join(',') : spec[key as keyof InsideSpec]) : undefined);
          this.status.error(inControlWords(m.message, typed, kept));
          this.showSpecControls(spec);
        } else this.status.error(m.message);
        return;
    }
  }

  private onFrame(f: FrameMessage): void {
    const e = this.els;
    this.frame = f;
    this.recent.set(f.seq, f);
    this.recent.delete(f.seq - 64);
    this.losses.add(f.epoch, [f.loss ?? NaN]);
    this.grads.add(f.epoch, f.gradient_norms);
    this.lossChart.render(this.losses);
    this.gradChart.render(this.grads);
    this.architecture.show(this.layers, f);
    const state = f.running ? 'training' : f.stopped ? 'stopped' : f.finished ? 'finished' : 'paused';
    e.play.textContent = f.running ? 'pause' : 'play';
    // After q, play starts the run again from epoch 0: said before it happens.
    e.runState.textContent = state === 'stopped' ? 'stopped (play starts again from epoch 0)' : state;
    const separator = f.hidden.separator ? `  separator accuracy ${(100 * f.hidden.separator.accuracy).toFixed(1)} %` : '';
    e.figures.textContent = `epoch ${f.epoch} / ${f.epochs}  loss ${f.loss === null ? '—' : f.loss.toPrecision(4)}  accuracy ${(100 * f.accuracy).toFixed(0)} %${separator}`;
    e.sample.textContent = `sample (${f.nodes.x1.toFixed(2)}, ${f.nodes.x2.toFixed(2)})${this.pinned ? ', kept' : ''}`;
    Object.assign(e.root.dataset, {
      state,
      epoch: String(f.epoch),
      loss: String(f.loss),
      separator: f.hidden.separator ? String(f.hidden.separator.accuracy) : '',
      seq: String(f.seq),
    });
  }

  private onPictures(p: FramePictures): void {
    const f = this.recent.get(p.seq);
    if (!f) return;
    const e = this.els;
    this.boundary.setHeatmap({ seq: p.seq, width: p.boundary.shape[1], height: p.boundary.shape[0], maps: 1, values: p.boundary.values });
    this.boundary.render();
    const labels = this.points.map((q) => q[2]);
    // Shown before drawing: the 3D panel's axis labels measure themselves.
    const dims = f.hidden.separator ? f.hidden.dims : undefined;
    e.hidden2d.hidden = dims !== 2;
    e.hidden3d.hidden = dims !== 3;
    this.hidden.show(p, f.hidden, labels);
    e.hiddenError.textContent = f.hidden.error ?? '';
    const h = f.hidden;
    const explained = h.projected && h.explained ? `, PCA of ${h.units} units (${h.explained.map((x) => `${(100 * x).toFixed(0)} %`).join(', ')})` : '';
    e.hiddenLayer.value = String(h.layer); // the select names the layer the panel shows
    // PCA to 3 axes needs 3 units; a 2-unit layer is drawn as it is, and the select says 2.
    const three = e.dims.querySelector<HTMLOptionElement>('option[value="3"]')!;
    three.disabled = h.units !== undefined && h.units < 3;
    three.title = three.disabled ? `layer ${h.layer + 1} has ${h.units} units` : '';
    e.dims.disabled = h.dims === undefined;
    if (h.dims !== undefined) e.dims.value = String(h.dims);
    e.hiddenInfo.textContent = h.separator ? `layer ${h.layer + 1}${explained}: separator ${(100 * h.separator.accuracy).toFixed(1)} %` : '';
    const names = paramNames(this.layers);
    const axes: [string, string] = f.surface.directions === 'weights' ? [names[f.surface.first], names[f.surface.second]] : ['d1', 'd2'];
    this.surface.show(p, f.surface.extent, axes);
    e.surfaceInfo.textContent = `around the current weights, along ${axes.join(' and ')}`;
    e.root.dataset.pictures = String(p.seq);
  }

  /** The spec's controls show what the run uses. */
  private showSpecControls(spec: InsideSpec): void {
    const e = this.els;
    e.dataset.value = spec.dataset;
    e.activation.value = spec.activation;
    e.loss.value = spec.loss;
    e.hidden.value = spec.hidden.join(',');
    for (const key of SPEC_INPUTS) e.specInputs[key].value = String(spec[key]);
    e.specInputs.noise.parentElement!.hidden = spec.dataset === 'xor4';
  }

  private showSpec(spec: InsideSpec, layers: LayerShape[]): void {
    const e = this.els;
    this.showSpecControls(spec);
    fillSelect(e.hiddenLayer, spec.hidden.map((_, i) => String(i)), spec.hidden.map((units, i) => `${i + 1} (${units} units)`));
    e.hiddenLayer.value = String(spec.hidden.length - 1);
    const names = paramNames(layers);
    const indices = names.map((_, i) => String(i));
    fillSelect(e.first, indices, names);
    fillSelect(e.second, indices, names);
    e.first.value = '0';
    e.second.value = '1';
  }

  private bindControls(): void {
    const e = this.els;
    e.play.onclick = () => this.togglePlay();
    e.step.onclick = () => this.socket.send({ type: 'step' });
    e.reset.onclick = () => {
      this.setNotice('');
      this.socket.send({ type: 'reset' });
    };
    e.stop.onclick = () => this.socket.send({ type: 'stop' });
    const setSpec = (spec: Partial<InsideSpec>, text: string) => {
      this.setNotice('');
      this.sendSpec(spec, { [Object.keys(spec)[0]]: text });
    };
    for (const key of ['dataset', 'activation', 'loss'] as const) e[key].onchange = () => setSpec({ [key]: e[key].value }, e[key].value);
    // A blank box is sent as null (NaN), refused as empty, never read as 0.
    const numberOf = (text: string) => (text.trim() === '' ? NaN : Number(text));
    for (const key of SPEC_INPUTS) e.specInputs[key].onchange = () => setSpec({ [key]: numberOf(e.specInputs[key].value) }, e.specInputs[key].value);
    e.hidden.onchange = () => setSpec({ hidden: e.hidden.value.split(',').map(numberOf) }, e.hidden.value);
    e.hiddenLayer.onchange = () => this.socket.send({ type: 'set_view', layer: Number(e.hiddenLayer.value) });
    e.dims.onchange = () => this.socket.send({ type: 'set_view', dims: Number(e.dims.value) });
    const surfaceView = () => {
      const directions = e.directions.value as 'random' | 'weights';
      e.root.classList.toggle('weight-axes', directions === 'weights');
      this.socket.send({ type: 'set_view', directions, first: Number(e.first.value), second: Number(e.second.value), extent: Number(e.extent.value) });
    };
    for (const select of [e.directions, e.first, e.second]) select.onchange = surfaceView;
    e.extent.oninput = () => (e.extentValue.textContent = e.extent.value);
    e.extent.onchange = surfaceView;

    const probe = (ev: MouseEvent) => {
      const at = this.boundary.pointAt(ev.clientX, ev.clientY);
      if (at) this.socket.send({ type: 'probe', ...at });
    };
    e.boundary.onmousemove = (ev) => !this.pinned && probe(ev);
    e.boundary.onclick = (ev) => {
      this.pinned = this.pinned ? null : this.boundary.pointAt(ev.clientX, ev.clientY);
      probe(ev);
      this.showPin();
    };

    window.addEventListener('keydown', (ev) => {
      const target = ev.target as HTMLElement;
      if (target.tagName === 'INPUT' || target.tagName === 'SELECT') return;
      if (ev.key === ' ') {
        ev.preventDefault();
        this.togglePlay();
      } else if (ev.key === 'q') {
        this.socket.send({ type: 'stop' });
      }
    });
  }

  private togglePlay(): void {
    const f = this.frame;
    // Play after q or after the last epoch starts a new run (docs/protocol.md): said as it happens.
    if (f && !f.running && (f.stopped || f.finished))
      this.setNotice(`a new run from epoch 0: the ${f.stopped ? 'stopped' : 'finished'} one ended at epoch ${f.epoch}`);
    this.socket.send({ type: f?.running ? 'pause' : 'play' });
  }

  /** Sends a set_spec; `typed` is the text behind its keys (a link's values are said as numbers). */
  private sendSpec(spec: Partial<InsideSpec>, typed: Record<string, string>): void {
    this.typed = Object.fromEntries(Object.entries(spec).map(([k, v]) => [k, typed[k] ?? (Array.isArray(v) ? v.join(',') : String(v))]));
    this.socket.send({ type: 'set_spec', spec });
  }

  private setNotice(text: string): void {
    this.els.notice.textContent = text;
  }

  /** The kept sample's marker on the boundary, where it was clicked. */
  private showPin(): void {
    const { pin } = this.els;
    const at = this.pinned;
    pin.hidden = !at || !this.domain;
    if (!at || !this.domain) return;
    const toPx = domainToPixel(this.domain, BOUNDARY, BOUNDARY);
    [pin.style.left, pin.style.top] = [`${toPx.x(at.x1)}px`, `${toPx.y(at.x2)}px`];
  }

  /** The header names the data set the run learns. */
  private showSubtitle(dataset: string): void {
    const subtitle = document.querySelector('.site-subtitle');
    if (subtitle) subtitle.textContent = `Inside: watch a small network learn ${dataset === 'xor4' ? 'XOR' : dataset}, from inside`;
  }
}
