// The Playground's controls: every button, select, slider, box and key turned into a command
// for the server (through the page's `PlaygroundActions`). The page shows what the server's next
// `spec` or `state` says, never what a control asked for.

import { fillSelect } from '../../lib/dom';
import type { HeatmapView } from '../../lib/heatmap';
import { pickedLabel } from './classPicker';
import { formatBytes } from './format';
import type { PlaygroundElements } from './markup';
import type { ClientMessage } from './messages';
import type { RunOptions, ViewOptions } from './urlState';

/** TensorFlow Playground's ladders. */
export const LEARNING_RATES = [0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
export const REGULARIZATION_RATES = [0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
export const EPOCHS_PER_FRAME = [1, 2, 5, 10, 20, 50, 100];

export interface PlaygroundActions {
  send(message: ClientMessage): void;
  setSpec(changes: Record<string, unknown>): void;
  setRun(options: Partial<RunOptions>): void;
  setView(view: ViewOptions): void;
  /** Play or pause, whichever the run is not doing (nothing before the first state). */
  togglePlay(): void;
  /** The first data set of a problem type, as hello listed them. */
  firstDataset(problem: string): string | undefined;
  error(message: string): void;
  clearError(): void;
  /** Whether clicking the output adds points (classroom mode may hide it). */
  canAddPoints(): boolean;
  /** The largest message the server reads (hello), once known. */
  maxMessageBytes(): number | undefined;
}

export function wireControls(e: PlaygroundElements, heatmap: HeatmapView, a: PlaygroundActions, view: ViewOptions): void {
  e.play.addEventListener('click', () => a.togglePlay());
  e.step.addEventListener('click', () => a.send({ type: 'step' }));
  e.reset.addEventListener('click', () => a.send({ type: 'reset' }));
  fillSelect(e.learningRate, LEARNING_RATES.map(String));
  fillSelect(e.regularizationRate, REGULARIZATION_RATES.map(String));
  fillSelect(e.epochsPerFrame, EPOCHS_PER_FRAME.map(String));
  e.learningRate.addEventListener('change', () => a.setSpec({ learning_rate: Number(e.learningRate.value) }));
  e.regularizationRate.addEventListener('change', () => a.setSpec({ regularization_rate: Number(e.regularizationRate.value) }));
  e.activation.addEventListener('change', () => a.setSpec({ activation: e.activation.value }));
  e.regularization.addEventListener('change', () => a.setSpec({ regularization: e.regularization.value }));
  e.optimizer.addEventListener('change', () => a.setSpec({ optimizer: e.optimizer.value }));
  e.loss.addEventListener('change', () => a.setSpec({ loss: e.loss.value }));
  e.init.addEventListener('change', () => a.setSpec({ init: e.init.value }));
  e.problem.addEventListener('change', () => {
    const regression = e.problem.value === 'regression';
    // Regression trains with squared error only: switch the loss along with the data set.
    a.setSpec({
      dataset: a.firstDataset(e.problem.value) ?? (regression ? 'plane' : 'circle'),
      ...(regression ? { loss: 'squared_error' } : {}),
    });
  });
  e.epochsPerFrame.addEventListener('change', () => a.setRun({ epochs_per_frame: Number(e.epochsPerFrame.value) }));
  e.stopEpoch.addEventListener('change', () => a.setRun({ stop_epoch: Math.max(0, Math.round(Number(e.stopEpoch.value) || 0)) }));
  e.stopLoss.addEventListener('change', () => a.setRun({ stop_test_loss: Math.max(0, Number(e.stopLoss.value) || 0) }));
  // Enter commits a number box as leaving it does.
  for (const box of [e.stopEpoch, e.stopLoss]) box.addEventListener('keydown', (k) => k.key === 'Enter' && box.blur());
  e.newSeed.addEventListener('click', () => a.setSpec({ seed: randomSeed() }));
  e.regenerate.addEventListener('click', () => a.setSpec({ data_seed: randomSeed() }));
  e.trainRatio.addEventListener('input', () => (e.trainRatioValue.textContent = `${e.trainRatio.value}%`));
  e.trainRatio.addEventListener('change', () => a.setSpec({ train_ratio: Number(e.trainRatio.value) / 100 }));
  e.noise.addEventListener('input', () => (e.noiseValue.textContent = e.noise.value));
  e.noise.addEventListener('change', () => a.setSpec({ noise: Number(e.noise.value) }));
  e.batchSize.addEventListener('input', () => (e.batchSizeValue.textContent = e.batchSize.value));
  e.batchSize.addEventListener('change', () => a.setSpec({ batch_size: Number(e.batchSize.value) }));
  e.showTest.checked = view.show_test;
  e.discretize.checked = view.discretize;
  for (const box of [e.showTest, e.discretize]) {
    box.addEventListener('change', () => a.setView({ show_test: e.showTest.checked, discretize: e.discretize.checked }));
  }
  const addPoint = (ev: MouseEvent, otherClass: boolean) => {
    const at = heatmap.pointAt(ev.clientX, ev.clientY);
    if (!at || !a.canAddPoints()) return;
    a.send({ type: 'add_point', x1: at.x1, x2: at.x2, label: pickedLabel(e.clickClasses, otherClass) });
  };
  e.heatmap.addEventListener('click', (ev) => addPoint(ev, false));
  e.heatmap.addEventListener('contextmenu', (ev) => {
    ev.preventDefault();
    addPoint(ev, true);
  });
  // Offered when the server refused the points for lying outside the domain (see offerRescale).
  let lastUpload: { name: string; text: string } | null = null;
  e.uploadCsv.addEventListener('change', () =>
    readFile(e.uploadCsv, (name, text) => {
      a.clearError();
      e.uploadRescale.hidden = true;
      sendFile(a, name, { type: 'upload_csv', name, text });
      lastUpload = { name, text };
    }),
  );
  e.uploadRescale.addEventListener('click', () => {
    e.uploadRescale.hidden = true;
    if (!lastUpload) return;
    a.clearError();
    sendFile(a, lastUpload.name, { type: 'upload_csv', ...lastUpload, rescale: true });
  });
  e.exportButton.addEventListener('click', () => a.send({ type: 'export' }));
  e.importFile.addEventListener('change', () => readFile(e.importFile, (name, text) => importModel(a, name, text)));
  e.copyPytorch.addEventListener('click', () => void navigator.clipboard?.writeText(e.exportPytorch.textContent ?? ''));
  document.addEventListener('keydown', (k) => {
    const target = k.target as HTMLElement | null;
    if (k.key !== ' ' || target?.closest('input, select, textarea, button')) return;
    k.preventDefault();
    a.togglePlay();
  });
}

/** Sends a file's message, or says in words that it is too large for one message. */
function sendFile(a: PlaygroundActions, name: string, message: ClientMessage): void {
  const limit = a.maxMessageBytes();
  const bytes = new TextEncoder().encode(JSON.stringify(message)).length;
  if (limit !== undefined && bytes > limit) {
    a.error(`${name} is too large to send: ${formatBytes(bytes)} as sent, and the server takes at most ${formatBytes(limit)}`);
    return;
  }
  a.send(message);
}

/**
 * An upload_csv refusal: when it says the points lie outside the domain (the server's words
 * "rescaling fits the points into -6..6"), the rescale button is offered.
 */
export function offerRescale(e: PlaygroundElements, message: string): void {
  e.uploadRescale.hidden = !message.includes('rescaling fits the points into');
}

/** The chosen file's name and text; the input is emptied so the same file can be chosen again. */
function readFile(input: HTMLInputElement, use: (name: string, text: string) => void): void {
  const file = input.files?.[0];
  if (!file) return;
  void file.text().then((text) => {
    input.value = '';
    use(file.name, text);
  });
}

function importModel(a: PlaygroundActions, name: string, text: string): void {
  let model: unknown;
  try {
    model = JSON.parse(text);
  } catch (e) {
    a.error(`import: ${name} is not JSON: ${(e as Error).message}`);
    return;
  }
  if (typeof model !== 'object' || model === null || Array.isArray(model)) {
    a.error(`import: ${name} must hold a JSON object`);
    return;
  }
  a.clearError();
  sendFile(a, name, { type: 'import', model: model as Record<string, unknown> });
}

function randomSeed(): number {
  return Math.floor(Math.random() * 1_000_000);
}

/** The inputs after `feature` is clicked: on if it was off, off if on, in the server's order (`order`, all features). */
export function toggledFeatures(active: string[], feature: string, order?: string[]): string[] {
  const next = active.includes(feature) ? active.filter((f) => f !== feature) : [...active, feature];
  return (order ?? next).filter((f) => next.includes(f));
}
