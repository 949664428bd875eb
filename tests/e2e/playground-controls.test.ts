// Every group of Playground controls, used the way a person would, against the real server:
// each change must change the run as it should. Screenshots: build/e2e/playground-*.png.

import type { Page } from 'playwright-core';
import { describe, expect, it, onTestFailed } from 'vitest';
import { CLASS_COLORS } from '../../web/src/lib/colorScale';
import { canvasPixels, changedFraction, screenshot, settle, useServerAndBrowser, waitFor } from './support/harness';
import { expectNoError, openPlayground, readSpec, readState, specWhere, stateWhere, stepOnce } from './support/playground';

const ALL_FEATURES = 'x1,x2,x1^2,x2^2,x1x2,sin_x1,sin_x2';
const ORANGE = [0xf5, 0x93, 0x22];
const BLUE = [0x08, 0x77, 0xbd];

/** The background's version of a colour: 160 / 255 of it over white, as TensorFlow Playground paints. */
const pale = (rgb: number[]) => rgb.map((c) => Math.round(255 - ((255 - c) * 160) / 255));

/** Share of pixels drawn (within 2) in one of the colours. */
function colourShare(pixels: Buffer, colours: number[][]): number {
  let n = 0;
  for (let i = 0; i < pixels.length; i += 4) {
    if (colours.some((rgb) => rgb.every((c, k) => Math.abs(pixels[i + k] - c) <= 2))) n++;
  }
  return n / (pixels.length / 4);
}

