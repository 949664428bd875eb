// Lurk's training-stage scrubber in a real browser: a CNN trained for a few seconds from the
// Digits page (into a models folder of its own) and stopped is saved with its checkpoints; the
// Lurk page opens it, and scrubbing from the trained model to the first checkpoint and the last
// one changes the first conv layer's kernels in the unit grid (each checkpoint gets its own
// dataset pass). Screenshot: build/e2e/lurk-checkpoint-1280.png.

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { screenshot, useServerAndBrowser, waitFor } from './support/harness';

const models = mkdtempSync(path.join(os.tmpdir(), 'netlens-e2e-lurk-stages-'));
afterAll(() => rmSync(models, { recursive: true, force: true }));

/** The first tile's kernel values as the grid writes them. */
const firstKernel = (page: Page) => page.locator('#grid .unit-tile[data-unit="0"] .kernel span').allTextContents();

/** Waits until the grid shows the first conv layer for the stage `label` names, after a pass. */
async function stage(page: Page, key: string, label: RegExp, before: string[] | null): Promise<string[]> {
  await page.locator('#checkpoint').focus();
  await page.keyboard.press(key);
  await waitFor(`the label ${label}`, 10_000, async () => (label.test((await page.locator('#checkpoint-label').textContent()) ?? '') ? true : undefined));
  return waitFor('the kernels of that stage', 30_000, async () => {
    if ((await page.locator('#pass-progress').getAttribute('data-done')) !== 'true') return undefined;
    const k = await firstKernel(page);
    return k.length === 9 && (before === null || k.join() !== before.join()) ? k : undefined;
  });
}

describe('Lurk: the training-stage scrubber', () => {
  const fixture = useServerAndBrowser({ webgl: true, serverArgs: ['--models', models] });

  it('shows the first layer\'s kernels at the first and the last checkpoint', { timeout: 120_000 }, async () => {
    const digits = await fixture.browser.newPage({ viewport: { width: 1280, height: 800 } });
    await digits.goto(fixture.server.url + 'digits.html');
    await waitFor('the session', 60_000, async () => ((await digits.locator('#progress').textContent()) ? true : undefined));
    await digits.selectOption('#train-model', 'cnn');
    await digits.click('#train');
    await waitFor('a few checkpoints of the CNN', 60_000, async () =>
      (await digits.locator('#model-info').textContent())?.startsWith('mnist cnn') && Number(await digits.locator('#checkpoint').getAttribute('max')) >= 6 ? true : undefined);
    await digits.click('#stop');
    await waitFor('the run saved', 60_000, async () => ((await digits.locator('#progress').getAttribute('data-phase')) === 'done' ? true : undefined));
    await digits.close();

    const page = await fixture.browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(fixture.server.url + 'lurk.html#model=mnist-cnn.nlmodel&layer=0&unit=0');
    await waitFor('the pass', 60_000, async () => ((await page.locator('#pass-progress').getAttribute('data-done')) === 'true' ? true : undefined));
    const trained = await waitFor('the kernels', 20_000, async () => ((await firstKernel(page)).length === 9 ? firstKernel(page) : undefined));
    expect(await page.locator('#checkpoint-label').textContent()).toBe('the trained model');
    const first = await stage(page, 'Home', /^checkpoint 1\//, trained);
    const count = Number(await page.locator('#checkpoint').getAttribute('max'));
    console.log(`${count} checkpoints; unit 0's kernel, first: ${first.join(' ')}`);
    await screenshot(page, 'lurk-checkpoint-1280');
    await page.locator('#checkpoint').focus();
    await page.keyboard.press('End');
    const last = await stage(page, 'ArrowLeft', new RegExp(`^checkpoint ${count}/`), first);
    console.log(`last: ${last.join(' ')}; trained: ${trained.join(' ')}`);
    expect(last).not.toEqual(first);
    expect(errors).toEqual([]);
    await page.close();
  });

});
