// The Playground view: wires the socket's messages to the graph, the output heatmap, the loss
// chart and the numbers (controls.ts turns every control into a command). The server's spec is
// the truth: a control sends a change, and the page shows what the server's next `spec` says.
// All state lives in this object; the URL hash mirrors it so a copied link reproduces the run.

import { History, LineChart } from '../../lib/chart';
import { HeatmapView } from '../../lib/heatmap';
import { ViewSocket, socketUrl } from '../../lib/socket';
import { StatusLine } from '../../lib/statusLine';
import type { MessageOf, ServerError } from '../../lib/wire';
import { offerRescale, toggledFeatures, wireControls } from './controls';
import { showClassLegend } from './classLegend';
import { showClassPicker } from './classPicker';
import { showConfusion } from './confusion';
import { LinkRequest } from './link';
import { formatEpoch } from './format';
import { FrameRate } from './frameRate';
import type { Binary, Frame } from './frames';
import { hideControls, mountPlayground, type PlaygroundElements } from './markup';
import { PLAYGROUND, type ClientMessage, type HelloMessage, type MESSAGES, type SpecMessage, type StateMessage } from './messages';
import { MAX_GRAPH_UNITS, NetworkGraph } from './networkGraph';
import { SavedRunOffer } from './savedRun';
import {
  disableTrainingControls,
  fillChoices,
  showHealth,
  showLossNote,
  showNotice,
  showExport,
  showNumbers,
  showResumeOffer,
  showRunControls,
  showSpecControls,
} from './statePanels';
import { TimelinePanel } from './timeline';
import { parseHash, specForUrl, splitIngest, toHash, type RunOptions, type ViewOptions } from './urlState';
import { WideLayer } from './wideLayer';

const HEATMAP_SIZE_PX = 360;
const CHART_WIDTH_PX = 360;
const CHART_HEIGHT_PX = 96;

type Spec = Record<string, unknown>;

export class Playground {
  private readonly els: PlaygroundElements;
  private readonly status: StatusLine;
  private readonly heatmap: HeatmapView;
  private readonly chart: LineChart;
  private readonly losses = new History();
  private readonly graph: NetworkGraph;
  private readonly wide: WideLayer;
  private readonly socket: ViewSocket<typeof MESSAGES, Binary, ClientMessage>;
  private readonly timeline: TimelinePanel;
  private readonly savedRun: SavedRunOffer;
  /** While scrubbing: the network and the chart's marker at the Timeline's position. */
  private scrubbed: { frame: Frame; epoch: number } | null = null;
  private hello: HelloMessage | null = null;
  private spec: SpecMessage | null = null;
  private latest: StateMessage | null = null;
  private frame: Frame | null = null;
  /** What the URL asked for; sent again after each (re)connection, as the server starts fresh. */
  private wantedSpec: Spec;
  private runOptions: Partial<RunOptions>;
  private view: ViewOptions;
  private readonly hidden: Set<string>;
  private readonly link: LinkRequest;
  /** The hash this page last wrote: a hashchange to another one is the user's edit. */
  private writtenHash = '';
  private readonly frameRate = new FrameRate();
  private renderQueued = false;
  private exportUrl: string | null = null;
  /** A saved run the link names (#run=NAME), opened once the first session greets. */
  private savedRunToOpen: string | undefined;
  /** An import was sent: the run it starts has no loss history before the model's epoch. */
  private importSent = false;
  /** The ingested run the link asks to follow (#ingest=RUN), and the one the server follows. */
  private readonly ingest: string | null;
  private following: string | null = null;

