// The Playground view: wires the socket's messages to the heatmap, the loss chart and the
// numbers, and the buttons to commands. All of its state lives in this object.

import { HeatmapView } from '../../lib/heatmap';
import { LossChart, LossHistory } from '../../lib/lossChart';
import {
  PROTOCOL_VERSION,
  decodeHeatmap,
  type ClientMessage,
  type ServerMessage,
  type StateMessage,
} from '../../lib/protocol';
import { NetlensSocket, type ConnectionState } from '../../lib/socket';
import { formatAccuracy, formatConnection, formatEpoch, formatLoss } from './format';
import { mountPlayground, type PlaygroundElements } from './markup';

const HEATMAP_SIZE_PX = 400;
const CHART_WIDTH_PX = 400;
const CHART_HEIGHT_PX = 140;

export class Playground {
  private readonly els: PlaygroundElements;
  private readonly heatmap: HeatmapView;
  private readonly chart: LossChart;
  private readonly losses = new LossHistory();
  private readonly socket: NetlensSocket;
  private connection: ConnectionState = { kind: 'connecting', attempt: 0 };
  private serverVersion: string | null = null;
  private latest: StateMessage | null = null;
  private renderQueued = false;

  constructor(root: HTMLElement, url: string) {
    this.els = mountPlayground(root);
    this.heatmap = new HeatmapView(this.els.heatmap, HEATMAP_SIZE_PX);
    this.chart = new LossChart(this.els.lossChart, CHART_WIDTH_PX, CHART_HEIGHT_PX);
    this.socket = new NetlensSocket(url, {
      onMessage: (m) => this.receive(m),
      onBinary: (data) => this.receiveHeatmap(data),
      onConnection: (s) => this.showConnection(s),
      onProtocolError: (e) => this.showError(`could not read a server message: ${e.message}`),
    });
    this.els.play.addEventListener('click', () => this.send({ type: this.running ? 'pause' : 'play' }));
    this.els.step.addEventListener('click', () => this.send({ type: 'step' }));
    this.els.reset.addEventListener('click', () => this.send({ type: 'reset' }));
    this.els.statusDismiss.addEventListener('click', () => this.clearError());
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

  private receive(m: ServerMessage): void {
    switch (m.type) {
      case 'hello':
        this.serverVersion = m.version;
        if (m.protocol !== PROTOCOL_VERSION) {
          this.showError(`the server speaks protocol ${m.protocol}, this page speaks ${PROTOCOL_VERSION}`);
        }
        this.showConnection(this.connection);
        break;
      case 'spec':
        this.heatmap.clear();
        this.heatmap.setDomain(m.domain);
        this.losses.clear();
        this.latest = null;
        this.els.specJson.textContent = JSON.stringify(m.spec, null, 2);
        this.showNumbers();
        this.scheduleRender();
        break;
      case 'data':
        this.heatmap.setPoints(m.train, m.test);
        this.scheduleRender();
        break;
      case 'state':
        this.latest = m;
        this.losses.add({ epoch: m.epoch, train: m.train_loss, test: m.test_loss });
        this.showNumbers();
        this.scheduleRender();
        break;
      case 'error':
        this.showError(m.message);
        break;
      case 'unknown':
        console.warn(`netlens: ignoring a server message of unknown type "${m.original_type}"`);
        break;
    }
  }

  private receiveHeatmap(data: ArrayBuffer): void {
    let hm;
    try {
      hm = decodeHeatmap(data);
    } catch (e) {
      this.showError((e as Error).message);
      return;
    }
    if (this.latest && hm.seq !== this.latest.seq) {
      console.warn(`netlens: heatmap seq ${hm.seq} follows state seq ${this.latest.seq}`);
    }
    this.heatmap.setHeatmap(hm);
    this.scheduleRender();
  }

  private showConnection(state: ConnectionState): void {
    this.connection = state;
    if (state.kind !== 'open') this.serverVersion = null;
    this.els.statusConnection.textContent = formatConnection(state, this.serverVersion);
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
    this.heatmap.render();
    this.chart.render(this.losses);
  }
}
