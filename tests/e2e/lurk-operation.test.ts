// Lurk's operation view in a real browser: on a test image, a click on a conv unit's map shows
// each input channel's patch, the kernel and their products, and the page's sum of the products
// plus the bias equals the activation the server sent for that position; the max-pool window
// after it marks its maximum; play slides the window along; the output layer's softmax steps;
// the colour scales; a dense unit's weights; the sanity check beside the map (on, it follows the
// input); a dream's diversity set.
// Screenshot: build/e2e/lurk-operation-1280.png.

import { rmSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { screenshot, settle, useServerAndBrowser, waitFor } from './support/harness';
import { trainLurkModel } from './support/lurk';

const models = trainLurkModel();
afterAll(() => rmSync(path.dirname(models), { recursive: true, force: true }));

const position = (page: Page) => page.locator('#op-body').getAttribute('data-position');

describe('Lurk: how a unit computes', () => {
  const fixture = useServerAndBrowser({ serverArgs: ['--models', models] });

  it('sums the products and the bias to the activation the server sent', { timeout: 60_000 }, async () => {
    const page = await fixture.browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(fixture.server.url + 'lurk.html#layer=3&unit=2');
    await waitFor('the unit', 30_000, async () => ((await page.locator('#unit-panel').getAttribute('data-unit')) === '3:2' ? true : undefined));
    expect(await page.locator('#op-body').textContent()).toContain('Draw a digit or pick a test image');
    await page.click('#samples button[data-label="7"]');
    await waitFor('the operation at the centre', 15_000, async () => ((await position(page)) === '3,3' ? true : undefined));
    expect(await page.locator('#op-body .op-channel').count()).toBe(8);

    // A click on the map's cell (5, 1): the window moves there.
    const box = (await page.locator('#op-map').boundingBox())!;
    await page.mouse.click(box.x + (1.5 / 7) * box.width, box.y + (5.5 / 7) * box.height);
    await waitFor('the operation at (5, 1)', 15_000, async () => ((await position(page)) === '5,1' ? true : undefined));
    await settle(page);
    expect(await page.locator('.op-geometry').textContent()).toBe("position (5, 1) of the unit's 7×7 map: a 3×3 window, stride 1, padding 1, over 8 input channels");
    // The window's outline sits on the clicked cell.
    const map = (await page.locator('#op-map').boundingBox())!;
    const mark = (await page.locator('#op-window').boundingBox())!;
    expect(Math.floor(((mark.x + mark.width / 2 - map.x) / map.width) * 7)).toBe(1);
    expect(Math.floor(((mark.y + mark.height / 2 - map.y) / map.height) * 7)).toBe(5);
    const sum = Number(await page.locator('#op-sum').getAttribute('data-value'));
    const value = Number(await page.locator('#op-value').getAttribute('data-value'));
    console.log(`unit 3:2 at (5, 1): the page's sum ${sum}, the server's value ${value}`);
    expect(Math.abs(sum - value)).toBeLessThan(1e-4);
    expect(Number(await page.locator('#op-activation').textContent())).toBeCloseTo(Math.max(0, value), 4);
    expect(await page.locator('#op-activation-label').textContent()).toBe('after relu');
    // The products shown are the patch's values times the kernel's, cell by cell.
    const cells = (sel: string) => page.locator(`#op-body .op-channel[data-channel="0"] figure:nth-of-type(${sel}) .kernel span`).allTextContents();
    const [patch, kernel, products] = await Promise.all([cells('1'), cells('2'), cells('3')]);
    expect(products).toHaveLength(9);
    for (let i = 0; i < 9; i++) expect(Number(products[i])).toBeCloseTo(Number(patch[i]) * Number(kernel[i]), 1);
    // The max-pool after the ReLU: the 2×2 window holding (5, 1) with its maximum outlined,
    // and the pool's output there is that maximum.
    const windowValues = (await page.locator('#pool-window span').allTextContents()).map(Number);
    expect(windowValues).toHaveLength(4);
    const marked = Number(await page.locator('#pool-window span.max').textContent());
    expect(marked).toBe(Math.max(...windowValues));
    expect(Number(await page.locator('#pool-output').getAttribute('data-value'))).toBeCloseTo(marked, 2);
    expect(await page.locator('#op-pool figcaption').first().textContent()).toContain('MaxPool2D(2)');
    await screenshot(page, 'lurk-operation-1280');

    // Play: the window slides on along the row, and at each position the page's sum is the
    // server's value there; pause: it stops.
    const seen = new Set<string>();
    await page.click('#op-play');
    expect(await page.locator('#op-play').getAttribute('aria-pressed')).toBe('true');
    await waitFor('the window at (5, 3)', 30_000, async () => {
      const at = await position(page);
      if (at) seen.add(at);
      return at === '5,3' ? true : undefined;
    });
    expect(seen.has('5,2')).toBe(true);
    const sumThere = Number(await page.locator('#op-sum').getAttribute('data-value'));
    const valueThere = Number(await page.locator('#op-value').getAttribute('data-value'));
    expect(Math.abs(sumThere - valueThere)).toBeLessThan(1e-4);
    expect(sumThere).not.toBe(sum);
    const mark3 = (await page.locator('#op-window').boundingBox())!;
    expect(Math.floor(((mark3.x + mark3.width / 2 - map.x) / map.width) * 7)).toBeGreaterThanOrEqual(3);
    await page.click('#op-play');
    expect(await page.locator('#op-play').getAttribute('aria-pressed')).toBe('false');
    await page.waitForTimeout(1500); // one answer may still be on its way
    const stopped = await position(page);
    await page.waitForTimeout(2000);
    expect(await position(page)).toBe(stopped);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows the output layer: logits, their exponentials, and the softmax the server sent', { timeout: 60_000 }, async () => {
    const page = await fixture.browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(fixture.server.url + 'lurk.html');
    await waitFor('the sample buttons', 30_000, async () => ((await page.locator('#samples button').count()) === 10 ? true : undefined));
    await page.click('#samples button[data-label="3"]');
    await waitFor('the softmax table', 15_000, async () => ((await page.locator('.softmax-steps tbody tr').count()) === 10 ? true : undefined));
    const numbers = (cls: string) => page.locator(`.softmax-steps td.${cls}`).evaluateAll((tds) => tds.map((td) => Number((td as HTMLElement).dataset.value)));
    const [logits, exps, probabilities] = await Promise.all([numbers('logit'), numbers('exp'), numbers('probability')]);
    const top = Math.max(...logits);
    const z = logits.map((l) => Math.exp(l - top));
    const total = z.reduce((a, b) => a + b, 0);
    for (let c = 0; c < 10; c++) {
      expect(exps[c]).toBeCloseTo(z[c], 6);
      expect(probabilities[c]).toBeCloseTo(z[c] / total, 6);
    }
    expect(Number(await page.locator('.softmax-steps .exp-sum').getAttribute('data-value'))).toBeCloseTo(total, 6);
    // The bars show the server's probabilities: they agree with the softmax of the logits.
    const bars = (await page.locator('#bars .bar-value').allTextContents()).map((t) => Number(t.replace(' %', '')) / 100);
    for (let c = 0; c < 10; c++) expect(bars[c]).toBeCloseTo(z[c] / total, 3);
    const predicted = Number(await page.locator('#bars').getAttribute('data-top'));
    expect(await page.locator('.softmax-steps tr.top').getAttribute('data-class')).toBe(String(predicted));
    expect(logits.indexOf(top)).toBe(predicted);
    await page.close();
  });

  it("draws the weights and the map on the unit's, the layer's or the global colour scale", { timeout: 60_000 }, async () => {
    const page = await fixture.browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(fixture.server.url + 'lurk.html#layer=3&unit=2');
    await waitFor('the unit', 30_000, async () => ((await page.locator('#unit-panel').getAttribute('data-unit')) === '3:2' ? true : undefined));
    await page.click('#samples button[data-label="7"]');
    await waitFor('the operation', 15_000, async () => ((await position(page)) ? true : undefined));
    const look = async (mode: string) => {
      await page.selectOption('#scale', mode);
      await waitFor(`the ${mode} scale`, 15_000, async () => ((await page.locator('#op-body').getAttribute('data-scale')) === mode ? true : undefined));
      await settle(page);
      return {
        weights: Number(await page.locator('#unit-kernels').getAttribute('data-scale')),
        map: Number(await page.locator('#op-map').getAttribute('data-scale')),
        colours: await page.locator('#unit-kernels .kernel span').evaluateAll((cells) => cells.map((c) => (c as HTMLElement).style.background)),
        pixels: await page.locator('#op-map').evaluate((c) => {
          const canvas = c as HTMLCanvasElement;
          return Array.from(canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data);
        }),
      };
    };
    const unit = await look('layer').then(() => look('unit'));
    const layer = await look('layer');
    const global = await look('global');
    console.log(`unit 3:2 weights ±${unit.weights} / layer ±${layer.weights} / global ±${global.weights}; map ±${unit.map} / ±${layer.map} / ±${global.map}`);
    // This unit's ranges are narrower than its layer's, so the same values are paler on the layer's scale.
    expect(layer.weights).toBeGreaterThan(unit.weights);
    expect(layer.map).toBeGreaterThan(unit.map);
    expect(global.weights).toBeGreaterThanOrEqual(layer.weights);
    const changed = (a: unknown[], b: unknown[]) => a.filter((v, i) => v !== b[i]).length;
    expect(changed(unit.colours, layer.colours)).toBeGreaterThan(unit.colours.length / 4);
    expect(changed(unit.pixels, layer.pixels)).toBeGreaterThan(unit.pixels.length / 10);
    await page.close();
  });

  it("shows a dense unit's incoming weights as images after the Flatten, as a bar strip after a dense layer, with values on hover", { timeout: 60_000 }, async () => {
    const page = await fixture.browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(fixture.server.url + 'lurk.html#layer=7&unit=4');
    await waitFor('the dense unit', 30_000, async () => ((await page.locator('#unit-panel').getAttribute('data-unit')) === '7:4' ? true : undefined));
    await settle(page);
    expect(await page.locator('#dense-weights').getAttribute('data-layout')).toBe('image');
    expect(await page.locator('#dense-weights canvas').count()).toBe(16);
    // Hover the weight of input channel 5 at (1, 2): its value is written, and the pixel's colour
    // has the value's sign (blue for +, orange for −, as everywhere in netlens).
    const cell = page.locator('#dense-weights canvas[data-channel="5"]');
    await cell.scrollIntoViewIfNeeded();
    const b = (await cell.boundingBox())!;
    await cell.hover({ position: { x: (2.5 / 3) * b.width, y: (1.5 / 3) * b.height } });
    const text = (await page.locator('#weight-hover').textContent())!;
    const match = /^in 5 \(1, 2\): (-?\d+\.\d+)$/.exec(text);
    expect(match, text).not.toBeNull();
    const value = Number(match![1]);
    const [r, , blue] = await cell.evaluate((c) => Array.from((c as HTMLCanvasElement).getContext('2d')!.getImageData(2, 1, 1, 1).data));
    if (Math.abs(value) > 0.05) expect(value > 0 ? blue > r : r > blue).toBe(true);
    await screenshot(page, 'lurk-dense-weights-1280');

    // The output layer's unit: 128 inputs from a dense layer, a strip.
    await page.keyboard.press('PageDown');
    await waitFor('the output layer', 15_000, async () => ((await page.locator('#unit-panel').getAttribute('data-unit')) === '9:0' ? true : undefined));
    expect(await page.locator('#dense-weights').getAttribute('data-layout')).toBe('strip');
    const strip = page.locator('#dense-weights canvas');
    expect(await strip.evaluate((c) => (c as HTMLCanvasElement).width)).toBe(128);
    await strip.scrollIntoViewIfNeeded();
    const sb = (await strip.boundingBox())!;
    await strip.hover({ position: { x: (100.5 / 128) * sb.width, y: sb.height / 2 } });
    expect(await page.locator('#weight-hover').textContent()).toMatch(/^in 100: -?\d+\.\d+$/);
    await page.close();
  });

  it('shows the sanity check beside the map: the map with random weights and its correlation', { timeout: 60_000 }, async () => {
    const page = await fixture.browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(fixture.server.url + 'lurk.html');
    await waitFor('the sample buttons', 30_000, async () => ((await page.locator('#samples button').count()) === 10 ? true : undefined));
    await page.click('#samples button[data-label="2"]');
    await waitFor('the map', 15_000, async () => ((await page.locator('#why-map').getAttribute('data-seq')) ? true : undefined));
    await settle(page);
    expect(await page.locator('#sanity-map').count()).toBe(0);
    await page.click('#sanity-button');
    await waitFor('the sanity check', 30_000, async () => ((await page.locator('#sanity-map').count()) === 1 ? true : undefined));
    // The trained model's map, then one per layer randomised from the top (4 weighted layers).
    expect(await page.locator('.sanity-steps figure').count()).toBe(5);
    const rho = Number(await page.locator('#sanity-rho').getAttribute('data-value'));
    console.log(`Grad-CAM with every layer random: rho = ${rho.toFixed(3)}`);
    expect(rho).toBeGreaterThanOrEqual(-1);
    expect(rho).toBeLessThan(1);
    expect(await page.locator('#sanity-rho').textContent()).toBe(`ρ = ${rho.toFixed(2)}`);
    // The randomised model's map is not the trained one's: other pixels.
    const pixels = (sel: string) => page.locator(sel).evaluate((c) => {
      const canvas = c as HTMLCanvasElement;
      return Array.from(canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data);
    });
    const [trained, random] = await Promise.all([pixels('#why-map'), pixels('#sanity-map')]);
    expect(random.length).toBe(trained.length);
    expect(random.filter((v, i) => v !== trained[i]).length).toBeGreaterThan(trained.length / 20);
    // Beside the map, not below it.
    const [map, check] = await Promise.all([page.locator('#why-map').boundingBox(), page.locator('#sanity-map').boundingBox()]);
    expect(check!.x).toBeGreaterThan(map!.x + map!.width);
    expect(check!.y).toBeLessThan(map!.y + map!.height);
    await screenshot(page, 'lurk-sanity-1280');
    // Another input: the check is on, so it follows the new map; clicked again, it goes.
    const before = await page.locator('#sanity').getAttribute('data-seq');
    await page.click('#samples button[data-label="5"]');
    await waitFor('the check of the new input', 30_000, async () => {
      const seq = await page.locator('#sanity').getAttribute('data-seq');
      return (await page.locator('#sanity-map').count()) === 1 && seq !== before ? true : undefined;
    });
    await page.click('#sanity-button');
    await waitFor('the check cleared', 15_000, async () => ((await page.locator('#sanity-map').count()) === 0 ? true : undefined));
    expect(await page.locator('#sanity-button').getAttribute('aria-pressed')).toBe('false');
    await page.close();
  });

  it('dreams a diversity set with the weight set in the page', { timeout: 60_000 }, async () => {
    const page = await fixture.browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(fixture.server.url + 'lurk.html#layer=3&unit=5');
    await waitFor('the unit', 30_000, async () => ((await page.locator('#unit-panel').getAttribute('data-unit')) === '3:5' ? true : undefined));
    await page.locator('#dream-diversity').fill('2');
    await page.click('#dream-set-button');
    await waitFor('the diversity set', 30_000, async () => ((await page.locator('#dream-set figure').count()) === 4 ? true : undefined));
    expect(await page.locator('.dream-set-note').textContent()).toContain('weight 2');
    const images = await page.locator('#dream-set canvas').evaluateAll((cs) =>
      cs.map((c) => Array.from((c as HTMLCanvasElement).getContext('2d')!.getImageData(0, 0, (c as HTMLCanvasElement).width, (c as HTMLCanvasElement).height).data)),
    );
    // Pushed apart: no two images of the set are the same picture.
    for (let a = 0; a < 4; a++) for (let b = a + 1; b < 4; b++) expect(images[a].filter((v, i) => v !== images[b][i]).length).toBeGreaterThan(0);
    // Each has its value, a number.
    for (const t of await page.locator('#dream-set figcaption').allTextContents()) expect(Number(t)).not.toBeNaN();
    expect(await page.locator('#dream-set-button').isEnabled()).toBe(true);
    await page.close();
  });

  it("dreams every unit of a layer into the grid, with progress, while the panels still answer", { timeout: 90_000 }, async () => {
    const page = await fixture.browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(fixture.server.url + 'lurk.html#layer=0&unit=0');
    await waitFor('the unit', 30_000, async () => ((await page.locator('#unit-panel').getAttribute('data-unit')) === '0:0' ? true : undefined));
    await page.click('#dream-layer');
    // Another unit meanwhile: its panel comes while the dreams go on.
    await page.click('#grid .unit-tile[data-unit="3"]');
    await waitFor('unit 3', 30_000, async () => ((await page.locator('#unit-panel').getAttribute('data-unit')) === '0:3' ? true : undefined));
    console.log(`unit 3's panel came with the dreams at: ${await page.locator('#dream-layer-progress').textContent()}`);
    await waitFor('all 8 dreams', 60_000, async () => ((await page.locator('#dream-layer-progress').getAttribute('data-done')) === 'true' ? true : undefined));
    expect(await page.locator('#dream-layer-progress').textContent()).toBe('dreams: 8 of 8 units (shown in the grid)');
    expect(await page.locator('#grid .tile-dream').count()).toBe(8);
    // A dream is not the unit's top-1 test image.
    const tile = page.locator('#grid .unit-tile[data-unit="5"] canvas');
    const [top, dream] = await tile.evaluateAll((cs) => cs.slice(0, 2).map((c) => Array.from((c as HTMLCanvasElement).getContext('2d')!.getImageData(0, 0, 14, 14).data)));
    expect(dream.filter((v, i) => v !== top[i]).length).toBeGreaterThan(100);
    // Sorting the grid again keeps them.
    await page.selectOption('#sort', 'mean');
    await settle(page);
    expect(await page.locator('#grid .tile-dream').count()).toBe(8);
    await screenshot(page, 'lurk-layer-dreams-1280');
    await page.close();
  });
});