  constructor(root: HTMLElement, location: Location) {
    this.els = mountPlayground(root);
    this.status = new StatusLine(this.els.status);
    this.status.onConnection = () => this.showButtons();
    const { ingest, rest } = splitIngest(location.hash);
    this.ingest = ingest;
    const { state, problems } = parseHash(rest);
    this.wantedSpec = state.spec;
    this.savedRunToOpen = state.savedRun;
    this.runOptions = state.run;
    this.view = { show_test: state.view.show_test ?? false, discretize: state.view.discretize ?? false };
    this.hidden = state.hidden;
    hideControls(this.els.root, this.hidden);
    this.link = new LinkRequest(
      (spec) => this.socket.send({ type: 'set_spec', spec }),
      (list) => this.status.error(`link: ${list.join('; ')}`),
    );
    window.addEventListener('hashchange', () => this.followHash());
    this.heatmap = new HeatmapView(this.els.heatmap, HEATMAP_SIZE_PX);
    const names = ['train loss', 'test loss'];
    this.chart = new LineChart(this.els.lossChart, { width: CHART_WIDTH_PX, height: CHART_HEIGHT_PX, scale: 'linear', label: (s) => names[s] });
    this.graph = new NetworkGraph(this.els.network, {
      toggleFeature: (f) => this.toggleFeature(f),
      problem: (message) => this.status.error(message),
      setHiddenLayers: (layers) => this.setSpec({ hidden_layers: layers }),
      editParam: (layer, unit, input, value) => this.socket.send({ type: 'set_param', layer, unit, input, value }),
      hoverNode: () => this.scheduleRender(),
    });
    this.wide = new WideLayer(this.els.wide, {
      prune: (layer, count, by) => this.socket.send({ type: 'prune', layer, count, by }),
    });
    this.timeline = new TimelinePanel(this.els, {
      send: (m) => this.socket.send(m),
      show: (at) => {
        this.scrubbed = at;
        this.scheduleRender();
      },
    });
    this.savedRun = new SavedRunOffer(
      () => this.socket.send({ type: 'list_runs' }),
      (run) => showResumeOffer(this.els, run),
    );
    this.els.resumeRun.addEventListener('click', () => {
      const run = this.els.resume.dataset.run;
      this.savedRun.cancel();
      if (run) this.replaceRun({ type: 'open_run', run });
    });
    this.socket = new ViewSocket(
      socketUrl(location, PLAYGROUND.path),
      PLAYGROUND,
      { message: (m) => this.receive(m), binary: (b) => this.receiveBinary(b) },
      this.status,
    );
    wireControls(
      this.els,
      this.heatmap,
      {
        send: (m) => this.send(m),
        setSpec: (changes) => this.setSpec(changes),
        setRun: (options) => this.socket.send({ type: 'set_run', ...options }),
        setView: (view) => {
          this.view = view;
          this.writeUrl();
          this.scheduleRender();
        },
        togglePlay: () => {
          if (!this.latest) return;
          this.timeline.leave();
          this.socket.send({ type: this.running ? 'pause' : 'play' });
        },
        firstDataset: (problem) => this.hello?.datasets.find((d) => d.problem === problem)?.name,
        error: (message) => this.status.error(message),
        clearError: () => this.status.clearError(),
        canAddPoints: () => !this.hidden.has('add_points'),
        maxMessageBytes: () => this.hello?.max_message_bytes,
      },
      this.view,
    );
    this.link.read(problems);
    this.render();
  }

  /** An edited hash in the address bar: the page follows it, as a new link. */
  private followHash(): void {
    if (window.location.hash === this.writtenHash) return;
    const { state, problems } = parseHash(window.location.hash);
    this.runOptions = state.run;
    this.view = { show_test: state.view.show_test ?? false, discretize: state.view.discretize ?? false };
    this.els.showTest.checked = this.view.show_test;
    this.els.discretize.checked = this.view.discretize;
    this.hidden.clear();
    for (const c of state.hidden) this.hidden.add(c);
    hideControls(this.els.root, this.hidden);
    this.status.clearError();
    this.link.read(problems);
    this.link.ask(state.spec);
    if (Object.keys(this.runOptions).length) this.socket.send({ type: 'set_run', ...this.runOptions });
    this.scheduleRender();
  }

  start(): void {
    this.socket.connect();
  }

  stop(): void {
    this.socket.close();
  }

  private send(m: ClientMessage): void {
    if (m.type === 'import') this.importSent = true;
    this.socket.send(m);
  }

  private get running(): boolean {
    return this.latest?.running ?? false;
  }

  private setSpec(changes: Spec): void {
    this.replaceRun({ type: 'set_spec', spec: changes });
  }

  /** A command that replaces the run (its answer is a spec or an error): the old error goes. */
  private replaceRun(m: ClientMessage): void {
    this.status.clearError();
    this.socket.send(m);
  }

  private toggleFeature(feature: string): void {
    if (this.hidden.has('features')) return; // classroom mode: the inputs are the teacher's
    const next = toggledFeatures(this.spec?.spec.features ?? [], feature, this.hello?.features);
    if (next.length === 0) return this.status.error('features: the network needs at least one input');
    this.setSpec({ features: next });
  }

  // ---- messages ----

  private receive(m: MessageOf<typeof MESSAGES>): void {
    switch (m.type) {
      case 'hello':
        // A new session after a lost one: what went wrong there is past.
        if (this.hello) this.status.clearError();
        this.hello = m;
        this.savedRun.connected();
        this.buildChoices(m);
        // A fresh session starts from the defaults: follow the ingested run the link names, open
        // its saved run, or ask for the linked spec again.
        if (this.ingest) {
          this.socket.send({ type: 'open_run', run: this.ingest, follow: true });
        } else if (this.savedRunToOpen !== undefined) {
          this.replaceRun({ type: 'open_run', run: this.savedRunToOpen });
          this.savedRunToOpen = undefined; // the hash now follows the opened run's spec
        } else {
          this.link.ask(this.wantedSpec, true);
        }
        if (Object.keys(this.runOptions).length) this.socket.send({ type: 'set_run', ...this.runOptions });
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
        this.exportUrl = showExport(this.els, m.model, m.pytorch, this.exportUrl);
        break;
      case 'timeline':
        this.timeline.setTimeline(m);
        break;
      case 'runs':
        this.savedRun.runs(m);
        break;
      case 'error':
        this.showServerError(m);
        break;
    }
  }

