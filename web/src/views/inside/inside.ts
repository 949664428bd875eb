// The Inside view: a small network learning XOR (or another 2D set) by gradient descent, seen
// from inside: its nodes for one sample, loss and gradient norms over time, the decision
// boundary, the hidden feature space with its linear separator and warped grid, and the loss
// surface with the descent path. Keyboard: space plays or pauses, q stops the run.

import { HeatmapView } from '../../lib/heatmap';
import type { Domain, Point } from '../../lib/protocol';
import { ArchitectureView } from './architecture';
import { HiddenView } from './hiddenView';
import {
  paramNames,
  parseFramePictures,
  parseInsideMessage,
  specFromQuery,
  type FrameMessage,
  type FramePictures,
  type InsideClientMessage,
  type InsideServerMessage,
  type InsideSpec,
  type LayerShape,
} from './protocol';
import { Series, SeriesChart } from './seriesChart';
import { SurfaceView } from './surfaceView';

const MARKUP = `
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
  <div class="inside-status"><span id="status">connecting…</span> <span id="figures"></span> <span id="error" class="error"></span></div>
  <main class="inside">
    <section class="panel"><h3>Network <small id="sample"></small></h3><div id="architecture"></div></section>
    <section class="panel"><h3>Decision boundary <small>hover: that sample's nodes; click: keep it</small></h3><div id="boundary-host"><canvas id="boundary"></canvas></div></section>
    <section class="panel"><h3>Loss</h3><div id="loss-chart"></div><h3>Gradient norm per layer</h3><div id="grad-chart"></div></section>
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

const SPEC_INPUTS = ['noise', 'learning_rate', 'seed', 'epochs', 'refresh'] as const;

export class InsideView {
  private ws: WebSocket | null = null;
  private layers: LayerShape[] = [];
  private points: Point[] = [];
  private frame: FrameMessage | null = null;
  // Recent frames by seq: a frame's pictures may arrive after newer frames (a slow socket keeps
  // only the newest pictures), and are drawn with the frame they belong to.
  private recent = new Map<number, FrameMessage>();
  private pinned = false;
  private readonly losses = new Series();
  private readonly grads = new Series();
  private readonly architecture: ArchitectureView;
  private readonly boundary: HeatmapView;
  private readonly lossChart: SeriesChart;
  private readonly gradChart: SeriesChart;
  private readonly hidden: HiddenView;
  private readonly surface: SurfaceView;
  private readonly initial: Partial<InsideSpec>;

  constructor(
    private readonly root: HTMLElement,
    private readonly url: string,
    query: string,
  ) {
    root.innerHTML = MARKUP;
    this.initial = specFromQuery(query);
    this.architecture = new ArchitectureView(this.el('architecture'), 440, 300);
    // A dark outline: a point of a class sits on its own colour once it is learnt.
    this.boundary = new HeatmapView(this.el('boundary') as HTMLCanvasElement, 300, { pointRadius: 6, trainStroke: '#222', testStroke: '#222' });
    this.lossChart = new SeriesChart(this.el('loss-chart'), 340, 140, () => 'training loss');
    this.gradChart = new SeriesChart(this.el('grad-chart'), 340, 140, (s) => `‖∇ layer ${s + 1}‖`);
    this.hidden = new HiddenView(this.el('hidden-2d'), this.el('hidden-3d'), 340);
    this.surface = new SurfaceView(this.el('surface'), 360);
    this.bindControls();
  }

  start(): void {
    const ws = new WebSocket(this.url);
    ws.binaryType = 'arraybuffer';
    ws.onopen = () => this.text('status', 'connected');
    ws.onmessage = (e) => {
      if (typeof e.data === 'string') this.onMessage(parseInsideMessage(e.data));
      else this.onPictures(parseFramePictures(e.data as ArrayBuffer));
    };
    ws.onclose = () => {
      this.text('status', 'disconnected, reload the page to start again');
      this.root.dataset.state = 'closed';
    };
    this.ws = ws;
  }

  private send(m: InsideClientMessage): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(m));
  }

  private onMessage(m: InsideServerMessage): void {
    switch (m.type) {
      case 'hello':
        this.fillSelect('dataset', m.datasets);
        this.fillSelect('activation', m.activations);
        this.fillSelect('loss', m.losses);
        if (Object.keys(this.initial).length > 0) this.send({ type: 'set_spec', spec: this.initial });
        return;
      case 'run':
        this.layers = m.layers;
        this.points = m.points;
        this.pinned = false;
        this.losses.clear();
        this.grads.clear();
        this.showSpec(m.spec, m.layers);
        this.boundary.setDomain(m.domain as Domain);
        this.boundary.setPoints(m.points, []);
        this.root.dataset.run = String(m.run);
        return;
      case 'frame':
        this.onFrame(m);
        return;
      case 'error':
        this.text('error', m.message);
        return;
    }
  }

  private onFrame(f: FrameMessage): void {
    this.frame = f;
    this.recent.set(f.seq, f);
    this.recent.delete(f.seq - 64);
    this.losses.add(f.epoch, [f.loss ?? NaN]);
    this.grads.add(f.epoch, f.gradient_norms);
    this.lossChart.render(this.losses);
    this.gradChart.render(this.grads);
    this.architecture.show(this.layers, f);
    const state = f.running ? 'training' : f.stopped ? 'stopped' : f.finished ? 'finished' : 'paused';
    this.el('play').textContent = f.running ? 'pause' : 'play';
    this.text('status', state);
    const separator = f.hidden.separator ? `  separator accuracy ${(100 * f.hidden.separator.accuracy).toFixed(1)} %` : '';
    this.text(
      'figures',
      `epoch ${f.epoch} / ${f.epochs}  loss ${f.loss === null ? '—' : f.loss.toPrecision(4)}  accuracy ${(100 * f.accuracy).toFixed(0)} %${separator}`,
    );
    this.text('sample', `sample (${f.nodes.x1.toFixed(2)}, ${f.nodes.x2.toFixed(2)})${this.pinned ? ', kept' : ''}`);
    this.text('error', '');
    Object.assign(this.root.dataset, {
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
    this.boundary.setHeatmap({ seq: p.seq, width: p.boundary.shape[1], height: p.boundary.shape[0], maps: 1, values: p.boundary.values });
    this.boundary.render();
    const labels = this.points.map((q) => q[2]);
    const shown = this.hidden.show(p, f.hidden, labels);
    this.el('hidden-2d').hidden = shown !== '2d';
    this.el('hidden-3d').hidden = shown !== '3d';
    this.text('hidden-error', f.hidden.error ?? '');
    const h = f.hidden;
    const explained = h.projected && h.explained ? `, PCA of ${h.units} units (${h.explained.map((e) => `${(100 * e).toFixed(0)} %`).join(', ')})` : '';
    this.text('hidden-info', h.separator ? `layer ${h.layer + 1}${explained}: separator ${(100 * h.separator.accuracy).toFixed(1)} %` : '');
    this.surface.show(p, f.surface.extent);
    const names = paramNames(this.layers);
    const axes = f.surface.directions === 'weights' ? `${names[f.surface.first]} and ${names[f.surface.second]}` : 'd1 and d2';
    this.text('surface-info', `around the current weights, along ${axes}`);
    this.root.dataset.pictures = String(p.seq);
  }

  private showSpec(spec: InsideSpec, layers: LayerShape[]): void {
    (this.el('dataset') as HTMLSelectElement).value = spec.dataset;
    (this.el('activation') as HTMLSelectElement).value = spec.activation;
    (this.el('loss') as HTMLSelectElement).value = spec.loss;
    (this.el('hidden') as HTMLInputElement).value = spec.hidden.join(',');
    for (const key of SPEC_INPUTS) (this.el(key) as HTMLInputElement).value = String(spec[key]);
    this.el('noise').parentElement!.hidden = spec.dataset === 'xor4';
    this.fillSelect('hidden-layer', spec.hidden.map((units, i) => `${i + 1} (${units} units)`), spec.hidden.map((_, i) => String(i)));
    (this.el('hidden-layer') as HTMLSelectElement).value = String(spec.hidden.length - 1);
    const names = paramNames(layers);
    const indices = names.map((_, i) => String(i));
    this.fillSelect('first', names, indices);
    this.fillSelect('second', names, indices);
    (this.el('second') as HTMLSelectElement).value = '1';
  }

  private bindControls(): void {
    this.el('play').onclick = () => this.togglePlay();
    this.el('step').onclick = () => this.send({ type: 'step' });
    this.el('reset').onclick = () => this.send({ type: 'reset' });
    this.el('stop').onclick = () => this.send({ type: 'stop' });
    for (const key of ['dataset', 'activation', 'loss'] as const)
      this.el(key).onchange = (e) => this.send({ type: 'set_spec', spec: { [key]: (e.target as HTMLSelectElement).value } });
    for (const key of SPEC_INPUTS)
      this.el(key).onchange = (e) => this.send({ type: 'set_spec', spec: { [key]: Number((e.target as HTMLInputElement).value) } });
    this.el('hidden').onchange = (e) => {
      const units = (e.target as HTMLInputElement).value.split(',').map(Number);
      this.send({ type: 'set_spec', spec: { hidden: units } });
    };
    this.el('hidden-layer').onchange = (e) => this.send({ type: 'set_view', layer: Number((e.target as HTMLSelectElement).value) });
    this.el('dims').onchange = (e) => this.send({ type: 'set_view', dims: Number((e.target as HTMLSelectElement).value) });
    const surfaceView = () => {
      const directions = (this.el('directions') as HTMLSelectElement).value as 'random' | 'weights';
      this.root.classList.toggle('weight-axes', directions === 'weights');
      this.send({
        type: 'set_view',
        directions,
        first: Number((this.el('first') as HTMLSelectElement).value),
        second: Number((this.el('second') as HTMLSelectElement).value),
        extent: Number((this.el('extent') as HTMLInputElement).value),
      });
    };
    for (const id of ['directions', 'first', 'second']) this.el(id).onchange = surfaceView;
    this.el('extent').oninput = () => this.text('extent-value', (this.el('extent') as HTMLInputElement).value);
    this.el('extent').onchange = surfaceView;

    const canvas = this.el('boundary');
    canvas.onmousemove = (e) => {
      if (this.pinned) return;
      const at = this.boundary.pointAt(e.clientX, e.clientY);
      if (at) this.send({ type: 'probe', ...at });
    };
    canvas.onclick = (e) => {
      this.pinned = !this.pinned;
      const at = this.boundary.pointAt(e.clientX, e.clientY);
      if (at) this.send({ type: 'probe', ...at });
    };

    window.addEventListener('keydown', (e) => {
      const target = e.target as HTMLElement;
      if (target.tagName === 'INPUT' || target.tagName === 'SELECT') return;
      if (e.key === ' ') {
        e.preventDefault();
        this.togglePlay();
      } else if (e.key === 'q') {
        this.send({ type: 'stop' });
      }
    });
  }

  private togglePlay(): void {
    this.send({ type: this.frame?.running ? 'pause' : 'play' });
  }

  private fillSelect(id: string, labels: string[], values: string[] = labels): void {
    const select = this.el(id) as HTMLSelectElement;
    select.replaceChildren(...labels.map((label, i) => new Option(label, values[i])));
  }

  private el(id: string): HTMLElement {
    const e = this.root.querySelector<HTMLElement>(`#${id}`);
    if (!e) throw new Error(`inside: no #${id}`);
    return e;
  }

  private text(id: string, t: string): void {
    this.el(id).textContent = t;
  }
}
