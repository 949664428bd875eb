// The Playground's network graph against the real server, used as a person would: L1's dead
// links drawn as absent and counted; a seven-class run's output nodes, legend, class picker,
// palette and CSV labels; ten hidden layers inside the card at 1024, 1280 and 1920 px; a
// hovered neuron's map in the large output panel; the tooltip after an edit.
// Screenshots: build/e2e/playground-graph-*.png.

import type { Browser, Page } from 'playwright-core';
import { describe, expect, it, onTestFailed } from 'vitest';
import { CLASS_COLORS, colorOf } from '../../web/src/lib/colorScale';
import { canvasPixels, changedFraction, screenshot, settle, useServerAndBrowser, waitFor, type Server } from './support/harness';
import { readState, specWhere, stateWhere, stepOnce } from './support/playground';

/** The background's version of a colour: 160 / 255 of it over white. */
const pale = (rgb: readonly number[]) => rgb.map((c) => Math.round(255 - ((255 - c) * 160) / 255));
const near = (a: ArrayLike<number>, b: ArrayLike<number>, tolerance: number) => [0, 1, 2].every((k) => Math.abs(a[k] - b[k]) <= tolerance);

/**
 * Whether a class node is painted in its class's colour: every pixel on the line from white to
 * `rgb` (the probability), some of them well along it.
 */
function paintedIn(pixels: Buffer, rgb: readonly number[]): { onLine: number; deepest: number } {
  let onLine = 0;
  let deepest = 0;
  for (let i = 0; i < pixels.length; i += 4) {
    const ts = [0, 1, 2].filter((k) => 255 - rgb[k] > 40).map((k) => (255 - pixels[i + k]) / (255 - rgb[k]));
    if (Math.max(...ts) - Math.min(...ts) <= 0.08) onLine++;
    deepest = Math.max(deepest, Math.min(...ts));
  }
  return { onLine: onLine / (pixels.length / 4), deepest };
}

/** Share of pixels within 2 of `rgb`. */
function share(pixels: Buffer, rgb: readonly number[]): number {
  let n = 0;
  for (let i = 0; i < pixels.length; i += 4) if (near(pixels.subarray(i, i + 3), rgb, 2)) n++;
  return n / (pixels.length / 4);
}

interface Opened {
  page: Page;
  /** Every JSON message the server sent, in order. */
  messages: Record<string, unknown>[];
  /** Every binary message the server sent. */
  binaries: Buffer[];
}

/** Opens the Playground, recording what the server sends, and waits for the first frame. */
async function open(browser: Browser, server: Server, hash = '', viewport = { width: 1500, height: 1000 }): Promise<Opened> {
  const page = await browser.newPage({ viewport });
  const messages: Record<string, unknown>[] = [];
  const binaries: Buffer[] = [];
  page.on('websocket', (ws) =>
    ws.on('framereceived', ({ payload }) => {
      if (typeof payload === 'string') messages.push(JSON.parse(payload));
      else binaries.push(payload);
    }),
  );
  await page.goto(server.url + hash);
  await waitFor('the first frame', 30_000, async () => {
    const s = await readState(page);
    return s.frames > 0 && Number.isFinite(s.testLoss) ? true : undefined;
  });
  return { page, messages, binaries };
}

const lastOf = (messages: Record<string, unknown>[], type: string) => messages.filter((m) => m.type === type).at(-1);

