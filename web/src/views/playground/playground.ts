// The Playground view: wires the socket's messages to the graph, the output heatmap, the loss
// chart and the numbers, and every control to a command. The server's spec is the truth: a
// control sends a change, and the page shows what the server's next `spec` says. All state
// lives in this object; the URL hash mirrors it so a copied link reproduces the run.

import { HeatmapView } from '../../lib/heatmap';
import { LossChart, LossHistory } from '../../lib/lossChart';
import {
  PROTOCOL_VERSION,
  binaryKind,
  decodeCheckpoint,
  decodeFrame,
  decodeGif,
  type ClientMessage,
  type Frame,
  type HelloMessage,
  type ServerMessage,
  type SpecMessage,
  type StateMessage,
} from '../../lib/protocol';
import { NetlensSocket, type ConnectionState } from '../../lib/socket';
import { drawDatasetPreview } from './datasetPreview';
import { formatAccuracy, formatConnection, formatEpoch, formatLoss } from './format';
import { hideControls, mountPlayground, type PlaygroundElements } from './markup';
import { MAX_GRAPH_UNITS, NetworkGraph, type HiddenLayerSpec } from './networkGraph';
import { TimelinePanel } from './timeline';
import { parseHash, specForUrl, toHash, type RunOptions, type ViewOptions } from './urlState';
import { WideLayer } from './wideLayer';

