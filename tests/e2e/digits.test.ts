// The Digits view in a real browser against the real server: with a trained MNIST model, a "1"
// (a vertical stroke) and a "0" (an ellipse) drawn with the mouse on the pad are recognised, and
// the 3D scene of the network is drawn (WebGL through SwiftShader); the training-stage slider
// shows the drawing through the untrained network and back.
//
// The server trains the default model (MNIST MLP) on first use into build/models and keeps it;
// this test waits for that when it has not happened yet. Screenshot: build/e2e/digits.png.
// Training from the page (30 s of it) leaves the scene's GPU memory where it was.

import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { canvasPixels, readStatus, screenshot, settle, useServerAndBrowser, waitFor } from './support/harness';
import { drawStroke, findUnit, SEVEN, topClass } from './support/digits';



/** The highest class probability the bars show. */
const topProbability = (page: Page) =>
  page.evaluate(() => Math.max(...[...document.querySelectorAll<HTMLElement>('#bars .bar')].map((b) => Number(b.dataset.probability))));

/** Drags the training-stage slider's thumb to a fraction (0: the first checkpoint, 1: the current weights). */
async function dragStage(page: Page, from: number, to: number): Promise<void> {
  const box = (await page.locator('#checkpoint').boundingBox())!;
  const at = (f: number) => [box.x + 8 + f * (box.width - 16), box.y + box.height / 2] as const;
  await page.mouse.move(...at(from));
  await page.mouse.down();
  await page.mouse.move(...at(to), { steps: 8 });
  await page.mouse.up();
}

/** Share of the WebGL canvas's pixels that differ from its background. */
async function sceneInk(page: Page): Promise<number> {
  const d = await canvasPixels(page, '#scene canvas');
  let ink = 0;
  for (let i = 0; i < d.length; i += 4) if (Math.abs(d[i] - 0xf7) + Math.abs(d[i + 1] - 0xf7) + Math.abs(d[i + 2] - 0xf7) > 24) ink++;
  return ink / (d.length / 4);
}