  /** The request an error answers (its `command`) learns of it; the status line shows it. */
  private showServerError(m: ServerError): void {
    if (m.command === 'checkpoint') this.timeline.requestFailed();
    if (m.command === 'export_gif') this.timeline.gifFailed();
    if (m.command === 'import') this.importSent = false;
    if (m.command === 'upload_csv') offerRescale(this.els, m.message);
    if (m.command === 'set_spec' && this.link.refused(m.message)) return;
    this.status.error(m.message);
    if (m.command === 'set_spec' && this.spec) this.showSpec(this.spec); // the controls show what the run uses
  }

  private buildChoices(hello: HelloMessage): void {
    fillChoices(this.els, hello, (dataset) => this.setSpec({ dataset }));
    this.graph.setActivations(hello.choices.activation);
  }

  private showSpec(m: SpecMessage): void {
    const newRun = this.spec?.run !== m.run;
    this.link.spec();
    this.spec = m;
    const s = m.spec;
    this.wantedSpec = specForUrl(s, Boolean(m.uploaded));
    showSpecControls(this.els, m);
    const features = s.features;
    const layers = s.hidden_layers;
    const hello = this.hello;
    this.graph.setStructure(
      { names: hello?.features ?? features, maps: hello?.feature_maps ?? {}, size: hello?.unit_grid ?? 0 },
      features,
      layers,
      m.layers,
      m.classes,
    );
    hideControls(this.els.root, this.hidden); // the graph's controls are new
    this.wide.setStructure(features.length, layers.map((l) => l.units), m.layers, MAX_GRAPH_UNITS);
    this.heatmap.setDomain(m.domain);
    this.heatmap.setClasses(m.classes);
    showClassLegend(this.els.scaleLegend, m.classes);
    showClassPicker(this.els.clickClasses, m.classes);
    this.timeline.setClasses(m.classes);
    if (newRun) {
      showHealth(this.els.health, '');
      showLossNote(this.els.lossNote, this.importSent ? 'imported' : '');
      this.importSent = false;
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
    this.timeline.setLiveEpoch(m.epoch);
    const spec = this.spec;
    // Uploaded and added points are not saved with a run: such a run is not offered again.
    this.savedRun.trained(spec && !spec.uploaded && !spec.added_points ? { spec: spec.spec, epoch: m.epoch } : null);
    if (m.epoch === 0) showLossNote(this.els.lossNote, '');
    else if (this.els.lossNote.dataset.note === 'imported' && this.losses.length === 0)
      this.els.lossNote.textContent = `The model file holds no loss history: the chart starts at its epoch ${formatEpoch(m.epoch)}.`;
    this.losses.add(m.epoch, [m.train_loss, m.test_loss]);
    const run = { epochs_per_frame: m.epochs_per_frame, stop_epoch: m.stop_epoch, stop_test_loss: m.stop_test_loss };
    const runChanged = JSON.stringify(run) !== JSON.stringify(this.runOptions);
    this.runOptions = run;
    if (runChanged) this.writeUrl();
    showRunControls(this.els, m);
    this.following = m.following ?? null;
    showNotice(this.els.notice, m);
    // The server says it once per run; it stays until the run starts over.
    if (m.notice) showHealth(this.els.health, m.notice);
    else if (m.epoch === 0) showHealth(this.els.health, '');
    showConfusion(this.els.confusion, m.confusion);
    this.showNumbers();
    this.scheduleRender();
  }

  private receiveBinary(b: Binary): void {
    if (b.kind === 'checkpoint') return this.timeline.receive(b.view);
    if (b.kind === 'gif') return this.timeline.receiveGif(b.gif);
    this.frame = b.frame;
    this.heatmap.setHeatmap(b.frame.output);
    this.els.heatmap.dataset.frames = String(this.frameRate.received(performance.now()));
    this.scheduleRender();
  }

  private writeUrl(): void {
    if (this.ingest) return; // the link names the followed run, not a spec
    const hash = toHash({ spec: this.wantedSpec, run: this.runOptions, view: this.view, hidden: this.hidden });
    this.writtenHash = hash;
    if (hash !== window.location.hash) history.replaceState(null, '', hash);
  }

  private showNumbers(): void {
    showNumbers(this.els, this.latest);
    this.showButtons();
  }

  private showButtons(): void {
    const { play, playLabel, step, reset } = this.els;
    const usable = this.status.connected && this.latest !== null && !this.following;
    for (const b of [play, step, reset]) b.disabled = !usable;
    disableTrainingControls(this.els.root, this.following !== null);
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
    // Scrubbing the Timeline shows that checkpoint's output here, in the live colours.
    const shown = this.scrubbed?.frame ?? this.frame;
    // A hovered node's map takes the output's place, as in TensorFlow Playground.
    if (shown) this.heatmap.setHeatmap(this.graph.hoveredMap(shown) ?? shown.output);
    this.heatmap.setOptions({ discretize: this.view.discretize, showTest: this.view.show_test });
    this.heatmap.render();
    this.chart.render(this.losses, this.scrubbed?.epoch);
    const frame = this.scrubbed?.frame ?? this.frame;
    if (frame && this.latest) {
      this.graph.update(frame, this.latest.pruned, this.latest.dead_links);
      this.wide.update(frame, this.latest.pruned);
    }
    this.els.fps.textContent = this.frameRate.text();
  }
}
