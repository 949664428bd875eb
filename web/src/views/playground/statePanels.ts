// What the Playground shows of the server's messages outside the graph and the output: the
// choices of its selects and data sets (hello), the controls' values (spec), the numbers, the
// notices and the run's own controls (state), the saved-run offer, the export panel, and the
// controls a followed run keeps off. Each takes the page's elements.

import { fillSelect, setSelect, showUnchosen } from '../../lib/dom';
import { droppedText } from '../runs/format';
import { drawDatasetPreview } from './datasetPreview';
import { formatAccuracy, formatEpoch, formatLoss, formatRescale } from './format';
import type { PlaygroundElements } from './markup';
import type { HelloMessage, SpecMessage, StateMessage } from './messages';

/** The selects' choices and a button per data set (with its preview) from the server's hello. */
export function fillChoices(e: PlaygroundElements, hello: HelloMessage, pickDataset: (name: string) => void): void {
  for (const [select, names] of [
    [e.activation, hello.choices.activation],
    [e.regularization, hello.choices.regularization],
    [e.optimizer, hello.choices.optimizer],
    [e.loss, hello.choices.loss],
    [e.init, hello.choices.init],
  ] as const)
    fillSelect(select, names);
  e.datasets.replaceChildren(
    ...hello.datasets.map((d) => {
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
      button.addEventListener('click', () => pickDataset(d.name));
      return button;
    }),
  );
}

/** Every control's value as the server's spec says, the data set chosen, and where the points came from. */
export function showSpecControls(e: PlaygroundElements, m: SpecMessage): void {
  const s = m.spec;
  e.specJson.textContent = JSON.stringify(s, null, 2);
  setSelect(e.learningRate, String(s.learning_rate));
  setSelect(e.regularizationRate, String(s.regularization_rate));
  setSelect(e.regularization, String(s.regularization));
  setSelect(e.optimizer, String(s.optimizer));
  setSelect(e.loss, String(s.loss));
  setSelect(e.init, s.init);
  setSelect(e.problem, String(s.problem));
  // Losses that cannot apply: only squared error for regression; only softmax for more than two classes.
  for (const option of Array.from(e.loss.options))
    option.disabled = s.problem === 'regression' ? option.value !== 'squared_error' : m.classes > 2 && option.value !== 'softmax_cross_entropy';
  const layers = s.hidden_layers;
  const activations = new Set(layers.map((l) => l.activation));
  if (activations.size === 1 || layers.length === 0) setSelect(e.activation, layers.length ? layers[0].activation : String(s.activation ?? ''));
  else showUnchosen(e.activation, 'mixed (per layer)');
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
  const rescaled = m.rescaled ? `, rescaled into −6..6 (${formatRescale(m.rescaled)})` : '';
  e.uploaded.textContent = [m.uploaded ? `points from ${m.uploaded}${rescaled}` : '', m.added_points ? `${m.added_points} added by clicking` : '']
    .filter(Boolean)
    .join('; ');
}

/** The epoch, losses and accuracies of the newest state (dashes before the first). */
export function showNumbers(els: PlaygroundElements, s: StateMessage | null): void {
  els.epoch.textContent = formatEpoch(s?.epoch ?? 0);
  els.trainLoss.textContent = s ? formatLoss(s.train_loss) : '–';
  els.testLoss.textContent = s ? formatLoss(s.test_loss) : '–';
  // The exact value, for a reader that needs more than three decimals.
  els.testLoss.dataset.value = s ? String(s.test_loss) : '';
  els.trainAccuracy.textContent = formatAccuracy(s?.train_accuracy);
  els.testAccuracy.textContent = formatAccuracy(s?.test_accuracy);
  const hasAccuracy = s?.train_accuracy !== undefined || s?.test_accuracy !== undefined;
  for (const row of els.accuracyRows) row.hidden = !hasAccuracy;
}

/** The run's own controls (epochs per frame, the stop rules) as the state says, unless being typed in. */
export function showRunControls(els: PlaygroundElements, m: StateMessage): void {
  setSelect(els.epochsPerFrame, String(m.epochs_per_frame));
  if (document.activeElement !== els.stopEpoch) els.stopEpoch.value = m.stop_epoch ? String(m.stop_epoch) : '';
  if (document.activeElement !== els.stopLoss) els.stopLoss.value = m.stop_test_loss ? String(m.stop_test_loss) : '';
}

/** The offer to go on with the run this browser saved (null hides it). */
export function showResumeOffer(els: PlaygroundElements, run: { name: string; epoch: number } | null): void {
  els.resume.hidden = !run;
  els.resume.dataset.run = run?.name ?? '';
  els.resumeText.textContent = run ? `Your run was saved at epoch ${formatEpoch(run.epoch)} (${run.name}).` : '';
}

/** The export panel: the model as a JSON download (its object URL, replacing `previousUrl`) and the PyTorch snippet. */
export function showExport(e: PlaygroundElements, model: Record<string, unknown>, pytorch: string, previousUrl: string | null): string {
  if (previousUrl) URL.revokeObjectURL(previousUrl);
  const url = URL.createObjectURL(new Blob([JSON.stringify(model, null, 1)], { type: 'application/json' }));
  e.exportJson.href = url;
  e.exportPytorch.textContent = pytorch;
  e.exportPanel.hidden = false;
  return url;
}

/** The notice line: the followed run (and what its client dropped), why the run paused, or nothing while it runs. */
export function showNotice(notice: HTMLElement, m: StateMessage): void {
  if (m.following) {
    const dropped = droppedText(m.following_dropped);
    notice.textContent =
      `Training runs elsewhere: this page follows the ingested run ${m.following}; its controls are off.` + (dropped ? ` ${dropped[0].toUpperCase()}${dropped.slice(1)}.` : '');
  } else if (m.stopped) notice.textContent = `paused: ${m.stopped}`;
  else if (m.running) notice.textContent = '';
}

/** The loss chart's note: 'imported' (its text follows with the run's first state) or '' for none. */
export function showLossNote(e: HTMLElement, note: '' | 'imported'): void {
  e.dataset.note = note;
  e.hidden = !note;
  if (!note) e.textContent = '';
}

/** Why the run cannot learn (units dead, output saturated); '' hides it. */
export function showHealth(health: HTMLElement, notice: string): void {
  health.textContent = notice ? `cannot learn: ${notice}` : '';
  health.hidden = !notice;
}

/** The controls that would change a run's training: all but the view's, export and the timeline. */
const LOOKING_CONTROLS = new Set(['discretize', 'show_test', 'export', 'timeline', 'play']);

/** A followed run's page keeps them off (play, step and reset follow the page's buttons). */
export function disableTrainingControls(root: HTMLElement, off: boolean): void {
  if (!off) return;
  for (const control of Array.from(root.querySelectorAll<HTMLElement>('[data-control]'))) {
    if (LOOKING_CONTROLS.has(control.dataset.control ?? '')) continue;
    control.title = 'The training runs elsewhere (an ingested run): this control is off.';
    for (const input of Array.from(control.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLButtonElement>('input, select, button')))
      input.disabled = true;
  }
}