describe('Digits in a browser', () => {
  const fixture = useServerAndBrowser({ webgl: true });
  const pageErrors: string[] = [];

  it('recognises a drawn 1 and 0 and draws the network', { timeout: 600_000 }, async () => {
    const page = await fixture.browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    await page.goto(fixture.server.url + 'digits.html');
    // A trained model: at once when build/models has one, else after the first-use training.
    await waitFor('a trained model', 540_000, async () =>
      (await page.locator('#model-info').textContent())?.includes('test accuracy') ? true : undefined,
    );

    await drawStroke(page, [[14, 4], [14, 8], [14.2, 12], [14.3, 16], [14.4, 20], [14.5, 24]]);
    expect(await waitFor('a prediction of 1', 30_000, async () => ((await topClass(page)) === 1 ? 1 : undefined))).toBe(1);

    await page.click('#clear');
    const ellipse: [number, number][] = [];
    for (let a = 0; a <= 2 * Math.PI + 0.3; a += 0.25) ellipse.push([14 + 6 * Math.cos(a), 14 + 9 * Math.sin(a)]);
    await drawStroke(page, ellipse);
    expect(await waitFor('a prediction of 0', 30_000, async () => ((await topClass(page)) === 0 ? 0 : undefined))).toBe(0);

    await settle(page);
    const ink = await sceneInk(page);
    expect(ink).toBeGreaterThan(0.02);
    await screenshot(page, 'digits');

    // The same drawing at the first checkpoint (before training): near-uniform probabilities;
    // back at the current weights, the trained answer again.
    const trained = await topProbability(page);
    await dragStage(page, 1, 0);
    expect(await page.locator('#checkpoint-label').textContent()).toMatch(/^checkpoint 1\/\d+: 0 images seen/);
    await waitFor('the untrained network', 30_000, async () => ((await topProbability(page)) < 0.5 ? true : undefined));
    await dragStage(page, 0, 1);
    expect(await page.locator('#checkpoint-label').textContent()).toBe('current weights');
    await waitFor('the trained network', 30_000, async () => ((await topProbability(page)) === trained ? true : undefined));
    expect(await topClass(page)).toBe(0);

    await page.selectOption('#layout', '2d');
    await settle(page);
    expect(await sceneInk(page)).toBeGreaterThan(0.02);
    await screenshot(page, 'digits-2d');
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it('reads a drawn 7 the right way round in 3D, names the classes, and says what went wrong', { timeout: 120_000 }, async () => {
    const page = await fixture.browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    await page.goto(fixture.server.url + 'digits.html');
    await waitFor('a trained model', 60_000, async () =>
      (await page.locator('#model-info').textContent())?.includes('test accuracy') ? true : undefined,
    );
    // The status dot is green once connected.
    expect(await page.evaluate(() => getComputedStyle(document.getElementById('status')!, '::before').backgroundColor)).toBe('rgb(46, 157, 74)');

    // A 7: a bar at the top, then down to the left.
    await drawStroke(page, SEVEN);
    expect(await waitFor('a prediction of 7', 30_000, async () => ((await topClass(page)) === 7 ? 7 : undefined))).toBe(7);
    await page.fill('#top-n', '0'); // no connection lines across the plane
    await page.dispatchEvent('#top-n', 'change');
    await settle(page);
    await settle(page);
    const seen = await inputPlaneAsSeen(page);
    const pad = await padCells(page);
    const mirrored = pad.map((_, i) => pad[Math.floor(i / 28) * 28 + 27 - (i % 28)]);
    // The input plane, read left to right and top to bottom on the screen, is the pad's 7, not
    // its mirror. The network's copy is centred and scaled as MNIST's digits were, so each is
    // compared within its ink's bounding box.
    const direct = correlation(inkBox(seen), inkBox(pad));
    const mirror = correlation(inkBox(seen), inkBox(mirrored));
    console.log(`3D input plane against the pad: r ${direct.toFixed(2)}, against its mirror ${mirror.toFixed(2)}`);
    expect(direct).toBeGreaterThan(0.6);
    expect(direct).toBeGreaterThan(mirror + 0.2);

    // Hovering the output column names the class; the readout is legible (dark box, light
    // text), stays inside the scene near its right edge, and goes when the pointer leaves.
    const sceneBox = (await page.locator('#scene').boundingBox())!;
    const tip = page.locator('#tooltip');
    const unit = await findUnit(page, /class \d/);
    await page.mouse.move(...unit);
    expect(await tip.isVisible()).toBe(true);
    expect(await tip.textContent()).toMatch(/^Dense\(64 -> 10\) · unit (\d), class \1: probability [\d.]+ % \(after softmax\)/);
    const colours = await tip.evaluate((el) => [getComputedStyle(el).color, getComputedStyle(el).backgroundColor]);
    expect(colours[0]).toBe('rgb(255, 255, 255)');
    expect(colours[1]).not.toMatch(/^rgba?\(2[45]\d, 2[45]\d, 2[45]\d/);
    const tipBox = (await tip.boundingBox())!;
    expect(tipBox.x + tipBox.width).toBeLessThanOrEqual(sceneBox.x + sceneBox.width + 1);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await page.mouse.move(sceneBox.x + sceneBox.width + 40, sceneBox.y + 10);
    expect(await tip.isVisible()).toBe(false);

    // Cleared, the pad has no answer to highlight.
    await page.click('#clear');
    await waitFor('no highlighted class', 10_000, async () => ((await topClass(page)) === undefined ? true : undefined));
    expect(await page.locator('#bars .bar.top').count()).toBe(0);

    // A file that is not an image: a message, no page error.
    await page.setInputFiles('#upload', { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a picture') });
    await waitFor('the upload message', 10_000, async () =>
      (await readStatus(page)).text.includes('notes.txt is not an image') ? true : undefined,
    );
    // An image: recognised, and shown on the pad as the network sees it.
    const png = await page.evaluate(() => {
      const c = document.createElement('canvas');
      c.width = c.height = 56;
      const ctx = c.getContext('2d')!;
      ctx.fillStyle = '#fff';
      ctx.fillRect(0, 0, 56, 56);
      ctx.fillStyle = '#000';
      ctx.fillRect(25, 6, 6, 44); // a 1: dark ink on paper
      return c.toDataURL('image/png').split(',')[1];
    });
    await page.setInputFiles('#upload', { name: 'one.png', mimeType: 'image/png', buffer: Buffer.from(png, 'base64') });
    expect(await waitFor('a prediction of 1', 30_000, async () => ((await topClass(page)) === 1 ? 1 : undefined))).toBe(1);
    expect((await readStatus(page)).text).not.toContain('error');
    const uploaded = await padCells(page);
    expect(uploaded[14 * 28 + 14]).toBeGreaterThan(0.5); // the stroke, centred
    expect(uploaded[14 * 28 + 4]).toBe(0);
    await screenshot(page, 'digits-1280x800');
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it('names the sample buttons and bars by the model\'s classes', { timeout: 60_000 }, async () => {
    // No Fashion-MNIST here: the server's model message is given Fashion-MNIST's class names.
    const fashion = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];
    const page = await fixture.browser.newPage({ viewport: { width: 1024, height: 768 } });
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    await page.routeWebSocket(/\/ws\/digits/, (ws) => {
      const server = ws.connectToServer();
      server.onMessage((m) => {
        if (typeof m === 'string' && m.includes('"type":"model"')) ws.send(JSON.stringify({ ...JSON.parse(m), classes: fashion }));
        else ws.send(m);
      });
    });
    await page.goto(fixture.server.url + 'digits.html');
    await waitFor('the class names', 30_000, async () => ((await page.locator('#samples button').first().textContent()) === fashion[0] ? true : undefined));
    expect(await page.locator('#samples button').allTextContents()).toEqual(fashion);
    await page.click('#samples button[data-label="9"]');
    await waitFor('a prediction', 30_000, async () => ((await page.locator('#bars .bar').count()) === 10 ? true : undefined));
    expect(await page.locator('#bars .bar-label').allTextContents()).toEqual(fashion);
    // At 1024 px the whole network is in view: the input plane's corners lie inside the canvas.
    const inView = await page.evaluate(() => {
      const gl = document.querySelector('#scene canvas') as HTMLCanvasElement;
      const corners = JSON.parse(gl.dataset.inputPlane!) as [number, number][];
      return corners.every(([x, y]) => x >= 0 && y >= 0 && x <= gl.clientWidth && y <= gl.clientHeight);
    });
    expect(inView).toBe(true);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await screenshot(page, 'digits-classes-1024');
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it('keeps the better saved model when a run is stopped early, and says which model is loaded', { timeout: 120_000 }, async () => {
    const page = await fixture.browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    await page.goto(fixture.server.url + 'digits.html');
    const info = page.locator('#model-info');
    await waitFor('a trained model', 60_000, async () => ((await info.textContent())?.includes('test accuracy') ? true : undefined));
    const saved = (await info.textContent())!;
    expect(saved).toMatch(/^mnist mlp: the saved model \(\d+ epochs\), test accuracy [\d.]+ %$/);
    await page.selectOption('#train-model', 'mlp');
    await page.click('#train');
    await waitFor('training', 60_000, async () => ((await page.getAttribute('#progress', 'data-phase')) === 'training' ? true : undefined));
    expect(await info.textContent()).toBe('mnist mlp: the run in training');
    await page.click('#stop');
    await waitFor('the run to end', 60_000, async () => ((await page.getAttribute('#progress', 'data-phase')) === 'done' ? true : undefined));
    const savedAccuracy = saved.match(/test accuracy ([\d.]+) %/)![1];
    expect(await page.locator('#progress').textContent()).toMatch(
      new RegExp(`^after 0 of 2 epochs: test accuracy [\\d.]+ %, below the saved model's ${savedAccuracy} %: the saved model stays loaded$`),
    );
    await waitFor('the saved model again', 30_000, async () => ((await info.textContent()) === saved ? true : undefined));
    await page.close();
  });

  it('keeps its WebGL memory flat while training for 30 s, and draws only when something changed', { timeout: 180_000 }, async () => {
    const page = await fixture.browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    await page.goto(fixture.server.url + 'digits.html');
    await waitFor('a trained model', 60_000, async () =>
      (await page.locator('#model-info').textContent())?.includes('test accuracy') ? true : undefined,
    );
    await drawStroke(page, [[14, 4], [14, 12], [14.5, 24]]);
    await waitFor('a prediction', 30_000, async () => ((await topClass(page)) !== undefined ? true : undefined));
    await settle(page);
    const start = await sceneMemory(page);
    await page.selectOption('#train-model', 'mlp');
    await page.click('#train');
    await waitFor('training', 60_000, async () => ((await page.getAttribute('#progress', 'data-phase')) === 'training' ? true : undefined));
    // Training for 30 s: a run that ends first (the MLP's two epochs take a few seconds on a fast
    // machine) is followed by another, so the scene keeps being repainted with new weights.
    const samples: Awaited<ReturnType<typeof sceneMemory>>[] = [];
    let runs = 1;
    for (let s = 0; s < 30; s++) {
      await new Promise((r) => setTimeout(r, 1000));
      samples.push(await sceneMemory(page));
      if ((await page.getAttribute('#progress', 'data-phase')) === 'done') {
        await page.click('#train');
        runs++;
      }
    }
    await page.click('#stop');
    const geometries = samples.map((m) => m.geometries);
    const textures = samples.map((m) => m.textures);
    console.log(`WebGL memory while training 30 s (${runs} runs): geometries ${start.geometries} -> ${geometries.join(' ')}; textures ${start.textures} -> ${Math.max(...textures)}; renders ${start.renders} -> ${samples.at(-1)!.renders}`);
    // The scene was repainted with the run's weights many times, and what it holds stayed put.
    expect(samples.at(-1)!.renders - start.renders).toBeGreaterThan(10);
    expect(Math.max(...geometries) - Math.min(start.geometries, ...geometries)).toBeLessThanOrEqual(1);
    expect(new Set(textures).size).toBe(1);
    expect(textures[0]).toBe(start.textures);

    // Drawn on demand: with nothing changing there is no rendering, and dragging the scene renders.
    await waitFor('training to end', 60_000, async () => ((await page.getAttribute('#progress', 'data-phase')) === 'done' ? true : undefined));
    await new Promise((r) => setTimeout(r, 1500));
    const idle = (await sceneMemory(page)).renders;
    await new Promise((r) => setTimeout(r, 1000));
    expect((await sceneMemory(page)).renders).toBe(idle);
    const box = (await page.locator('#scene canvas').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 150, box.y + box.height / 2 + 20, { steps: 10 });
    await page.mouse.up();
    await settle(page);
    expect((await sceneMemory(page)).renders).toBeGreaterThan(idle + 3);
    expect(pageErrors).toEqual([]);
    await page.close();
  });
});

/** What the 3D stage reports on its canvas after each render: GPU geometries and textures, renders so far. */
const sceneMemory = (page: Page) =>
  page.evaluate(() => {
    const data = (document.querySelector('#scene canvas') as HTMLCanvasElement).dataset;
    return { geometries: Number(data.geometries), textures: Number(data.textures), renders: Number(data.renders) };
  });

/** The pad's 28 × 28 cells (0..1), read from its canvas. */
const padCells = (page: Page) =>
  page.evaluate(() => {
    const pad = document.getElementById('pad') as HTMLCanvasElement;
    const d = pad.getContext('2d')!.getImageData(0, 0, pad.width, pad.height).data;
    const cell = pad.width / 28;
    return Array.from({ length: 784 }, (_, i) => d[(Math.floor((Math.floor(i / 28) + 0.5) * cell) * pad.width + Math.floor(((i % 28) + 0.5) * cell)) * 4] / 255);
  });

/**
 * The 3D input plane as a person sees it: its corners sorted on the screen (the left pair by x,
 * each pair's upper one first), and 28 × 28 samples of the rendered canvas between them, ink
 * (dark on the white plane) as 1.
 */
const inputPlaneAsSeen = (page: Page) =>
  page.evaluate(() => {
    const gl = document.querySelector('#scene canvas') as HTMLCanvasElement;
    const corners = JSON.parse(gl.dataset.inputPlane!) as [number, number][];
    const byX = [...corners].sort((a, b) => a[0] - b[0]);
    const [tl, bl] = byX.slice(0, 2).sort((a, b) => a[1] - b[1]);
    const [tr, br] = byX.slice(2).sort((a, b) => a[1] - b[1]);
    const c = document.createElement('canvas');
    c.width = gl.width;
    c.height = gl.height;
    const ctx = c.getContext('2d')!;
    ctx.drawImage(gl, 0, 0);
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    const scale = gl.width / gl.clientWidth;
    const lerp = (a: number[], b: number[], t: number) => [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t];
    return Array.from({ length: 784 }, (_, i) => {
      const u = ((i % 28) + 0.5) / 28;
      const v = (Math.floor(i / 28) + 0.5) / 28;
      const [x, y] = lerp(lerp(tl, tr, u), lerp(bl, br, u), v);
      const at = (Math.round(y * scale) * c.width + Math.round(x * scale)) * 4;
      return 1 - d[at] / 255;
    });
  });

/** Pearson's correlation of two equally long lists. */
function correlation(a: number[], b: number[]): number {
  const mean = (x: number[]) => x.reduce((s, v) => s + v, 0) / x.length;
  const ma = mean(a);
  const mb = mean(b);
  let ab = 0;
  let aa = 0;
  let bb = 0;
  a.forEach((v, i) => {
    ab += (v - ma) * (b[i] - mb);
    aa += (v - ma) ** 2;
    bb += (b[i] - mb) ** 2;
  });
  return ab / Math.sqrt(aa * bb || 1);
}

/** A 28 × 28 image's ink (values over 0.3) cropped to its bounding box and resampled to 16 × 16. */
function inkBox(v: number[]): number[] {
  const ink = v.map((x, i) => [x, i % 28, Math.floor(i / 28)]).filter(([x]) => x > 0.3);
  const [x0, x1] = [Math.min(...ink.map((p) => p[1])), Math.max(...ink.map((p) => p[1]))];
  const [y0, y1] = [Math.min(...ink.map((p) => p[2])), Math.max(...ink.map((p) => p[2]))];
  return Array.from({ length: 256 }, (_, i) => {
    const x = Math.round(x0 + (((i % 16) + 0.5) / 16) * (x1 - x0));
    const y = Math.round(y0 + ((Math.floor(i / 16) + 0.5) / 16) * (y1 - y0));
    return v[y * 28 + x];
  });
}

