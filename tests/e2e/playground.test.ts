// The Playground in a real browser against the real server: the page connects, shows the
// first state, trains when a person clicks play, and its loss and heatmap follow.
//
// Needs build/netlens (the C++ server) and build/web (npm run build:web); `npm run test:e2e`
// builds the page first. Screenshot: build/e2e/playground.png.

import type { Page } from 'playwright-core';
import { describe, expect, it, onTestFailed } from 'vitest';
import { canvasPixels, changedFraction, screenshot, settle, useServerAndBrowser, waitFor } from './support/harness';

interface Reading {
  epoch: number;
  testLoss: number;
  status: string;
  playPressed: string | null;
  heatmapSeq: string | undefined;
}

async function read(page: Page): Promise<Reading> {
  return page.evaluate(() => {
    const text = (id: string) => document.getElementById(id)?.textContent ?? '';
    return {
      epoch: Number(text('epoch')),
      testLoss: Number(text('test-loss')),
      status: text('status'),
      playPressed: document.getElementById('play')?.getAttribute('aria-pressed') ?? null,
      heatmapSeq: (document.getElementById('heatmap') as HTMLCanvasElement | null)?.dataset.seq,
    };
  });
}

const heatmapPixels = (page: Page) => canvasPixels(page, '#heatmap');

describe('Playground in a browser', () => {
  const fixture = useServerAndBrowser();
  const pageErrors: string[] = [];

  it('trains on play: the test loss falls and the heatmap changes', async () => {
    onTestFailed(() => console.error(`netlens serve output:\n${fixture.server.output()}`));
    const page = await fixture.browser.newPage({ viewport: { width: 1100, height: 900 } });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    const noErrorShown = (r: Reading) => {
      expect(r.status, 'the status line shows an error').not.toMatch(/error/i);
    };

    await page.goto(fixture.server.url);

    // The first frame: epoch 0, a test loss, a drawn heatmap, and training paused.
    const first = await waitFor('the first state and heatmap', 30_000, async () => {
      const r = await read(page);
      noErrorShown(r);
      return r.heatmapSeq && Number.isFinite(r.testLoss) && r.status.includes('connected') ? r : undefined;
    });
    expect(first.epoch).toBe(0);
    expect(first.playPressed).toBe('false');
    expect(await page.textContent('#test-loss')).toMatch(/^\d+\.\d{3}$/);
    const before = await heatmapPixels(page);
    // The grid covers the whole canvas: every pixel is painted opaque, none left blank.
    expect(before.filter((_, i) => i % 4 === 3 && before[i] !== 255).length).toBe(0);

    await page.click('#play');
    await waitFor('#play to show running', 10_000, async () =>
      (await read(page)).playPressed === 'true' ? true : undefined,
    );

    const later = await waitFor('the epoch to reach 50', 20_000, async () => {
      const r = await read(page);
      noErrorShown(r);
      return r.epoch >= 50 ? r : undefined;
    });
    // Let the heatmap of the newest frame be drawn (drawing waits for an animation frame).
    await settle(page);
    const after = await heatmapPixels(page);
    const afterLoss = Number(await page.textContent('#test-loss'));

    expect(later.epoch).toBeGreaterThanOrEqual(50);
    expect(afterLoss, `test loss at epoch 0 was ${first.testLoss}`).toBeLessThan(first.testLoss);
    expect(changedFraction(before, after)).toBeGreaterThan(0.01);
    // The loss chart's legend sits above its plot and covers none of its lines.
    const [legend, lines] = await Promise.all(['#loss-chart .legend', '#loss-chart .lines'].map(async (sel) => (await page.locator(sel).boundingBox())!));
    expect(legend.y + legend.height).toBeLessThanOrEqual(lines.y + 1);

    // Pause again, like a person would, and the button follows the server's state.
    await page.click('#play');
    await waitFor('#play to show paused', 10_000, async () =>
      (await read(page)).playPressed === 'false' ? true : undefined,
    );

    await screenshot(page, 'playground');

    noErrorShown(await read(page));
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it('steps one epoch at a time, and reset brings back the first state', async () => {
    onTestFailed(() => console.error(`netlens serve output:\n${fixture.server.output()}`));
    const page = await fixture.browser.newPage({ viewport: { width: 1100, height: 900 } });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(fixture.server.url);

    const first = await waitFor('the first state and heatmap', 30_000, async () => {
      const r = await read(page);
      return r.heatmapSeq && Number.isFinite(r.testLoss) && r.status.includes('connected') ? r : undefined;
    });
    const initialPixels = await heatmapPixels(page);
    const chartPoints = () => page.getAttribute('#loss-chart', 'data-points');

    for (const expected of [1, 2, 3]) {
      await page.click('#step');
      const r = await waitFor(`epoch ${expected}`, 10_000, async () => {
        const x = await read(page);
        return x.epoch === expected ? x : undefined;
      });
      expect(r.playPressed).toBe('false');
    }
    await waitFor('the chart to hold 4 points', 5_000, async () => ((await chartPoints()) === '4' ? true : undefined));

    await page.click('#reset');
    // Three steps and the reset published one frame each; wait for the reset's heatmap.
    const resetSeq = Number(first.heatmapSeq) + 4;
    const reset = await waitFor('epoch 0 again, drawn', 10_000, async () => {
      const x = await read(page);
      return x.epoch === 0 && Number(x.heatmapSeq) >= resetSeq ? x : undefined;
    });
    // Same seed, same weights: the same loss and the same picture as at the start.
    expect(reset.testLoss).toBe(first.testLoss);
    await waitFor('the chart to start over', 5_000, async () => ((await chartPoints()) === '1' ? true : undefined));
    expect(changedFraction(initialPixels, await heatmapPixels(page))).toBe(0);

    expect(reset.status).not.toMatch(/error/i);
    expect(pageErrors).toEqual([]);
    await page.close();
  });
});