const HEATMAP_SIZE_PX = 360;
const CHART_WIDTH_PX = 360;
const CHART_HEIGHT_PX = 110;
/** TensorFlow Playground's ladders. */
export const LEARNING_RATES = [0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
export const REGULARIZATION_RATES = [0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
export const EPOCHS_PER_FRAME = [1, 2, 5, 10, 20, 50, 100];

type Spec = Record<string, unknown>;

export class Playground {
  private readonly els: PlaygroundElements;
  private readonly heatmap: HeatmapView;
  private readonly chart: LossChart;
  private readonly losses = new LossHistory();
  private readonly graph: NetworkGraph;
  private readonly wide: WideLayer;
  private readonly socket: NetlensSocket;
  private readonly timeline: TimelinePanel;
  /** While scrubbing: the network and the chart's marker at the Timeline's position. */
  private scrubbed: { frame: Frame; epoch: number } | null = null;
  private connection: ConnectionState = { kind: 'connecting', attempt: 0 };
  private hello: HelloMessage | null = null;
  private spec: SpecMessage | null = null;
  private latest: StateMessage | null = null;
  private frame: Frame | null = null;
  /** What the URL asked for; sent again after each (re)connection, as the server starts fresh. */
  private wantedSpec: Spec;
  private runOptions: Partial<RunOptions>;
  private view: ViewOptions;
  private readonly hidden: Set<string>;
  private frameTimes: number[] = [];
  private framesReceived = 0;
  private renderQueued = false;
  private exportUrl: string | null = null;

  constructor(root: HTMLElement, url: string, hash: string) {
    this.els = mountPlayground(root);
    const { state, problems } = parseHash(hash);
    this.wantedSpec = state.spec;
    this.runOptions = state.run;
    this.view = { show_test: state.view.show_test ?? false, discretize: state.view.discretize ?? false };
    this.hidden = state.hidden;
    hideControls(this.els.root, this.hidden);
    this.heatmap = new HeatmapView(this.els.heatmap, HEATMAP_SIZE_PX);
    this.chart = new LossChart(this.els.lossChart, CHART_WIDTH_PX, CHART_HEIGHT_PX);
    this.graph = new NetworkGraph(this.els.network, {
      toggleFeature: (f) => this.toggleFeature(f),
      setHiddenLayers: (layers) => this.setSpec({ hidden_layers: layers }),
      editParam: (layer, unit, input, value) => this.send({ type: 'set_param', layer, unit, input, value }),
    });
    this.wide = new WideLayer(this.els.wide, {
      prune: (layer, count, by) => this.send({ type: 'prune', layer, count, by }),
    });
    this.timeline = new TimelinePanel(this.els, {
      send: (m) => this.send(m),
      show: (at) => {
        this.scrubbed = at;
        this.scheduleRender();
      },
    });
    this.socket = new NetlensSocket(url, {
      onMessage: (m) => this.receive(m),
      onBinary: (data) => this.receiveFrame(data),
      onConnection: (s) => this.showConnection(s),
      onProtocolError: (e) => this.showError(`could not read a server message: ${e.message}`),
    });
    this.wireControls();
    if (problems.length) this.showError(`link: ${problems.join('; ')}`);
    this.render();
  }

  start(): void {
    this.socket.connect();
  }

  stop(): void {
    this.socket.close();
  }

  private get running(): boolean {
    return this.latest?.running ?? false;
  }

  private send(message: ClientMessage): void {
    if (!this.socket.send(message)) this.showError(`not connected: "${message.type}" was not sent`);
  }

  private setSpec(changes: Spec): void {
    this.clearError();
    this.send({ type: 'set_spec', spec: changes });
  }

  // ---- controls ----

  private wireControls(): void {
    const e = this.els;
    e.play.addEventListener('click', () => {
      this.timeline.leave();
      this.send({ type: this.running ? 'pause' : 'play' });
    });
    e.step.addEventListener('click', () => this.send({ type: 'step' }));
    e.reset.addEventListener('click', () => this.send({ type: 'reset' }));
    e.statusDismiss.addEventListener('click', () => this.clearError());
    fillSelect(e.learningRate, LEARNING_RATES.map(String));
    fillSelect(e.regularizationRate, REGULARIZATION_RATES.map(String));
    fillSelect(e.epochsPerFrame, EPOCHS_PER_FRAME.map(String));
    e.learningRate.addEventListener('change', () => this.setSpec({ learning_rate: Number(e.learningRate.value) }));
    e.regularizationRate.addEventListener('change', () =>
      this.setSpec({ regularization_rate: Number(e.regularizationRate.value) }),
    );
    e.activation.addEventListener('change', () => this.setSpec({ activation: e.activation.value }));
    e.regularization.addEventListener('change', () => this.setSpec({ regularization: e.regularization.value }));
    e.optimizer.addEventListener('change', () => this.setSpec({ optimizer: e.optimizer.value }));
    e.loss.addEventListener('change', () => this.setSpec({ loss: e.loss.value }));
    e.problem.addEventListener('change', () => {
      const regression = e.problem.value === 'regression';
      const first = this.hello?.datasets.find((d) => d.problem === e.problem.value);
      // Regression trains with squared error only: switch the loss along with the data set.
      this.setSpec({ dataset: first?.name ?? (regression ? 'plane' : 'circle'), ...(regression ? { loss: 'squared_error' } : {}) });
    });
    e.epochsPerFrame.addEventListener('change', () => this.setRun({ epochs_per_frame: Number(e.epochsPerFrame.value) }));
    e.stopEpoch.addEventListener('change', () => this.setRun({ stop_epoch: Math.max(0, Math.round(Number(e.stopEpoch.value) || 0)) }));
    e.stopLoss.addEventListener('change', () => this.setRun({ stop_test_loss: Math.max(0, Number(e.stopLoss.value) || 0) }));
    // Enter commits a number box as leaving it does.
    for (const box of [e.stopEpoch, e.stopLoss]) box.addEventListener('keydown', (k) => k.key === 'Enter' && box.blur());
    e.newSeed.addEventListener('click', () => this.setSpec({ seed: randomSeed() }));
    e.regenerate.addEventListener('click', () => this.setSpec({ data_seed: randomSeed() }));
    e.trainRatio.addEventListener('input', () => (e.trainRatioValue.textContent = `${e.trainRatio.value}%`));
    e.trainRatio.addEventListener('change', () => this.setSpec({ train_ratio: Number(e.trainRatio.value) / 100 }));
    e.noise.addEventListener('input', () => (e.noiseValue.textContent = e.noise.value));
    e.noise.addEventListener('change', () => this.setSpec({ noise: Number(e.noise.value) }));
    e.batchSize.addEventListener('input', () => (e.batchSizeValue.textContent = e.batchSize.value));
    e.batchSize.addEventListener('change', () => this.setSpec({ batch_size: Number(e.batchSize.value) }));
    e.showTest.checked = this.view.show_test;
    e.discretize.checked = this.view.discretize;
    for (const box of [e.showTest, e.discretize]) {
      box.addEventListener('change', () => {
        this.view = { show_test: e.showTest.checked, discretize: e.discretize.checked };
        this.writeUrl();
        this.scheduleRender();
      });
    }
    e.heatmap.addEventListener('click', (ev) => this.addPoint(ev, false));
    e.heatmap.addEventListener('contextmenu', (ev) => {
      ev.preventDefault();
      this.addPoint(ev, true);
    });
    e.uploadCsv.addEventListener('change', () => this.uploadCsv());
    e.exportButton.addEventListener('click', () => this.send({ type: 'export' }));
    e.importFile.addEventListener('change', () => this.importModel());
    e.copyPytorch.addEventListener('click', () => void navigator.clipboard?.writeText(e.exportPytorch.textContent ?? ''));
    document.addEventListener('keydown', (k) => {
      const target = k.target as HTMLElement | null;
      if (k.key !== ' ' || target?.closest('input, select, textarea, button')) return;
      k.preventDefault();
      if (this.latest) this.send({ type: this.running ? 'pause' : 'play' });
    });
  }

  /** The next state says what the server took; the link follows it then. */
  private setRun(options: Partial<RunOptions>): void {
    this.send({ type: 'set_run', ...options });
  }

  private toggleFeature(feature: string): void {
    const active = (this.spec?.spec.features as string[] | undefined) ?? [];
    const next = active.includes(feature) ? active.filter((f) => f !== feature) : [...active, feature];
    if (next.length === 0) {
      this.showError('features: the network needs at least one input');
      return;
    }
    // Keep the server's feature order: the order of the full list.
    const order = this.hello?.features ?? next;
    this.setSpec({ features: order.filter((f) => next.includes(f)) });
  }

  private addPoint(ev: MouseEvent, otherClass: boolean): void {
    const at = this.heatmap.pointAt(ev.clientX, ev.clientY);
    if (!at || this.hidden.has('add_points')) return;
    const picked = Number((this.els.root.querySelector<HTMLInputElement>('input[name="click-class"]:checked'))?.value ?? 1);
    this.send({ type: 'add_point', x1: at.x1, x2: at.x2, label: otherClass ? -picked : picked });
  }

  private uploadCsv(): void {
    const file = this.els.uploadCsv.files?.[0];
    if (!file) return;
    void file.text().then((text) => {
      this.clearError();
      this.send({ type: 'upload_csv', name: file.name, text });
      this.els.uploadCsv.value = '';
    });
  }

  private importModel(): void {
    const file = this.els.importFile.files?.[0];
    if (!file) return;
    void file.text().then((text) => {
      this.els.importFile.value = '';
      let model: unknown;
      try {
        model = JSON.parse(text);
      } catch (e) {
        this.showError(`import: ${file.name} is not JSON: ${(e as Error).message}`);
        return;
      }
      if (typeof model !== 'object' || model === null || Array.isArray(model)) {
        this.showError(`import: ${file.name} must hold a JSON object`);
        return;
      }
      this.clearError();
      this.send({ type: 'import', model: model as Record<string, unknown> });
    });
  }

  // ---- messages ----

  private receive(m: ServerMessage): void {
    switch (m.type) {
      case 'hello':
        this.hello = m;
        if (m.protocol !== PROTOCOL_VERSION) {
          this.showError(`the server speaks protocol ${m.protocol}, this page speaks ${PROTOCOL_VERSION}`);
        }
        this.buildChoices(m);
        // A fresh session starts from the defaults: ask for the linked run again.
        if (Object.keys(this.wantedSpec).length) this.send({ type: 'set_spec', spec: this.wantedSpec });
        if (Object.keys(this.runOptions).length) this.send({ type: 'set_run', ...this.runOptions });
        this.showConnection(this.connection);
        break;
      case 'spec':
        this.showSpec(m);
        break;
      case 'data':
        this.heatmap.setPoints(m.train, m.test);
        this.scheduleRender();
        break;
      case 'state':
        this.showState(m);
        break;
      case 'export':
        this.showExport(m.model, m.pytorch);
        break;
      case 'timeline':
        this.timeline.setTimeline(m);
        break;
      case 'error':
        if (m.message.startsWith('checkpoint:')) this.timeline.requestFailed();
        if (m.message.startsWith('export_gif:')) this.timeline.gifFailed();
        this.showError(m.message);
        break;
      case 'unknown':
        console.warn(`netlens: ignoring a server message of unknown type "${m.original_type}"`);
        break;
    }
  }

  private buildChoices(hello: HelloMessage): void {
    const e = this.els;
    fillSelect(e.activation, hello.choices.activation);
    fillSelect(e.regularization, hello.choices.regularization);
    fillSelect(e.optimizer, hello.choices.optimizer);
    fillSelect(e.loss, hello.choices.loss);
    this.graph.setActivations(hello.choices.activation);
    e.datasets.innerHTML = '';
    for (const d of hello.datasets) {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'dataset';
      button.dataset.dataset = d.name;
      button.title = `${d.name} (${d.problem})`;
      const canvas = document.createElement('canvas');
      drawDatasetPreview(canvas, d.preview, 48, d.classes);
      const label = document.createElement('span');
      label.textContent = d.name.replace(/_/g, ' ');
      button.append(canvas, label);
      button.addEventListener('click', () => this.setSpec({ dataset: d.name }));
      e.datasets.append(button);
    }
  }

  private showSpec(m: SpecMessage): void {
    const newRun = this.spec?.run !== m.run;
    this.spec = m;
    const s = m.spec;
    this.wantedSpec = specForUrl(s);
    const e = this.els;
    e.specJson.textContent = JSON.stringify(s, null, 2);
    setSelect(e.learningRate, String(s.learning_rate));
    setSelect(e.regularizationRate, String(s.regularization_rate));
    setSelect(e.regularization, String(s.regularization));
    setSelect(e.optimizer, String(s.optimizer));
    setSelect(e.loss, String(s.loss));
    setSelect(e.problem, String(s.problem));
    for (const option of Array.from(e.loss.options)) option.disabled = s.problem === 'regression' && option.value !== 'squared_error';
    const layers = s.hidden_layers as HiddenLayerSpec[];
    const activations = new Set(layers.map((l) => l.activation));
    setSelect(e.activation, activations.size === 1 ? layers[0].activation : String(s.activation ?? ''));
    e.trainRatio.value = String(Math.round(Number(s.train_ratio) * 100));
    e.trainRatioValue.textContent = `${e.trainRatio.value}%`;
    e.noise.value = String(s.noise);
    e.noiseValue.textContent = String(s.noise);
    e.batchSize.value = String(s.batch_size);
    e.batchSizeValue.textContent = String(s.batch_size);
    e.seed.textContent = `${s.seed}`;
    for (const b of Array.from(e.datasets.querySelectorAll<HTMLElement>('.dataset'))) {
      b.classList.toggle('selected', !m.uploaded && b.dataset.dataset === s.dataset);
    }
    e.uploaded.hidden = !m.uploaded && !m.added_points;
    e.uploaded.textContent = [m.uploaded ? `points from ${m.uploaded}` : '', m.added_points ? `${m.added_points} added by clicking` : '']
      .filter(Boolean)
      .join('; ');
    const features = s.features as string[];
    const hello = this.hello;
    this.graph.setStructure(
      { names: hello?.features ?? features, maps: hello?.feature_maps ?? {}, size: hello?.unit_grid ?? 0 },
      features,
      layers,
      m.layers,
    );
    this.wide.setStructure(features.length, layers.map((l) => l.units), m.layers, MAX_GRAPH_UNITS);
    this.heatmap.setDomain(m.domain);
    this.heatmap.setClasses(m.classes);
    if (newRun) {
      this.heatmap.clear();
      this.losses.clear();
      this.latest = null;
      this.frame = null;
    }
    this.writeUrl();
    this.showNumbers();
    this.scheduleRender();
  }

  private showState(m: StateMessage): void {
    this.latest = m;
    this.losses.add({ epoch: m.epoch, train: m.train_loss, test: m.test_loss });
    const run = { epochs_per_frame: m.epochs_per_frame, stop_epoch: m.stop_epoch, stop_test_loss: m.stop_test_loss };
    const runChanged = JSON.stringify(run) !== JSON.stringify(this.runOptions);
    this.runOptions = run;
    if (runChanged) this.writeUrl();
    setSelect(this.els.epochsPerFrame, String(m.epochs_per_frame));
    if (document.activeElement !== this.els.stopEpoch) this.els.stopEpoch.value = m.stop_epoch ? String(m.stop_epoch) : '';
    if (document.activeElement !== this.els.stopLoss) this.els.stopLoss.value = m.stop_test_loss ? String(m.stop_test_loss) : '';
    if (m.stopped) this.els.notice.textContent = `paused: ${m.stopped}`;
    else if (m.running) this.els.notice.textContent = '';
    this.showConfusion(m.confusion);
    this.showNumbers();
    this.scheduleRender();
  }

  private receiveFrame(data: ArrayBuffer): void {
    let frame: Frame;
    try {
      const kind = binaryKind(data);
      if (kind === 'NLCP') return this.timeline.receive(decodeCheckpoint(data));
      if (kind === 'NLGF') {
        const { gif, frames } = decodeGif(data);
        return this.timeline.receiveGif(gif, frames);
      }
      frame = decodeFrame(data);
    } catch (e) {
      this.showError((e as Error).message);
      return;
    }
    this.frame = frame;
    this.heatmap.setHeatmap(frame.output);
    this.framesReceived++;
    this.els.heatmap.dataset.frames = String(this.framesReceived);
    const now = performance.now();
    this.frameTimes.push(now);
    while (this.frameTimes.length && this.frameTimes[0] < now - 1000) this.frameTimes.shift();
    this.scheduleRender();
  }

  private showExport(model: Record<string, unknown>, pytorch: string): void {
    const e = this.els;
    if (this.exportUrl) URL.revokeObjectURL(this.exportUrl);
    this.exportUrl = URL.createObjectURL(new Blob([JSON.stringify(model, null, 1)], { type: 'application/json' }));
    e.exportJson.href = this.exportUrl;
    e.exportPytorch.textContent = pytorch;
    e.exportPanel.hidden = false;
  }

  /** The test set's confusion matrix: rows are true classes, columns predicted ones. */
  private showConfusion(confusion: number[][] | undefined): void {
    const table = this.els.confusion;
    table.hidden = !confusion;
    if (!confusion) return;
    const k = confusion.length;
    const name = (c: number) => (k === 2 ? (c === 0 ? '−1' : '+1') : String(c));
    const head = table.tHead!.rows[0];
    if (head.cells.length !== k + 1 || table.tBodies[0].rows.length !== k) {
      head.innerHTML = '<th>true \\ predicted</th>' + confusion.map((_, c) => `<th>${name(c)}</th>`).join('');
      table.tBodies[0].innerHTML = confusion.map((_, r) => `<tr><th>${name(r)}</th>${'<td></td>'.repeat(k)}</tr>`).join('');
    }
    const cells = table.querySelectorAll('tbody td');
    confusion.flat().forEach((n, i) => (cells[i].textContent = String(n)));
  }

  private writeUrl(): void {
    const hash = toHash({ spec: this.wantedSpec, run: this.runOptions, view: this.view, hidden: this.hidden });
    if (hash !== window.location.hash) history.replaceState(null, '', hash);
  }

  private showConnection(state: ConnectionState): void {
    this.connection = state;
    const version = state.kind === 'open' ? (this.hello?.version ?? null) : null;
    this.els.statusConnection.textContent = formatConnection(state, version);
    this.els.status.dataset.connection = state.kind;
    this.showButtons();
  }

  /** Shows an error in the status line; the page goes on working. */
  private showError(message: string): void {
    this.els.statusErrorText.textContent = `error: ${message}`;
    this.els.statusError.hidden = false;
  }

  private clearError(): void {
    this.els.statusErrorText.textContent = '';
    this.els.statusError.hidden = true;
  }

  private showNumbers(): void {
    const s = this.latest;
    const { els } = this;
    els.epoch.textContent = formatEpoch(s?.epoch ?? 0);
    els.trainLoss.textContent = s ? formatLoss(s.train_loss) : '–';
    els.testLoss.textContent = s ? formatLoss(s.test_loss) : '–';
    // The exact value, for a reader that needs more than three decimals.
    els.testLoss.dataset.value = s ? String(s.test_loss) : '';
    els.trainAccuracy.textContent = formatAccuracy(s?.train_accuracy);
    els.testAccuracy.textContent = formatAccuracy(s?.test_accuracy);
    const hasAccuracy = s?.train_accuracy !== undefined || s?.test_accuracy !== undefined;
    for (const row of els.accuracyRows) row.hidden = !hasAccuracy;
    this.showButtons();
  }

  private showButtons(): void {
    const { play, playLabel, step, reset } = this.els;
    const usable = this.connection.kind === 'open' && this.latest !== null;
    for (const b of [play, step, reset]) b.disabled = !usable;
    const running = usable && this.running;
    play.setAttribute('aria-pressed', String(running));
    play.classList.toggle('playing', running);
    playLabel.textContent = running ? 'Pause' : 'Play';
  }

  /** Drawing waits for the next animation frame, so a burst of frames costs one draw. */
  private scheduleRender(): void {
    if (this.renderQueued) return;
    this.renderQueued = true;
    requestAnimationFrame(() => {
      this.renderQueued = false;
      this.render();
    });
  }

  private render(): void {
    this.heatmap.setOptions({ discretize: this.view.discretize, showTest: this.view.show_test });
    this.heatmap.render();
    this.chart.render(this.losses, this.scrubbed?.epoch);
    const frame = this.scrubbed?.frame ?? this.frame;
    if (frame && this.latest) {
      this.graph.update(frame, this.latest.pruned);
      this.wide.update(frame, this.latest.pruned);
    }
    this.els.fps.textContent = this.frameTimes.length ? String(this.frameTimes.length) : '–';
  }
}

function fillSelect(select: HTMLSelectElement, values: string[]): void {
  const current = select.value;
  select.innerHTML = '';
  for (const v of values) select.append(new Option(v, v));
  if (values.includes(current)) select.value = current;
}

/** Selects `value`, adding it as an option when the list does not hold it (a value from a link). */
function setSelect(select: HTMLSelectElement, value: string): void {
  if (!Array.from(select.options).some((o) => o.value === value)) select.append(new Option(value, value));
  select.value = value;
}

function randomSeed(): number {
  return Math.floor(Math.random() * 1_000_000);
}
