// The Digits scene as a person reads it on a 1280 × 800 screen (a projector's), #14 item 30:
// every stage is named and the output units carry their classes, all inside the canvas; a
// drawn 7 lights the output unit of 7 (and a cleared pad lights none); the network, framed,
// fills the canvas. Uses the trained MNIST MLP in build/models (trained first when missing).
// Screenshots: build/e2e/digits-scene-*.png.

import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { screenshot, settle, useServerAndBrowser, waitFor } from './support/harness';
import { drawStroke, scenePixels, SEVEN, topClass } from './support/digits';

interface Label {
  text: string;
  at: [number, number];
}

const labels = (page: Page) => page.evaluate(() => JSON.parse((document.querySelector('#scene canvas') as HTMLCanvasElement).dataset.labels ?? '[]') as Label[]);
const winner = (page: Page) =>
  page.evaluate(() => {
    const w = (document.querySelector('#scene canvas') as HTMLCanvasElement).dataset.winner;
    return w ? (JSON.parse(w) as { class: number; at: [number, number] }) : null;
  });

describe('the Digits scene', () => {
  const fixture = useServerAndBrowser({ webgl: true });

  for (const layout of ['3d', '2d'] as const) {
    it(`names every stage and class, lights the answer, and fills the canvas (${layout})`, { timeout: 600_000 }, async () => {
      const page = await fixture.browser.newPage({ viewport: { width: 1280, height: 800 } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.goto(fixture.server.url + 'digits.html');
      await waitFor('a trained model', 540_000, async () => ((await page.locator('#model-info').textContent())?.includes('test accuracy') ? true : undefined));
      await page.selectOption('#layout', layout);
      await drawStroke(page, SEVEN);
      expect(await waitFor('a prediction of 7', 30_000, async () => ((await topClass(page)) === 7 ? 7 : undefined))).toBe(7);
      await settle(page);
      await settle(page);

      const canvas = (await page.locator('#scene canvas').boundingBox())!;
      const px = await scenePixels(page);
      const at = ([x, y]: [number, number]) => {
        const i = (Math.round(y * px.scale) * px.width + Math.round(x * px.scale)) * 4;
        return [px.data[i], px.data[i + 1], px.data[i + 2]];
      };
      const isBackground = (rgb: number[]) => rgb.every((v) => Math.abs(v - 0xf7) <= 12);
      // Text pixels in a box of CSS pixels: dark grey, or the winner's green.
      const isText = ([r, g, b]: number[]) => Math.max(r, g, b) < 110 || g - Math.max(r, b) > 40;
      const darkIn = (x0: number, y0: number, x1: number, y1: number) => {
        let n = 0;
        for (let y = Math.max(0, y0); y < Math.min(canvas.height, y1); y++)
          for (let x = Math.max(0, x0); x < Math.min(canvas.width, x1); x++) if (isText(at([x, y]))) n++;
        return n;
      };

      // Every stage's label and every class's: inside the canvas, and drawn (dark text there).
      const all = await labels(page);
      expect(all.map((l) => l.text)).toEqual(['input 28×28', 'dense 128 units', 'dense 64 units', 'output softmax', ...'0123456789'.split('')]);
      for (const l of all) {
        const [x, y] = l.at;
        expect(x, l.text).toBeGreaterThan(0);
        expect(x, l.text).toBeLessThan(canvas.width);
        expect(y, l.text).toBeGreaterThan(0);
        expect(y, l.text).toBeLessThan(canvas.height);
        // Stage labels stand above their anchor, centred; class labels start at theirs.
        const ink = l.text.length > 1 ? darkIn(x - 30, y - 40, x + 30, y) : darkIn(x, y - 8, x + 14, y + 8);
        expect(ink, `text of the label "${l.text}"`).toBeGreaterThan(3);
      }

      // The answer is lit: the unit of class 7 is green, the others are not.
      const w = (await winner(page))!;
      expect(w.class).toBe(7);
      const lit = at(w.at);
      console.log(`${layout}: the winning unit's pixel rgb(${lit.join(', ')})`);
      expect(lit[1] - Math.max(lit[0], lit[2])).toBeGreaterThan(40); // #2e9d4a
      const outputs = await page.evaluate(() => JSON.parse((document.querySelector('#scene canvas') as HTMLCanvasElement).dataset.outputs!) as [number, number][]);
      for (const c of [0, 3, 9]) {
        const other = at(outputs[c]);
        expect(other[1] - Math.max(other[0], other[2]), `class ${c}'s unit`).toBeLessThan(20);
      }

      // The network fills the canvas: the box of everything drawn covers most of it.
      let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
      for (let y = 0; y < px.height; y++)
        for (let x = 0; x < px.width; x++) {
          const i = (y * px.width + x) * 4;
          if (isBackground([px.data[i], px.data[i + 1], px.data[i + 2]])) continue;
          [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), Math.max(y1, y)];
        }
      const wide = (x1 - x0 + 1) / px.width;
      const high = (y1 - y0 + 1) / px.height;
      console.log(`${layout}: drawn pixels span ${(100 * wide).toFixed(0)} % of the canvas's width, ${(100 * high).toFixed(0)} % of its height`);
      expect(wide).toBeGreaterThan(0.85);
      expect(high).toBeGreaterThan(layout === '3d' ? 0.6 : 0.35);
      await screenshot(page, `digits-scene-${layout}`);

      // A cleared pad has no answer: nothing is lit.
      await page.click('#clear');
      await waitFor('no lit class', 10_000, async () => ((await winner(page)) === null ? true : undefined));
      expect(errors).toEqual([]);
      await page.close();
    });
  }
});