describe('Playground controls', () => {
  const fixture = useServerAndBrowser();
  const pageErrors: string[] = [];
  let page: Page | undefined;
  const open = async (hash = '') => {
    onTestFailed(() => console.error(`netlens serve output:\n${fixture.server.output()}`));
    await page?.close();
    page = await openPlayground(fixture.browser, fixture.server, hash, pageErrors);
    return page;
  };

  it('data: picking a set, ratio, noise, batch size and regenerate each change the run', async () => {
    const p = await open();
    await p.click('.dataset[data-dataset="xor"]');
    await specWhere(p, 'dataset xor', (s) => s.dataset === 'xor');
    await p.locator('#noise').fill('30');
    await specWhere(p, 'noise 30', (s) => s.noise === 30);
    await p.locator('#train-ratio').fill('70');
    await specWhere(p, 'train ratio 0.7', (s) => s.train_ratio === 0.7);
    await p.locator('#batch-size').fill('25');
    await specWhere(p, 'batch size 25', (s) => s.batch_size === 25);
    const before = await readSpec(p);
    const pixels = await canvasPixels(p, '#heatmap');
    await p.click('#regenerate');
    const after = await specWhere(p, 'a new data seed', (s) => s.data_seed !== before.data_seed);
    expect(after.seed).toBe(before.seed); // the weights' seed stays
    await settle(p);
    expect(changedFraction(pixels, await canvasPixels(p, '#heatmap'))).toBeGreaterThan(0.001); // new points drawn
    await expectNoError(p);
  });

  it('features and layers: toggling a feature, adding layers and units, a per-layer activation', async () => {
    const p = await open();
    await p.click('.node[data-feature="x1^2"]');
    await specWhere(p, 'x1^2 on', (s) => (s.features as string[]).includes('x1^2'));
    await waitFor('links from three features', 5000, async () =>
      (await p.locator('path[data-link^="0-"]').count()) === 3 * 4 ? true : undefined,
    );
    await p.click('#add-layer');
    await specWhere(p, 'three hidden layers', (s) => (s.hidden_layers as unknown[]).length === 3);
    await p.click('.add-unit[data-layer="0"]');
    await specWhere(p, 'five units in layer 0', (s) => (s.hidden_layers as { units: number }[])[0].units === 5);
    await p.selectOption('.layer-activation[data-layer="1"]', 'relu');
    const spec = await specWhere(p, 'relu in layer 1', (s) => (s.hidden_layers as { activation: string }[])[1].activation === 'relu');
    expect((spec.hidden_layers as { activation: string }[])[0].activation).toBe('tanh');
    // The global select says the layers differ instead of going blank.
    await waitFor('the mixed activation', 5000, async () =>
      (await p.locator('#activation option:checked').textContent()) === 'mixed (per layer)' ? true : undefined,
    );
    await p.click('#remove-layer');
    await specWhere(p, 'two hidden layers', (s) => (s.hidden_layers as unknown[]).length === 2);
    // Layers 5 and 2 remain, every unit with its thumbnail.
    expect(await p.locator('.node[data-node^="h"]').count()).toBe(7);
    await expectNoError(p);
  });

  it('the units box says what it refuses: out of range and fractional values', async () => {
    const p = await open();
    const box = p.locator('.units-input[data-layer="0"]');
    const refuse = async (typed: string, message: string) => {
      await box.fill(typed);
      await box.press('Tab');
      await waitFor(`the refusal of ${typed}`, 5000, async () => ((await p.textContent('#status'))?.includes(message) ? true : undefined));
      expect(await box.inputValue()).toBe('4');
    };
    await refuse('0', `layer 1's units: "0" is not a whole number from 1 to 1024; the layer keeps 4`);
    await refuse('2000', `layer 1's units: "2000" is not a whole number from 1 to 1024; the layer keeps 4`);
    await refuse('3.5', `layer 1's units: "3.5" is not a whole number from 1 to 1024; the layer keeps 4`);
    expect(((await readSpec(p)).hidden_layers as { units: number }[])[0].units).toBe(4);
    await box.fill('6');
    await box.press('Tab');
    await specWhere(p, 'six units in layer 1', (s) => (s.hidden_layers as { units: number }[])[0].units === 6);
    await expectNoError(p);
  });

  it('hyperparameters: learning rate, activation, regularization, optimizer, loss and problem type', async () => {
    const p = await open();
    await p.selectOption('#learning-rate', '0.3');
    await specWhere(p, 'learning rate 0.3', (s) => s.learning_rate === 0.3);
    await p.selectOption('#activation', 'relu');
    await specWhere(p, 'relu everywhere', (s) => (s.hidden_layers as { activation: string }[]).every((l) => l.activation === 'relu'));
    await p.selectOption('#regularization', 'l2');
    await p.selectOption('#regularization-rate', '0.01');
    await specWhere(p, 'L2 at 0.01', (s) => s.regularization === 'l2' && s.regularization_rate === 0.01);
    await p.selectOption('#optimizer', 'adam');
    await p.selectOption('#loss', 'binary_cross_entropy');
    await specWhere(p, 'adam and cross-entropy', (s) => s.optimizer === 'adam' && s.loss === 'binary_cross_entropy');
    const trained = await stepOnce(p);
    expect(Number.isFinite(trained.testLoss)).toBe(true);
    await p.selectOption('#problem', 'regression');
    await specWhere(p, 'a regression set', (s) => s.problem === 'regression' && s.loss === 'squared_error');
    await waitFor('no accuracy for regression', 5000, async () => ((await p.locator('#test-accuracy').isVisible()) ? undefined : true));
    expect(await p.locator('#confusion').isVisible()).toBe(false);
    await expectNoError(p);
  });

  it('run: step, play and pause, reset keeps the weights, new seed changes them', async () => {
    const p = await open();
    const first = await readState(p);
    await stepOnce(p);
    await p.click('#play');
    await stateWhere(p, 'running past epoch 20', (s) => s.running && s.epoch >= 20);
    await p.keyboard.press(' '); // space pauses, as in the Inside view
    const paused = await stateWhere(p, 'paused', (s) => !s.running);
    await p.waitForTimeout(300);
    expect((await readState(p)).epoch).toBe(paused.epoch);
    const fps = Number(await p.textContent('#fps'));
    expect(fps).toBeGreaterThanOrEqual(0);
    await p.click('#reset');
    const reset = await stateWhere(p, 'epoch 0 again', (s) => s.epoch === 0);
    expect(reset.testLoss).toBe(first.testLoss);
    const seed = (await readSpec(p)).seed;
    await p.click('#new-seed');
    await specWhere(p, 'a new seed', (s) => s.seed !== seed);
    const fresh = await stateWhere(p, 'the new run', (s) => s.epoch === 0 && s.testLoss !== first.testLoss);
    expect(fresh.testLoss).not.toBe(first.testLoss);
  });

  it('output: discretize draws two colours, show test data adds the test points', async () => {
    const p = await open();
    await stepOnce(p);
    const smooth = await canvasPixels(p, '#heatmap');
    expect(colourShare(smooth, [pale(ORANGE), pale(BLUE)])).toBeLessThan(0.5);
    await p.check('#discretize');
    await settle(p);
    const sharp = await canvasPixels(p, '#heatmap');
    // Two background colours, paler than the points, which keep the full orange and blue.
    expect(colourShare(sharp, [pale(ORANGE), pale(BLUE)])).toBeGreaterThan(0.7);
    expect(colourShare(sharp, [ORANGE, BLUE])).toBeGreaterThan(0.02);
    expect(colourShare(sharp, [ORANGE, BLUE])).toBeLessThan(0.3);
    await p.uncheck('#discretize');
    await settle(p);
    const withoutTest = await canvasPixels(p, '#heatmap');
    await p.check('#show-test');
    await settle(p);
    expect(changedFraction(withoutTest, await canvasPixels(p, '#heatmap'))).toBeGreaterThan(0.01);
    expect(await p.evaluate(() => location.hash)).toContain('show_test=true');
  });

  it('a copied link gives the same controls and the same first-epoch loss', async () => {
    const hash = `#dataset=spiral&noise=10&features=x1,x2,sin_x1&hidden_layers=6:tanh,3:relu&learning_rate=0.1&seed=5&data_seed=9&epochs_per_frame=5`;
    const p = await open(hash);
    await specWhere(p, 'the linked spec', (s) => s.dataset === 'spiral' && s.seed === 5);
    const firstEpoch = await stepOnce(p);
    const link = p.url();
    const q = await openPlayground(fixture.browser, fixture.server, new URL(link).hash, pageErrors);
    const spec = await specWhere(q, 'the linked spec', (s) => s.dataset === 'spiral' && s.data_seed === 9);
    expect(spec).toEqual(await readSpec(p));
    expect(await q.inputValue('#learning-rate')).toBe('0.1');
    expect(await q.inputValue('#noise')).toBe('10');
    expect(await q.inputValue('#epochs-per-frame')).toBe('5');
    expect(await q.locator('.node.feature.on').count()).toBe(3);
    expect((await stepOnce(q)).testLoss).toBe(firstEpoch.testLoss);
    await q.close();
  });

  it('spiral with all seven features and two layers of 8 learns: test loss below 0.1 within 30 s', async () => {
    const p = await open(`#dataset=spiral&features=${ALL_FEATURES}&hidden_layers=8:tanh,8:tanh&epochs_per_frame=10`);
    const started = Date.now();
    await p.click('#play');
    const done = await stateWhere(p, 'test loss below 0.1', (s) => s.testLoss < 0.1, 30_000);
    console.log(`spiral: test loss ${done.testLoss.toFixed(4)} at epoch ${done.epoch}, ${((Date.now() - started) / 1000).toFixed(1)} s`);
    await p.click('#play');
    await stateWhere(p, 'paused', (s) => !s.running);
    await screenshot(p, 'playground-spiral');
  });

  it('the seven-class set paints one colour per class and a 7 x 7 confusion matrix', async () => {
    const p = await open('#dataset=blobs7&epochs_per_frame=5&discretize=true');
    await p.click('#play');
    await stateWhere(p, 'epoch 60', (s) => s.epoch >= 60);
    await p.click('#play');
    await stateWhere(p, 'paused', (s) => !s.running);
    const pixels = await canvasPixels(p, '#heatmap');
    const palette = CLASS_COLORS.slice(0, 7); // the one class palette (the server's too)
    const shares = palette.map((rgb) => colourShare(pixels, [pale(rgb)])); // each region, paler than its points
    console.log(`seven classes: region shares ${shares.map((x) => (100 * x).toFixed(1)).join(', ')} %`);
    for (const share of shares) expect(share).toBeGreaterThan(0.01);
    expect(await p.locator('#confusion tbody tr').count()).toBe(7);
    // Losses that cannot apply to seven classes are offered disabled.
    expect(await p.locator('#loss option[value="squared_error"]').isDisabled()).toBe(true);
    expect(await p.locator('#loss option[value="binary_cross_entropy"]').isDisabled()).toBe(true);
    expect(await p.locator('#loss option[value="softmax_cross_entropy"]').isDisabled()).toBe(false);
    const accuracy = Number((await p.textContent('#test-accuracy'))!.replace('%', ''));
    expect(accuracy).toBeGreaterThan(80);
    await screenshot(p, 'playground-seven');
  });

  it('a weight edited by hand changes the weight and the output', async () => {
    const p = await open();
    await stepOnce(p);
    const before = await canvasPixels(p, '#heatmap');
    await p.click('path[data-link="2-0-0"]', { force: true });
    await p.fill('.param-editor', '6');
    await p.press('.param-editor', 'Enter');
    // Hovered at once, before the edited frame comes: the tooltip follows the frame, not the old weight.
    await p.mouse.move(5, 5);
    await p.hover('path[data-link="2-0-0"]', { force: true });
    await waitFor('the heatmap to change', 10_000, async () =>
      changedFraction(before, await canvasPixels(p, '#heatmap')) > 0.05 ? true : undefined,
    );
    await waitFor('the tooltip', 5000, async () => ((await p.textContent('.graph .tooltip'))?.includes('weight 6.000') ? true : undefined));
  });

  it('a diverging run pauses itself and says why; reset recovers', async () => {
    const p = await open('#dataset=plane&learning_rate=10');
    await p.click('#play');
    await waitFor('the diverged message', 15_000, async () => ((await p.textContent('#status'))?.includes('diverged') ? true : undefined));
    const s = await stateWhere(p, 'paused after an epoch', (x) => x.epoch >= 1 && !x.running);
    expect(s.testLoss).toBeNaN();
    expect(await p.textContent('#train-loss')).toBe('–');
    expect(await p.textContent('#status')).toContain('lower the learning rate');
    await p.click('#reset');
    const back = await stateWhere(p, 'epoch 0', (x) => x.epoch === 0);
    expect(Number.isFinite(back.testLoss)).toBe(true);
  });

  it('stop rules, the confusion matrix and the frame rate', async () => {
    const p = await open();
    await p.fill('#stop-epoch', '40');
    await p.press('#stop-epoch', 'Enter');
    await waitFor('the rule in the link', 5000, async () => ((await p.evaluate(() => location.hash)).includes('stop_epoch=40') ? true : undefined));
    await p.click('#play');
    const stopped = await stateWhere(p, 'stopped at 40', (s) => s.epoch === 40 && !s.running);
    expect(stopped.epoch).toBe(40);
    expect(await p.textContent('#notice')).toBe('paused: epoch limit 40 reached');
    const cells = (await p.locator('#confusion td').allTextContents()).map(Number);
    expect(cells.reduce((a, b) => a + b, 0)).toBe(250); // the test set
    const accuracy = Number((await p.textContent('#test-accuracy'))!.replace('%', '')) / 100;
    expect((cells[0] + cells[3]) / 250).toBeCloseTo(accuracy, 3);
    expect(Number(await p.textContent('#fps'))).toBeGreaterThan(0);
  });

  it('export gives JSON and PyTorch; importing the JSON restores the trained run', async () => {
    const p = await open();
    for (let i = 0; i < 3; i++) await stepOnce(p);
    const trained = await readState(p);
    await p.click('#export');
    await waitFor('the export panel', 5000, async () => ((await p.locator('#export-panel').isVisible()) ? true : undefined));
    expect(await p.textContent('#export-pytorch')).toContain('nn.Sequential(');
    const json = await p.evaluate(async () => (await fetch((document.getElementById('export-json') as HTMLAnchorElement).href)).text());
    const model = JSON.parse(json);
    expect(model.format).toBe('netlens-playground');
    await p.selectOption('#learning-rate', '1');
    await specWhere(p, 'another run', (s) => s.learning_rate === 1);
    await p.setInputFiles('#import', { name: 'model.json', mimeType: 'application/json', buffer: Buffer.from(json) });
    await specWhere(p, 'the imported spec', (s) => s.learning_rate === 0.03);
    const restored = await stateWhere(p, 'the trained loss', (s) => s.testLoss === trained.testLoss);
    expect(restored.testLoss).toBe(trained.testLoss);
    await p.setInputFiles('#import', { name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"format":1') });
    await waitFor('an import error', 5000, async () => ((await p.textContent('#status'))?.includes('import: broken.json is not JSON') ? true : undefined));
  });

  it('fits 1024 px without sideways scroll and 1280 x 800 with the output above the fold, nothing cut', async () => {
    const p = await open();
    const measure = () =>
      p.evaluate(() => {
        const box = (sel: string) => document.querySelector(sel)!.getBoundingClientRect();
        const loss = document.getElementById('loss') as HTMLSelectElement;
        const ctx = document.createElement('canvas').getContext('2d')!;
        ctx.font = getComputedStyle(loss).font;
        const lines = (el: Element) => {
          const r = document.createRange();
          r.selectNodeContents(el);
          return new Set(Array.from(r.getClientRects(), (q) => Math.round(q.top))).size;
        };
        return {
          scroll: document.documentElement.scrollWidth - window.innerWidth,
          heatmapBottom: box('#heatmap').bottom,
          noteInCard: box('.scale-note').right <= box('.output').right,
          lossFits: loss.clientWidth >= ctx.measureText('softmax_cross_entropy').width,
          metricLines: Array.from(document.querySelectorAll('.metrics dt'), lines),
        };
      });
    for (const [width, height] of [[1024, 768], [1280, 800], [1920, 1080]]) {
      await p.setViewportSize({ width, height });
      await settle(p);
      const m = await measure();
      expect(m.scroll, `sideways scroll at ${width}`).toBeLessThanOrEqual(0);
      expect(m.noteInCard).toBe(true);
      expect(m.lossFits).toBe(true);
      expect(m.metricLines.every((n) => n === 1)).toBe(true);
      if (height <= 800 && width >= 1280) expect(m.heatmapBottom).toBeLessThanOrEqual(height);
      await screenshot(p, `playground-${width}x${height}`);
    }
    // "1000" fits the units box, and the toolbar does not move as the epoch grows.
    const units = p.locator('.units-input[data-layer="0"]');
    await units.fill('1000');
    expect(await units.evaluate((el: HTMLInputElement) => el.scrollWidth <= el.clientWidth)).toBe(true);
    await units.fill('4');
    const rateAt = async () => (await p.locator('#learning-rate').boundingBox())!.x;
    const x = await rateAt();
    await p.evaluate(() => (document.getElementById('epoch')!.textContent = '99,999'));
    expect(await rateAt()).toBe(x);
  });

  it('classroom mode hides the controls the link names', async () => {
    const p = await open('#noise_hide=true&learning_rate_hide=true&export_hide=true');
    expect(await p.locator('#noise').isVisible()).toBe(false);
    expect(await p.locator('#learning-rate').isVisible()).toBe(false);
    expect(await p.locator('#export').isVisible()).toBe(false);
    expect(await p.locator('#activation').isVisible()).toBe(true);
    expect(await p.locator('#train-ratio').isVisible()).toBe(true);
    expect(p.url()).toContain('noise_hide=true'); // kept in the link
  });

  it('a link keeps its good keys, lists every bad one, and an edited hash is followed', async () => {
    const p = await open('#dataset=xor&noise=999&learning_rate=0.3&seed=abc&bogus=1&batch_size=5000');
    const spec = await specWhere(p, 'the good keys', (s) => s.dataset === 'xor' && s.learning_rate === 0.3);
    expect(spec.noise).not.toBe(999);
    const status = await waitFor('every problem', 10_000, async () => {
      const text = (await p.textContent('.status-error-text')) ?? '';
      return text.includes('noise:') && text.includes('batch_size:') ? text : undefined;
    });
    for (const problem of ['seed: not a number: "abc"', 'bogus: unknown key', 'noise: must be', 'batch_size:']) expect(status).toContain(problem);
    // The address bar now shares the run that is shown.
    expect(p.url()).toContain('learning_rate=0.3');
    expect(p.url()).not.toContain('noise=999');

    // Editing the hash of the open tab changes the run, and the link it shares.
    await p.evaluate(() => (window.location.hash = '#dataset=spiral&learning_rate=0.1&noise_hide=true'));
    await specWhere(p, 'the edited link', (s) => s.dataset === 'spiral' && s.learning_rate === 0.1);
    expect(await p.locator('#noise').isVisible()).toBe(false);
    await waitFor('the shared link', 5000, async () => (p.url().includes('dataset=spiral') ? true : undefined));
    await expectNoError(p);
  });

  it('classroom mode: hidden_layers_hide keeps the graph, features_hide shows only the chosen inputs, play and spec hide', async () => {
    const p = await open('#hidden_layers_hide=true&features_hide=true&play_hide=true&spec_hide=true');
    await waitFor('the graph', 10_000, async () => ((await p.locator('.node[data-node^="h"]').count()) > 0 ? true : undefined));
    expect(await p.locator('.node[data-node^="h"]').first().isVisible()).toBe(true); // the network is shown
    for (const control of ['#add-layer', '#remove-layer', '.add-unit', '.remove-unit', '.units-input', '#play', 'details.spec'])
      expect(await p.locator(control).first().isVisible(), control).toBe(false);
    expect(await p.locator('.layer-activation').first().isVisible()).toBe(true);
    expect(await p.locator('.node.feature.on').first().isVisible()).toBe(true);
    expect(await p.locator('.node.feature.off').first().isVisible()).toBe(false);
    const features = (await readSpec(p)).features;
    await p.click('.node.feature.on >> nth=0');
    await new Promise((r) => setTimeout(r, 300));
    expect((await readSpec(p)).features).toEqual(features); // the teacher's inputs stay
    await screenshot(p, 'playground-classroom');
  });

  it('clicking the output adds points; a CSV with a bad row is refused and the run goes on', async () => {
    const p = await open();
    const box = (await p.locator('#heatmap').boundingBox())!;
    await p.mouse.click(box.x + box.width * 0.9, box.y + box.height * 0.1);
    await p.mouse.click(box.x + box.width * 0.1, box.y + box.height * 0.9, { button: 'right' });
    await waitFor('two added points', 10_000, async () => ((await p.textContent('#uploaded'))?.includes('2 added by clicking') ? true : undefined));
    await p.click('#play');
    const running = await stateWhere(p, 'running', (s) => s.running && s.epoch > 5);
    const bad = 'x1,x2,label\n1,2,1\n3,4,banana\n';
    await p.setInputFiles('#upload-csv', { name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
    await waitFor('the row error', 10_000, async () => ((await p.textContent('#status'))?.includes('bad.csv: row 3') ? true : undefined));
    console.log(`CSV error shown: ${(await p.textContent('.status-error-text'))?.trim()}`);
    const later = await stateWhere(p, 'still training', (s) => s.running && s.epoch > running.epoch + 5);
    expect(later.running).toBe(true);
    await p.click('#play');
    const good = ['x1,x2,label', ...Array.from({ length: 40 }, (_, i) => `${(i % 8) - 4},${(i % 5) - 2},${i % 2}`)].join('\n');
    await p.setInputFiles('#upload-csv', { name: 'good.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
    await waitFor('the uploaded points', 10_000, async () => ((await p.textContent('#uploaded'))?.includes('points from good.csv') ? true : undefined));
    expect(pageErrors).toEqual([]);
  });
  it('initial weights: the init select offers the server\'s choices, starts a new run, and goes into the link', async () => {
    const p = await open();
    expect(await p.locator('#init option').allTextContents()).toEqual(['xavier', 'playground', 'he']);
    expect(await p.inputValue('#init')).toBe('xavier');
    const first = await readState(p);
    await p.selectOption('#init', 'playground');
    await specWhere(p, 'init playground', (s) => s.init === 'playground');
    const other = await stateWhere(p, 'the new weights', (s) => s.epoch === 0 && s.testLoss !== first.testLoss);
    expect(other.testLoss).not.toBe(first.testLoss);
    await waitFor('init in the link', 5000, async () => ((await p.evaluate(() => location.hash)).includes('init=playground') ? true : undefined));
    const q = await openPlayground(fixture.browser, fixture.server, '#init=he', pageErrors);
    await specWhere(q, 'init he from the link', (s) => s.init === 'he');
    expect(await q.inputValue('#init')).toBe('he');
    await q.close();
    await expectNoError(p);
  });

  it('a new learning rate or optimizer mid-run applies at once: the epoch goes on and the run keeps playing', async () => {
    const p = await open();
    await p.click('#play');
    const before = await stateWhere(p, 'running past epoch 20', (s) => s.running && s.epoch >= 20);
    const points = Number(await p.getAttribute('#loss-chart', 'data-points'));
    const run = (await readSpec(p)).seed;
    await p.selectOption('#learning-rate', '0.1');
    await specWhere(p, 'learning rate 0.1', (s) => s.learning_rate === 0.1);
    const after = await stateWhere(p, 'still playing, 20 epochs on', (s) => s.running && s.epoch >= before.epoch + 20);
    expect(after.running).toBe(true);
    // The chart kept its history: more points than before the change, none lost.
    expect(Number(await p.getAttribute('#loss-chart', 'data-points'))).toBeGreaterThan(points);
    await p.selectOption('#optimizer', 'adam');
    await specWhere(p, 'adam', (s) => s.optimizer === 'adam');
    const adam = await stateWhere(p, 'playing with adam', (s) => s.running && s.epoch >= after.epoch + 20);
    expect(adam.epoch).toBeGreaterThan(after.epoch);
    expect((await readSpec(p)).seed).toBe(run);
    await p.click('#play');
    await expectNoError(p);
  });

  it('ReLU at learning rate 10 on the circle says its units are dead', async () => {
    const p = await open('#dataset=circle&hidden_layers=4:relu,2:relu&learning_rate=10');
    expect(await p.locator('#health').isVisible()).toBe(false);
    await p.click('#play');
    const text = await waitFor('the notice', 30_000, async () => {
      const t = (await p.locator('#health').isVisible()) ? await p.textContent('#health') : '';
      return t ? t : undefined;
    });
    console.log(`notice shown: ${text}`);
    expect(text).toMatch(/cannot learn: .*(dead|saturated)/);
    await screenshot(p, 'playground-notice');
    // It stays while the run goes on, and reset (a fresh start) clears it.
    const s = await stateWhere(p, 'later', (x) => x.epoch > 0);
    expect(await p.locator('#health').isVisible()).toBe(true);
    expect(s.epoch).toBeGreaterThan(0);
    await p.click('#play');
    await p.click('#reset');
    await stateWhere(p, 'epoch 0', (x) => x.epoch === 0);
    await waitFor('the notice gone', 5000, async () => ((await p.locator('#health').isVisible()) ? undefined : true));
  });

  it('a blobs7 export imports back: the same epoch, weights and loss, and the chart says where it starts', async () => {
    const p = await open('#dataset=blobs7&stop_epoch=12');
    await p.click('#play');
    const trained = await stateWhere(p, 'stopped at 12', (s) => s.epoch === 12 && !s.running);
    const exported = async () => {
      await p.click('#export');
      return waitFor('the export', 5000, async () => {
        const href = await p.getAttribute('#export-json', 'href');
        if (!href || href === seen) return undefined;
        seen = href;
        return JSON.parse(await p.evaluate(async (h) => (await fetch(h)).text(), href));
      });
    };
    let seen: string | null = null;
    const model = await exported();
    expect(model.epoch).toBe(12);
    expect(model.layers.at(-1).out).toBe(7);
    await p.click('#new-seed'); // another run at epoch 0
    await stateWhere(p, 'a fresh run', (s) => s.epoch === 0);
    await p.setInputFiles('#import', { name: 'blobs7.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(model)) });
    const back = await stateWhere(p, 'the imported run', (s) => s.epoch === 12);
    expect(back.testLoss).toBe(trained.testLoss);
    expect(await p.textContent('#epoch')).toBe('12');
    await waitFor('the chart note', 5000, async () =>
      (await p.textContent('#loss-note'))?.includes('the chart starts at its epoch 12') ? true : undefined,
    );
    expect(await p.getAttribute('#loss-chart', 'data-points')).toBe('1');
    const again = await exported();
    expect(again.layers).toEqual(model.layers);
    await expectNoError(p);
    // A step goes on from the model's epoch; reset goes back to epoch 0 and drops the note.
    expect((await stepOnce(p)).epoch).toBe(13);
    await p.click('#reset');
    await stateWhere(p, 'epoch 0', (s) => s.epoch === 0);
    await waitFor('the note gone', 5000, async () => ((await p.locator('#loss-note').isVisible()) ? undefined : true));
  });
  it('CSV upload: every bad row is named, real data is offered a rescale, a large file is refused in words, the link drops the data set', async () => {
    const p = await open('#dataset=circle');
    const upload = (name: string, text: string) => p.setInputFiles('#upload-csv', { name, mimeType: 'text/csv', buffer: Buffer.from(text) });
    const status = () => p.textContent('.status-error-text');
    await upload('bad.csv', 'x1,x2,label\n1,2,1\n3,x,1\n1,1,1\n2,2,banana\n1,1\n');
    await waitFor('every bad row', 10_000, async () => ((await status())?.includes('3 bad rows') ? true : undefined));
    const listed = (await status())!;
    for (const row of ['row 3: x2 is not a number', 'row 5: label is not a number', 'row 6: expected 3 fields']) expect(listed).toContain(row);
    expect(await p.locator('#upload-rescale').isVisible()).toBe(false); // nothing to rescale there
    // Heights and weights: every point outside -6..6.
    const people = ['height,weight,label', ...Array.from({ length: 40 }, (_, i) => `${150 + i},${50 + (i % 7) * 5},${i % 2}`)].join('\n');
    await upload('people.csv', people);
    await waitFor('the domain refusal', 10_000, async () => ((await status())?.includes('must be in -6..6') ? true : undefined));
    expect(await status()).toMatch(/40 bad rows: .*; and 30 more/);
    await p.click('#upload-rescale');
    const said = await waitFor('the rescaled points', 10_000, async () => {
      const t = await p.textContent('#uploaded');
      return t?.includes('points from people.csv, rescaled into −6..6') ? t : undefined;
    });
    console.log(`rescaled upload: ${said}`);
    expect(said).toContain('x1 150..189, x2 50..80');
    expect(await p.locator('#upload-rescale').isVisible()).toBe(false);
    await expectNoError(p);
    const hash = await p.evaluate(() => location.hash);
    expect(hash).not.toContain('dataset=');
    expect(await p.locator('.dataset.selected').count()).toBe(0);
    // Over the message limit: refused by the page in words, nothing sent.
    const big = 'x1,x2,label\n' + '1.000000,1.000000,1\n'.repeat(60_000);
    await upload('big.csv', big);
    const refusal = await waitFor('the size refusal', 10_000, async () => {
      const t = await status();
      return t?.includes('too large') ? t : undefined;
    });
    expect(refusal).toMatch(/big\.csv is too large to send: 1\.\d MB as sent, and the server takes at most 1 MB/);
    expect(refusal).not.toContain('per message');
    expect(await p.textContent('#uploaded')).toContain('people.csv'); // the run goes on with its points
    await screenshot(p, 'playground-upload');
  });

});