describe('Playground network graph', () => {
  const fixture = useServerAndBrowser();
  const pageErrors: string[] = [];
  let current: Page | undefined;
  const openPage = async (hash = '', viewport?: { width: number; height: number }) => {
    onTestFailed(() => console.error(`netlens serve output:\n${fixture.server.output()}`));
    await current?.close();
    const opened = await open(fixture.browser, fixture.server, hash, viewport);
    opened.page.on('pageerror', (e) => pageErrors.push(e.message));
    current = opened.page;
    return opened;
  };

  it('L1: links it kills are drawn as absent, and the page counts them as the server does', async () => {
    const { page, messages } = await openPage('#dataset=circle&regularization=l1&regularization_rate=0.03&learning_rate=0.1&epochs_per_frame=2');
    expect(await page.locator('.graph .links path.dead').count()).toBe(0);
    expect(await page.textContent('#dead-links')).toBe('');
    await page.click('#play');
    await waitFor('dead links', 30_000, async () => (Number(await page.getAttribute('#dead-links', 'data-count')) >= 3 ? true : undefined));
    await page.click('#play');
    await stateWhere(page, 'paused', (s) => !s.running);
    await settle(page);
    const dead = (lastOf(messages, 'state') as { dead_links: number }).dead_links;
    console.log(`L1: ${dead} dead links at epoch ${(await readState(page)).epoch}`);
    expect(dead).toBeGreaterThanOrEqual(3);
    expect(await page.textContent('#dead-links')).toBe(`${dead} dead links`);
    // Every weight of this network is a drawn link: the absent ones are exactly the dead ones.
    const links = await page.$$eval('.graph .links path', (paths) =>
      paths.map((p) => ({ dead: p.classList.contains('dead'), visible: getComputedStyle(p).visibility !== 'hidden' })),
    );
    expect(links.filter((l) => l.dead).length).toBe(dead);
    expect(links.filter((l) => l.visible).length).toBe(links.length - dead);
    expect(dead, 'some links live on').toBeLessThan(links.length);
    await screenshot(page, 'playground-graph-l1');
    // Reset revives them.
    await page.click('#reset');
    await stateWhere(page, 'epoch 0', (s) => s.epoch === 0);
    await waitFor('no dead links', 5000, async () => ((await page.locator('.graph .links path.dead').count()) === 0 ? true : undefined));
    expect(await page.textContent('#dead-links')).toBe('');
  });

  it('seven classes: an output node per class, a class legend, and one palette for the map, the nodes, the Timeline and the GIF', async () => {
    const { page, binaries } = await openPage('#dataset=blobs7&epochs_per_frame=10&discretize=true');
    await page.click('#play');
    await stateWhere(page, 'epoch 80', (s) => s.epoch >= 80, 30_000);
    await page.click('#play');
    await stateWhere(page, 'paused', (s) => !s.running);
    await settle(page);
    // One output node per class, painted in its class's colour, strong where the class is likely.
    expect(await page.locator('.node[data-node="output"]').count()).toBe(0);
    for (let c = 0; c < 7; c++) {
      const painted = paintedIn(await canvasPixels(page, `.node[data-node="output-${c}"] canvas`), CLASS_COLORS[c]);
      expect(painted.onLine, `class ${c}'s node in its colour`).toBeGreaterThan(0.97);
      expect(painted.deepest, `class ${c}'s node where it is likely`).toBeGreaterThan(0.5);
      expect(await page.locator(`.class-label`).nth(c).textContent()).toBe(String(c));
    }
    // The legend: a swatch per class in the palette, no -1..1 bar.
    expect(await page.locator('.scale-bar').isVisible()).toBe(false);
    const swatches = await page.$$eval('.class-legend .class-swatch', (items) =>
      items.map((i) => ({ text: i.textContent, colour: getComputedStyle(i.querySelector('i')!).backgroundColor, visible: (i as HTMLElement).offsetWidth > 0 })),
    );
    expect(swatches.map((s) => s.text)).toEqual([0, 1, 2, 3, 4, 5, 6].map((c) => `class ${c}`));
    expect(swatches.map((s) => s.colour)).toEqual(CLASS_COLORS.slice(0, 7).map(([r, g, b]) => `rgb(${r}, ${g}, ${b})`));
    expect(swatches.every((s) => s.visible)).toBe(true);
    // The live map paints each class's region in the pale palette colour.
    const live = await canvasPixels(page, '#heatmap');
    for (let c = 0; c < 7; c++) expect(share(live, pale(CLASS_COLORS[c])), `live region of class ${c}`).toBeGreaterThan(0.005);
    // The Timeline's region map (drawn by the server) uses the same colours.
    await waitFor('checkpoints', 10_000, async () => ((await page.isDisabled('#timeline-scrubber')) ? undefined : true));
    await page.selectOption('#timeline-mode', 'region');
    const max = Number(await page.getAttribute('#timeline-scrubber', 'max'));
    await page.locator('#timeline-scrubber').fill(String(max));
    await waitFor('the region map', 10_000, async () => ((await page.getAttribute('#timeline-map', 'data-scrubbed')) === String(max) ? true : undefined));
    const region = await canvasPixels(page, '#timeline-map');
    for (let c = 0; c < 7; c++) expect(share(region, CLASS_COLORS[c]), `Timeline region of class ${c}`).toBeGreaterThan(0.02);
    // The GIF's colour table holds the same colours.
    const gifs = binaries.length;
    await page.click('#timeline-gif');
    const gif = await waitFor('the GIF', 30_000, async () => binaries.slice(gifs).find((b) => b.subarray(0, 4).toString('latin1') === 'NLGF'));
    const file = gif.subarray(12);
    expect(file.subarray(0, 3).toString('latin1')).toBe('GIF');
    const entries = 2 ** ((file[10] & 7) + 1);
    const table = Array.from({ length: entries }, (_, i) => Array.from(file.subarray(13 + 3 * i, 16 + 3 * i)).join(','));
    for (let c = 0; c < 7; c++) expect(table, `GIF colour of class ${c}`).toContain(CLASS_COLORS[c].join(','));
    await page.click('#timeline-live');
    // Hovering class 3's node shows its probability in the large panel, in its colour.
    await settle(page);
    const before = await canvasPixels(page, '#heatmap');
    await page.hover('.node[data-node="output-3"]');
    await waitFor('class 3 in the panel', 5000, async () => (changedFraction(before, await canvasPixels(page, '#heatmap')) > 0.1 ? true : undefined));
    const hovered = paintedIn(await canvasPixels(page, '#heatmap'), pale(CLASS_COLORS[3]));
    expect(hovered.onLine, 'the panel in class 3 colour (points aside)').toBeGreaterThan(0.8);
    expect(hovered.deepest).toBeGreaterThan(0.9);
    await page.mouse.move(2, 2);
    await screenshot(page, 'playground-graph-seven');
  });

  it('seven classes: the picker adds a point of the chosen class, drawn in its colour; binary runs add blue for +1', async () => {
    const { page, messages } = await openPage('#dataset=blobs7');
    const radios = page.locator('#click-classes input[name="click-class"]');
    expect(await radios.count()).toBe(7);
    await page.check('#click-classes input[value="4"]');
    const box = (await page.locator('#heatmap').boundingBox())!;
    // A corner of the domain, far from every blob.
    const at = { x: box.x + 12, y: box.y + 12 };
    await page.mouse.click(at.x, at.y);
    // The corner point of the newest data message (the server resends the data after a click).
    const added = () =>
      waitFor('the added point', 5000, async () => (lastOf(messages, 'data') as { train: number[][] } | undefined)?.train.find(([x1, x2]) => x1 < -5.5 && x2 > 5.5));
    expect((await added())[2]).toBe(4);
    await settle(page);
    const pixel = async () => {
      const all = await canvasPixels(page, '#heatmap');
      const width = await page.$eval('#heatmap', (c) => (c as HTMLCanvasElement).width);
      const scale = width / box.width;
      const i = 4 * (Math.round(12 * scale) * width + Math.round(12 * scale));
      return Array.from(all.subarray(i, i + 3));
    };
    expect(await pixel()).toEqual(CLASS_COLORS[4]);

    // Two classes: "blue (+1)" adds a blue point (label +1), right click an orange one.
    await page.click('.dataset[data-dataset="circle"]');
    await specWhere(page, 'circle', (s) => s.dataset === 'circle');
    await waitFor('two choices', 5000, async () => ((await radios.count()) === 2 ? true : undefined));
    expect(await page.textContent('#click-classes')).toContain('blue (+1)');
    await page.check('#click-classes input[value="1"]');
    await waitFor('the circle data', 5000, async () =>
      (lastOf(messages, 'data') as { train: number[][] }).train.every((p) => Math.abs(p[2]) === 1) ? true : undefined,
    );
    messages.length = 0; // only what answers the click
    await page.mouse.click(at.x, at.y);
    expect((await added())[2]).toBe(1);
    await settle(page);
    expect(near(await pixel(), colorOf(1), 1)).toBe(true);
  });

  it('seven classes: a CSV labelled 0..6 is taken, a label 7 refused in words', async () => {
    const { page, messages } = await openPage('#dataset=blobs7');
    const rows = ['x1,x2,label'];
    for (let i = 0; i < 70; i++) rows.push(`${((i % 7) - 3) * 1.5},${(i % 5) - 2},${i % 7}`);
    await page.setInputFiles('#upload-csv', { name: 'seven.csv', mimeType: 'text/csv', buffer: Buffer.from(rows.join('\n')) });
    await waitFor('the upload', 10_000, async () => ((await page.textContent('#uploaded'))?.includes('seven.csv') ? true : undefined));
    // The data message that follows the upload's spec.
    const data = await waitFor('the uploaded points', 5000, async () => {
      const last = lastOf(messages, 'data') as { train: number[][]; test: number[][] };
      return last.train.length + last.test.length === 70 ? last : undefined;
    });
    expect(new Set([...data.train, ...data.test].map((p) => p[2]))).toEqual(new Set([0, 1, 2, 3, 4, 5, 6]));
    expect(await page.textContent('#status')).not.toMatch(/error|must/);
    expect(await page.locator('.node[data-node^="output-"]').count()).toBe(7);
    await page.setInputFiles('#upload-csv', { name: 'eight.csv', mimeType: 'text/csv', buffer: Buffer.from('0,0,0\n0,1,1\n1,0,2\n1,1,7\n') });
    await waitFor('the refusal', 10_000, async () =>
      (await page.textContent('#status'))?.includes('eight.csv: row 4: label must be a class 0..6 (the run has 7 classes)') ? true : undefined,
    );
  });

  for (const [width, height] of [
    [1024, 768],
    [1280, 800],
    [1920, 1080],
  ]) {
    it(`ten hidden layers fit at ${width} px: the output node inside the card, nothing scrolls sideways`, async () => {
      const { page } = await openPage('#hidden_layers=8,8,8,8,8,8,8,8,8,8', { width, height });
      await specWhere(page, 'ten hidden layers', (s) => (s.hidden_layers as unknown[]).length === 10);
      await waitFor('the output node', 5000, async () => ((await page.locator('.node[data-node="output"]').count()) === 1 ? true : undefined));
      await settle(page);
      const fit = await page.evaluate(() => {
        const card = document.querySelector('.column.network')!.getBoundingClientRect();
        const output = document.querySelector('.node[data-node="output"]')!.getBoundingClientRect();
        const heads = Array.from(document.querySelectorAll('.layer-head')).map((h) => h.getBoundingClientRect());
        const scroller = document.querySelector('.column.network') as HTMLElement;
        return {
          card: { left: card.left, right: card.right },
          output: { left: output.left, right: output.right },
          headsRight: Math.max(...heads.map((h) => h.right)),
          headsLeft: Math.min(...heads.map((h) => h.left)),
          cardScrolls: scroller.scrollWidth > scroller.clientWidth,
          pageScrolls: document.documentElement.scrollWidth > window.innerWidth,
          innerWidth: window.innerWidth,
        };
      });
      console.log(`${width} px: card ${fit.card.left.toFixed(0)}..${fit.card.right.toFixed(0)}, output node ${fit.output.left.toFixed(0)}..${fit.output.right.toFixed(0)}`);
      expect(fit.output.right).toBeLessThanOrEqual(fit.card.right);
      expect(fit.output.left).toBeGreaterThan(fit.card.left);
      expect(fit.headsRight).toBeLessThanOrEqual(fit.card.right);
      expect(fit.headsLeft).toBeGreaterThanOrEqual(fit.card.left);
      expect(fit.output.right).toBeLessThanOrEqual(fit.innerWidth);
      expect(fit.cardScrolls).toBe(false);
      expect(fit.pageScrolls).toBe(false);
      await screenshot(page, `playground-graph-10-layers-${width}`);
    });
  }

  it('hovering a neuron shows its map in the large output panel; leaving brings the output back', async () => {
    const { page } = await openPage();
    for (let i = 0; i < 3; i++) await stepOnce(page);
    await settle(page);
    const output = await canvasPixels(page, '#heatmap');
    const node = '.node[data-node="h0-1"]';
    await page.hover(node);
    await waitFor('the neuron in the panel', 5000, async () => (changedFraction(output, await canvasPixels(page, '#heatmap')) > 0.05 ? true : undefined));
    const shown = await canvasPixels(page, '#heatmap');
    const thumb = await canvasPixels(page, `${node} canvas`);
    const { width, thumbSize } = await page.evaluate((sel) => ({
      width: (document.getElementById('heatmap') as HTMLCanvasElement).width,
      thumbSize: (document.querySelector(`${sel} canvas`) as HTMLCanvasElement).width,
    }), node);
    // Cell by cell, the panel is the thumbnail's colour at 160 / 255 over white (points aside).
    let matching = 0;
    for (let row = 0; row < thumbSize; row++)
      for (let col = 0; col < thumbSize; col++) {
        const cell = width / thumbSize;
        const i = 4 * (Math.floor((row + 0.5) * cell) * width + Math.floor((col + 0.5) * cell));
        const t = 4 * (row * thumbSize + col);
        if (near(shown.subarray(i, i + 3), pale(Array.from(thumb.subarray(t, t + 3))), 6)) matching++;
      }
    console.log(`hover: ${matching} of ${thumbSize ** 2} cells match the neuron's thumbnail`);
    expect(matching / thumbSize ** 2).toBeGreaterThan(0.85);
    await page.mouse.move(2, 2);
    await waitFor('the output again', 5000, async () => (changedFraction(output, await canvasPixels(page, '#heatmap')) === 0 ? true : undefined));
  });

  it('a bias edited by hand: the hover tooltip shows the new value', async () => {
    const { page } = await openPage();
    await stepOnce(page);
    const node = '.node[data-node="h0-2"]';
    await page.click(node);
    await page.fill('.param-editor', '-2.5');
    await page.press('.param-editor', 'Enter');
    await page.mouse.move(2, 2);
    await page.hover(node);
    await waitFor('the new bias', 5000, async () => ((await page.textContent('.graph .tooltip'))?.includes('bias -2.500') ? true : undefined));
    // The next frame does not bring the old value back.
    await stepOnce(page);
    expect(await page.textContent('.graph .tooltip')).toMatch(/^bias -2\.\d{3} · click to edit$/);
    expect(pageErrors).toEqual([]);
  });
});
