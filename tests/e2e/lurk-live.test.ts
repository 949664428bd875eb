// Lurk following a CNN as it trains, in a real browser: one trained from the Lurk page, and one
// trained from the Digits page (its run directory, reached by the Digits page's link). The view
// shows the newest checkpoint as the run records it (each with a pass over the first 2,000 test
// images), and the grid's first-layer kernels change from one followed checkpoint to a later one;
// stop ends the run. Screenshots: build/e2e/lurk-live-1280.png, lurk-follow-digits-1280.png.

import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { readStatus, screenshot, useServerAndBrowser, waitFor } from './support/harness';

/** The first tile's kernel values as the grid writes them. */
const firstKernel = (page: Page) => page.locator('#grid .unit-tile[data-unit="0"] .kernel span').allTextContents();

/** The first checkpoint past `after` that the view follows, once its pass is done and the grid shows it. */
const followed = async (page: Page, after: number) =>
  waitFor(`a checkpoint after ${after} with its pass`, 60_000, async () => {
    const label = (await page.locator('#checkpoint-label').textContent()) ?? '';
    const m = /^following the run: checkpoint (\d+)\//.exec(label);
    if (!m || Number(m[1]) <= after || (await page.locator('#grid').getAttribute('data-checkpoint')) !== String(Number(m[1]) - 1)) return undefined;
    const k = await firstKernel(page);
    return k.length === 9 ? { at: Number(m[1]), kernel: k } : undefined;
  });

describe('Lurk: live while training', () => {
  const fixture = useServerAndBrowser();

  it('follows a CNN trained from the Lurk page, checkpoint after checkpoint', { timeout: 120_000 }, async () => {
    const page = await fixture.browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(fixture.server.url + 'lurk.html');
    await waitFor('the connection', 30_000, async () => ((await readStatus(page)).connection === 'open' ? true : undefined));
    await page.click('#train');
    const early = await followed(page, 0);
    const later = await followed(page, early.at + 1);
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

  it('follows a CNN trained from the Digits page, through the link the Digits page shows', { timeout: 150_000 }, async () => {
    const digits = await fixture.browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors: string[] = [];
    digits.on('pageerror', (e) => errors.push(String(e)));
    await digits.goto(fixture.server.url + 'digits.html');
    await waitFor('the connection', 30_000, async () => ((await readStatus(digits)).connection === 'open' ? true : undefined));
    await digits.selectOption('#train-model', 'cnn');
    await digits.click('#train');
    const link = digits.locator('#follow-lurk');
    await waitFor('the link to Lurk', 60_000, async () => ((await link.isVisible()) ? true : undefined));
    const href = (await link.getAttribute('href')) ?? '';
    const run = decodeURIComponent(/#run=(.+)$/.exec(href)?.[1] ?? '');
    expect(run).toMatch(/^mnist-cnn-\d{8}-\d{6}/);

    // A person clicks the link: Lurk opens in a new tab.
    const [lurk] = await Promise.all([digits.context().waitForEvent('page'), link.click({ modifiers: ['Control'] })]);
    lurk.on('pageerror', (e) => errors.push(String(e)));
    await lurk.setViewportSize({ width: 1280, height: 800 });
    await lurk.waitForLoadState();
    expect(lurk.url()).toContain(`lurk.html#run=${encodeURIComponent(run)}`);
    await waitFor('following the Digits run', 60_000, async () =>
      ((await lurk.locator('#training').textContent()) ?? '').startsWith(`following the run ${run} as it trains`) ? true : undefined);
    const early = await followed(lurk, 0);
    const later = await followed(lurk, early.at + 1);
    console.log(`Digits run ${run}: checkpoint ${early.at}: ${early.kernel.join(' ')}; checkpoint ${later.at}: ${later.kernel.join(' ')}`);
    expect(later.kernel).not.toEqual(early.kernel);
    await screenshot(lurk, 'lurk-follow-digits-1280');

    // Stopped on the Digits page: Lurk says the run has ended and keeps every checkpoint to scrub.
    await digits.click('#stop');
    await waitFor('the followed run ended', 30_000, async () =>
      ((await lurk.locator('#training').textContent()) ?? '').startsWith(`the run ${run} has ended`) ? true : undefined);
    expect(Number(await lurk.locator('#checkpoint').getAttribute('max'))).toBeGreaterThanOrEqual(later.at);
    expect((await readStatus(lurk)).text).not.toMatch(/error/);
    expect(errors).toEqual([]);
    await lurk.close();
    await digits.close();
  });
});
