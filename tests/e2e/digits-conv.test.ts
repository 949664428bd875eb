// A conv unit's detail panel (#14 item 31): clicking a unit of the CNN's second conv stage
// shows its kernel and the input patch it sees for each of its 8 input channels, with the
// stride and padding the server gave for that stage. The CNN is trained from the page (on
// MNIST, into a models folder of its own) and shown while it trains.

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { screenshot, settle, useServerAndBrowser, waitFor } from './support/harness';
import { drawStroke, findUnit, SEVEN, topClass } from './support/digits';

const models = mkdtempSync(path.join(os.tmpdir(), 'netlens-e2e-models-'));
afterAll(() => rmSync(models, { recursive: true, force: true }));

describe('a conv unit in detail', () => {
  const fixture = useServerAndBrowser({ webgl: true, serverArgs: ['--models', models] });

  it('shows every input channel\'s kernel and patch, with the stage\'s stride and padding', { timeout: 300_000 }, async () => {
    const page = await fixture.browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(fixture.server.url + 'digits.html');
    await waitFor('the session', 60_000, async () => ((await page.locator('#progress').textContent()) ? true : undefined));
    await page.selectOption('#train-model', 'cnn');
    await page.click('#train');
    await waitFor('the CNN in training', 120_000, async () => ((await page.locator('#model-info').textContent())?.startsWith('mnist cnn') ? true : undefined));
    await page.fill('#top-n', '0');
    await page.dispatchEvent('#top-n', 'change');
    await drawStroke(page, SEVEN);
    await waitFor('a prediction', 30_000, async () => ((await topClass(page)) !== undefined ? true : undefined));
    await settle(page);

    // A unit in the middle of its map, where the 7 has ink.
    const unit = await findUnit(page, /^Conv2D\(8 -> 16, 3x3\) · unit channel \d+, \([5-8], [5-8]\)/);
    await page.mouse.click(...unit);
    const panel = page.locator('#detail');
    await waitFor('the detail panel', 10_000, async () => ((await panel.locator('[data-patch]').count()) > 0 ? true : undefined));
    const geometry = await panel.locator('.conv-geometry').textContent();
    console.log(`panel: ${geometry}`);
    expect(geometry).toMatch(/^kernel 3×3, stride 1, padding 1: output \((\d+), (\d+)\) sees input rows (-?\d+)\.\.(-?\d+), columns (-?\d+)\.\.(-?\d+) of each of its 8 input channels$/);
    const [, y, x, r0, r1, c0, c1] = geometry!.match(/\((\d+), (\d+)\) sees input rows (-?\d+)\.\.(-?\d+), columns (-?\d+)\.\.(-?\d+)/)!.map(Number);
    expect([r0, r1, c0, c1]).toEqual([y - 1, y + 1, x - 1, x + 1]);
    expect(await panel.locator('[data-kernel]').count()).toBe(8);
    expect(await panel.locator('[data-patch]').count()).toBe(8);
    expect(await panel.locator('[data-patch] figcaption').allTextContents()).toEqual(Array.from({ length: 8 }, (_, c) => `the patch it sees, input channel ${c}`));
    // Each channel's own patch, not channel 0's eight times over.
    const patches = await panel.locator('[data-patch]').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.values));
    expect(new Set(patches).size).toBeGreaterThan(1);
    await screenshot(page, 'digits-conv-detail');
    await page.click('#stop');
    expect(errors).toEqual([]);
    await page.close();
  });
});
