// Lurk's "why this answer" in a real browser: a vertical "1" drawn with the mouse puts most of
// the Grad-CAM mass (at the first conv layer) in the columns of its ink, a slanted stroke changes the map (the Digits
// preparation centres a stroke, so a stroke moved sideways is the same input; a slant is not),
// and switching the method changes the overlay's pixels. Screenshots: build/e2e/lurk-why-*.png.

import { rmSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { canvasPixels, changedFraction, screenshot, settle, useServerAndBrowser, waitFor } from './support/harness';
import { drawStroke } from './support/digits';
import { trainLurkModel } from './support/lurk';

const models = trainLurkModel();
afterAll(() => rmSync(path.dirname(models), { recursive: true, force: true }));

/**
 * Waits for the explanations of the newest input to arrive (those of a stroke's earlier parts
 * come first): a map newer than `after`, drawn by `method` (at CAM layer `cam` when given), whose
 * seq then stays the same for 600 ms. Its seq.
 */
async function explained(page: Page, after: number, method: string, cam?: number): Promise<number> {
  const read = () => page.locator('#why-map').evaluate((c) => ({ ...(c as HTMLCanvasElement).dataset }));
  return waitFor(`a ${method} map after #${after}`, 15_000, async () => {
    const d = await read();
    if (d.method !== method || Number(d.seq) <= after || (cam !== undefined && d.cam !== String(cam))) return undefined;
    await new Promise((r) => setTimeout(r, 600));
    return (await read()).seq === d.seq ? Number(d.seq) : undefined;
  });
}

/** Sums of a canvas's pixel brightness per column (RGBA, width columns). */
async function columnSums(page: Page, selector: string): Promise<number[]> {
  const width = await page.locator(selector).evaluate((c) => (c as HTMLCanvasElement).width);
  const px = await canvasPixels(page, selector);
  const sums = new Array(width).fill(0);
  for (let i = 0; i < px.length; i += 4) sums[(i / 4) % width] += px[i] + px[i + 1] + px[i + 2];
  return sums;
}

describe('Lurk: why this answer', () => {
  const fixture = useServerAndBrowser({ serverArgs: ['--models', models] });

  it('puts Grad-CAM on the stroke, follows the stroke, and changes with the method', { timeout: 60_000 }, async () => {
    const page = await fixture.browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(fixture.server.url + 'lurk.html');
    await waitFor('the network', 30_000, async () => ((await page.locator('#method option').count()) > 5 ? true : undefined));
    expect(await page.inputValue('#method')).toBe('grad_cam');
    // Every method of the engine is offered.
    expect(await page.locator('#method option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value))).toEqual([
      'gradient', 'gradient_x_input', 'guided_backprop', 'deconvnet', 'grad_cam', 'guided_grad_cam', 'layer_cam', 'score_cam',
      'smoothgrad', 'integrated_gradients', 'occlusion',
    ]);

    await drawStroke(page, [[14, 4], [14, 10], [14, 16], [14, 24]]);
    let seq = await explained(page, 0, 'grad_cam');
    await settle(page);
    const predicted = Number(await page.locator('#bars').getAttribute('data-top'));
    console.log(`a vertical stroke: predicted ${predicted}`);
    // The ink's columns, read off the input itself (the overlay at opacity 0), and the share of
    // the predicted class's map (its small heat map) within a pixel of them.
    await page.locator('#opacity').fill('0');
    await settle(page);
    const ink = await columnSums(page, '#why-map');
    const inkColumns = ink.map((v, x) => [v, x]).filter(([v]) => v > 0.15 * Math.max(...ink)).map(([, x]) => x);
    expect(inkColumns.length).toBeLessThan(ink.length / 2);
    const massOnInk = async () => {
      const heat = await columnSums(page, `#class-maps canvas[data-class="${predicted}"]`);
      const near = heat.filter((_, x) => inkColumns.some((c) => Math.abs(c - x) <= 1)).reduce((a, b) => a + b, 0);
      return near / heat.reduce((a, b) => a + b, 0);
    };
    // At the view's default CAM layer (the first conv layer's ReLU, 14×14: cam_layer.hpp) the
    // evidence for a "1" is the stroke; at the last conv layer (7×7), the engine's default, it is
    // mostly the empty columns either side of it.
    expect(await page.inputValue('#cam-layer')).toBe('1');
    const onInk = await massOnInk();
    console.log(`ink in columns ${inkColumns.join(',')} of ${ink.length}; Grad-CAM mass there at the default layer 1: ${(100 * onInk).toFixed(1)} %`);
    expect(onInk).toBeGreaterThan(0.5);
    await page.selectOption('#cam-layer', '4');
    seq = await explained(page, seq, 'grad_cam', 4);
    await settle(page);
    console.log(`at the last conv layer (4): ${(100 * (await massOnInk())).toFixed(1)} %`);
    await page.selectOption('#cam-layer', '1');
    seq = await explained(page, seq, 'grad_cam', 1);
    await settle(page);
    await page.locator('#opacity').fill('0.6');
    await settle(page);
    const vertical = await canvasPixels(page, '#why-map');
    await screenshot(page, 'lurk-why-1280');

    // A slanted stroke instead: the map follows it.
    await page.click('#clear');
    await drawStroke(page, [[20, 4], [16, 12], [12, 18], [8, 24]]);
    seq = await explained(page, seq, 'grad_cam');
    await settle(page);
    const slanted = await canvasPixels(page, '#why-map');
    const moved = changedFraction(vertical, slanted);
    console.log(`the slanted stroke changed ${(100 * moved).toFixed(1)} % of the map's pixels`);
    expect(moved).toBeGreaterThan(0.1);

    // Another method, the same input: other pixels.
    await page.selectOption('#method', 'integrated_gradients');
    seq = await explained(page, seq, 'integrated_gradients');
    await settle(page);
    const other = await canvasPixels(page, '#why-map');
    const changed = changedFraction(slanted, other);
    console.log(`integrated gradients changed ${(100 * changed).toFixed(1)} % of the overlay's pixels`);
    expect(changed).toBeGreaterThan(0.05);
    expect(await page.locator('#class-maps canvas').count()).toBe(10);
    expect(errors).toEqual([]);
    await page.close();
  });
});
