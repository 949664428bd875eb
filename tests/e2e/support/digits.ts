// What the Digits browser tests share: drawing on the pad as a person would, reading the
// answer off the bars, finding a unit in the scene by its hover readout, and the scene's pixels.

import type { Page } from 'playwright-core';
import { canvasPixels } from './harness';

/** The class the bars highlight, undefined when none. */
export const topClass = (page: Page) =>
  page.evaluate(() => {
    const bars = document.getElementById('bars');
    return bars?.dataset.top ? Number(bars.dataset.top) : undefined;
  });

/** Drags the mouse along points given in pad cells (0..28), pressing the left button. */
export async function drawStroke(page: Page, points: [number, number][]): Promise<void> {
  const box = (await page.locator('#pad').boundingBox())!;
  const at = ([x, y]: [number, number]) => [box.x + (x / 28) * box.width, box.y + (y / 28) * box.height] as const;
  await page.mouse.move(...at(points[0]));
  await page.mouse.down();
  for (const p of points.slice(1)) await page.mouse.move(...at(p), { steps: 2 });
  await page.mouse.up();
}

/** A 7: a bar at the top, then down to the left. */
export const SEVEN: [number, number][] = [[7, 6], [21, 6], [17, 13], [13, 20], [11, 24]];

/**
 * Where on the page (client CSS pixels) the hover readout matches `text`: found by
 * moving a synthetic pointer over the scene from its right edge (the tests then move the real
 * mouse there).
 */
export const findUnit = (page: Page, text: RegExp) =>
  page.evaluate((source) => {
    const canvas = document.querySelector('#scene canvas') as HTMLCanvasElement;
    const tip = document.getElementById('tooltip')!;
    const r = canvas.getBoundingClientRect();
    for (let x = r.width - 1; x > 0; x -= 2)
      for (let y = 0; y < r.height; y += 2) {
        canvas.dispatchEvent(new MouseEvent('mousemove', { clientX: r.left + x, clientY: r.top + y, bubbles: true }));
        if (!tip.hidden && new RegExp(source).test(tip.textContent ?? '')) return [r.left + x - 1, r.top + y] as [number, number]; // inside the unit
      }
    throw new Error(`no unit in the scene reads ${source}`);
  }, text.source);

/** The WebGL scene's pixels (RGBA at its backing resolution) and its CSS-to-backing scale. */
export async function scenePixels(page: Page) {
  const size = await page.evaluate(() => {
    const gl = document.querySelector('#scene canvas') as HTMLCanvasElement;
    return { width: gl.width, height: gl.height, scale: gl.width / gl.clientWidth };
  });
  return { ...size, data: await canvasPixels(page, '#scene canvas') };
}
