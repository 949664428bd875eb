// Lurk following a CNN trained from the Lurk page in a real browser: the view shows the newest
// checkpoint as the run records it (each with a pass over the first 2,000 test images), and the
// grid's first-layer kernels change from one followed checkpoint to a later one; stop ends the
// run. Screenshot: build/e2e/lurk-live-1280.png.

import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { readStatus, screenshot, useServerAndBrowser, waitFor } from './support/harness';

/** The first tile's kernel values as the grid writes them. */
const firstKernel = (page: Page) => page.locator('#grid .unit-tile[data-unit="0"] .kernel span').allTextContents();

describe('Lurk: live while training', () => {
  const fixture = useServerAndBrowser();

  it('follows a CNN trained from the Lurk page, checkpoint after checkpoint', { timeout: 120_000 }, async () => {
    const page = await fixture.browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(fixture.server.url + 'lurk.html');
    await waitFor('the connection', 30_000, async () => ((await readStatus(page)).connection === 'open' ? true : undefined));
    await page.click('#train');
    const followed = async (after: number) =>
      waitFor(`a checkpoint after ${after} with its pass`, 60_000, async () => {
        const label = (await page.locator('#checkpoint-label').textContent()) ?? '';
        const m = /^following the run: checkpoint (\d+)\//.exec(label);
        if (!m || Number(m[1]) <= after || (await page.locator('#grid').getAttribute('data-checkpoint')) !== String(Number(m[1]) - 1)) return undefined;
        const k = await firstKernel(page);
        return k.length === 9 ? { at: Number(m[1]), kernel: k } : undefined;
      });
    const early = await followed(0);
    const later = await followed(early.at + 1);
    console.log(`followed checkpoint ${early.at}: ${early.kernel.join(' ')}; checkpoint ${later.at}: ${later.kernel.join(' ')}`);
    expect(later.kernel).not.toEqual(early.kernel);
    expect(await page.locator('#training').textContent()).toMatch(/^training a mnist CNN: epoch 1\/2/);
    expect((await readStatus(page)).text).not.toMatch(/error/);
    await screenshot(page, 'lurk-live-1280');
    await page.click('#stop');
    await waitFor('the run stopped', 30_000, async () => ((await page.locator('#training').getAttribute('data-phase')) === 'done' ? true : undefined));
    expect(errors).toEqual([]);
    await page.close();
  });
});
