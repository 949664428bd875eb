// The Timeline, used as a person would: train until the run has checkpoints, drag the scrubber
// with the mouse, come back to the first checkpoint, download the GIF. Screenshot:
// build/e2e/timeline.png.

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it, onTestFailed } from 'vitest';
import { canvasPixels, settle, changedFraction, screenshot, useServerAndBrowser, waitFor } from './support/harness';
import { expectNoError, openPlayground, readState, stateWhere } from './support/playground';

/** Drags the scrubber's thumb from one end (or its middle) to another with the mouse. */
async function drag(page: Page, from: number, to: number): Promise<void> {
  const box = (await page.locator('#timeline-scrubber').boundingBox())!;
  const x = (f: number) => box.x + 2 + f * (box.width - 4);
  const y = box.y + box.height / 2;
  await page.mouse.move(x(from), y);
  await page.mouse.down();
  for (let i = 1; i <= 8; i++) await page.mouse.move(x(from + ((to - from) * i) / 8), y);
  await page.mouse.up();
}

/**
 * Waits until the map (the live heatmap for "output, as live", else the server's) shows the
 * scrubber's position and returns that position and its pixels.
 */
async function drawnMap(page: Page, selector = '#heatmap'): Promise<{ value: number; pixels: Buffer }> {
  const value = await waitFor('the map at the scrubbed position', 15_000, () =>
    page.evaluate((sel) => {
      const map = document.querySelector(sel) as HTMLCanvasElement;
      const slider = document.getElementById('timeline-scrubber') as HTMLInputElement;
      return !map.hidden && map.dataset.scrubbed === slider.value ? Number(slider.value) : undefined;
    }, selector),
  );
  await settle(page);
  return { value, pixels: await canvasPixels(page, selector) };
}

/** Where the scrubber and the legend are on the page. */
const layout = (page: Page) =>
  page.evaluate(() => ['#timeline-scrubber', '.scale-legend'].map((sel) => {
    const r = document.querySelector(sel)!.getBoundingClientRect();
    return [Math.round(r.x), Math.round(r.y)];
  }));

describe('Timeline', () => {
  const fixture = useServerAndBrowser();
  const pageErrors: string[] = [];

  it('scrubs through the checkpoints, returns to one pixel for pixel, and downloads the GIF', async () => {
    onTestFailed(() => console.error(`netlens serve output:\n${fixture.server.output()}`));
    const page = await openPlayground(fixture.browser, fixture.server, '', pageErrors);
    // Train until the run has eight checkpoints (epoch 8: 2,000 examples of 250 points), then pause.
    await page.click('#play');
    await waitFor('eight checkpoints', 30_000, async () =>
      Number(await page.getAttribute('#timeline-scrubber', 'max')) >= 7 ? true : undefined,
    );
    await page.click('#play');
    await stateWhere(page, 'paused', (s) => !s.running);
    const checkpoints = Number(await page.getAttribute('#timeline-scrubber', 'max')) + 1;
    // Live, the position names the run's epoch, not the last checkpoint's.
    expect(await page.textContent('#timeline-position')).toBe(`epoch ${(await readState(page)).epoch} · live · ${checkpoints} checkpoints`);
    expect(await page.locator('#timeline-map').isHidden()).toBe(true); // live until scrubbed
    const before = await layout(page);

    await drag(page, 1, 0);
    const first = await drawnMap(page);
    // The scrubbed output is in the live map's place and colours: the legend stays, nothing moves.
    expect(await page.locator('#timeline-map').isHidden()).toBe(true);
    expect(await page.locator('.scale-legend .scale-bar').isVisible()).toBe(true);
    expect(await layout(page)).toEqual(before);
    expect(first.value).toBe(0);
    expect(await page.getAttribute('#loss-chart', 'data-marker')).toBe('0');
    await drag(page, 0, 0.75);
    const later = await drawnMap(page);
    expect(later.value).toBeGreaterThan(0);
    expect(changedFraction(first.pixels, later.pixels)).toBeGreaterThan(0.01);
    expect(Number(await page.getAttribute('#loss-chart', 'data-marker'))).toBeGreaterThan(0);
    await drag(page, 0.75, 0);
    const again = await drawnMap(page);
    expect(again.value).toBe(0);
    expect(again.pixels.equals(first.pixels)).toBe(true);

    // Two frames per interval, then the GIF: one frame per position.
    await page.selectOption('#timeline-factor', '2');
    const download = page.waitForEvent('download');
    await page.click('#timeline-gif');
    const file = await (await download).path();
    const bytes = readFileSync(file);
    expect(bytes.subarray(0, 6).toString('latin1')).toBe('GIF89a');
    const frames = execFileSync('identify', [file], { encoding: 'utf8' }).trim().split('\n').length;
    expect(frames).toBe((checkpoints - 1) * 2 + 1);
    await drag(page, 0, 0.5);
    await drawnMap(page);
    await screenshot(page, 'timeline');
    // The server's boundary map takes the live map's place, its legend said in words.
    await page.selectOption('#timeline-mode', 'boundary');
    await drawnMap(page, '#timeline-map');
    expect(await page.textContent('.timeline-note')).toContain('boundary map');
    expect(await layout(page)).toEqual(before);
    await screenshot(page, 'timeline-boundary');

    await page.click('#timeline-live');
    await settle(page); // the chart redraws on the next animation frame
    expect(await page.locator('#timeline-map').isHidden()).toBe(true);
    expect(await page.getAttribute('#loss-chart', 'data-marker')).toBe('');
    await expectNoError(page);
    expect(pageErrors).toEqual([]);
  });
  it('on a regression run scrubbing shows the output with its points; Map and GIF are disabled and say why', async () => {
    onTestFailed(() => console.error(`netlens serve output:\n${fixture.server.output()}`));
    const page = await openPlayground(fixture.browser, fixture.server, '#dataset=plane', pageErrors);
    expect(await page.isDisabled('#timeline-mode')).toBe(true);
    expect(await page.isDisabled('#timeline-gif')).toBe(true);
    expect(await page.textContent('#timeline-why')).toContain('no GIF');
    expect(await page.inputValue('#timeline-mode')).toBe('output');
    await page.click('#play');
    await waitFor('eight checkpoints', 30_000, async () =>
      Number(await page.getAttribute('#timeline-scrubber', 'max')) >= 7 ? true : undefined,
    );
    // While it plays, the live position names the epoch the page shows (#24: it lagged).
    for (let i = 0; i < 5; i++) {
      const [position, epoch] = await page.evaluate(() => [document.getElementById('timeline-position')!.textContent, document.getElementById('epoch')!.textContent]);
      expect(position).toContain(`epoch ${Number(epoch).toLocaleString('en-US')} · live`);
      await new Promise((r) => setTimeout(r, 100));
    }
    await page.click('#play');
    await stateWhere(page, 'paused', (s) => !s.running);
    await drag(page, 1, 0);
    const first = await drawnMap(page);
    // The output (and its points) stays on the live map, not on a blank server canvas.
    expect(await page.locator('#heatmap').isVisible()).toBe(true);
    expect(await page.locator('#timeline-map').isHidden()).toBe(true);
    await drag(page, 0, 1);
    const last = await drawnMap(page);
    expect(changedFraction(first.pixels, last.pixels)).toBeGreaterThan(0.01);
    await screenshot(page, 'timeline-regression');
    // A classification set gives the controls back.
    await page.click('.dataset[data-dataset="circle"]');
    await waitFor('Map enabled', 10_000, async () => ((await page.isDisabled('#timeline-mode')) ? undefined : true));
    expect(await page.isDisabled('#timeline-gif')).toBe(false);
    expect(await page.locator('#timeline-why').isHidden()).toBe(true);
    await expectNoError(page);
    await page.close();
  });
});
