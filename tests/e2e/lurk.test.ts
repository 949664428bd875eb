// The Lurk view in a real browser against the real server, on a small CNN trained by the CLI:
// the dataset pass runs with its progress shown, a unit's panel shows the top-1 image that
// `netlens lurk --json` names for that unit, the keyboard walks units and layers, and a copied
// link reopens the same view (unit, method, input, colour scale, diversity weight, sanity check).
// Screenshots: build/e2e/lurk-*.png.

import { rmSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { screenshot, settle, useServerAndBrowser, waitFor } from './support/harness';
import { lurkManifest, trainLurkModel } from './support/lurk';

const models = trainLurkModel();
afterAll(() => rmSync(path.dirname(models), { recursive: true, force: true }));

/** The unit the panel shows, "layer:unit", once its pictures are drawn. */
const panelUnit = (page: Page) => page.evaluate(() => document.getElementById('unit-panel')?.dataset.unit);

async function openPage(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await waitFor('the dataset pass', 30_000, async () => ((await page.locator('#pass-progress').getAttribute('data-done')) === 'true' ? true : undefined));
  await waitFor('the first unit', 20_000, async () => ((await panelUnit(page)) ? true : undefined));
}

describe('Lurk: browsing units', () => {
  const fixture = useServerAndBrowser({ serverArgs: ['--models', models] });

  it('shows the network, the pass, and the top-1 image netlens lurk names for a unit', { timeout: 60_000 }, async () => {
    const page = await fixture.browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await openPage(page, fixture.server.url + 'lurk.html');
    expect(await page.locator('#pass-progress').textContent()).toMatch(/dataset pass: 10,000 test images/);
    // The strip: every layer with its shape and parameters (conv 1 -> 8, 3x3: 8·9 + 8 = 80).
    expect(await page.locator('#strip .strip-layer').count()).toBe(10);
    expect(await page.locator('#strip [data-layer="0"] .strip-shape').textContent()).toBe('8×14×14');
    expect(await page.locator('#strip [data-layer="0"] .strip-params').textContent()).toBe('80 parameters');
    // The first conv layer's grid: a tile per unit with its kernel's 9 values.
    expect(await page.locator('#grid .unit-tile').count()).toBe(8);
    expect(await page.locator('#grid .unit-tile').first().locator('.kernel span').count()).toBe(9);

    // The second conv layer, unit 5, by clicks.
    await page.click('#strip [data-layer="3"]');
    await waitFor('the layer 3 grid', 10_000, async () => ((await page.locator('#grid .unit-tile').count()) === 16 ? true : undefined));
    await page.click('#grid .unit-tile[data-unit="5"]');
    await waitFor('unit 5', 10_000, async () => ((await panelUnit(page)) === '3:5' ? true : undefined));
    const shown = Number(await page.locator('#top-max figure[data-top="0"]').getAttribute('data-image'));
    const manifest = lurkManifest(models);
    const named = manifest.layers.find((l) => l.layer === 3)!.unit_stats[5].top_max[0].image;
    console.log(`unit 3:5: the panel's top-1 image #${shown}, netlens lurk's #${named}`);
    expect(shown).toBe(named);
    expect(Number(await page.locator('#grid .unit-tile[data-unit="5"] canvas').getAttribute('data-image'))).toBe(named);
    expect(await page.locator('#top-max figure').count()).toBe(9);
    expect(await page.locator('#top-max .field-box').count()).toBe(9);
    expect(await page.locator('#unit-kernels .kernel').count()).toBe(8); // one per input channel
    expect(await page.locator('#unit-title').textContent()).toBe('Conv2D(8 -> 16, 3x3) · unit 5');
    await settle(page);
    await screenshot(page, 'lurk-unit-1280');

    // The keyboard: the next unit in the grid's order, then the next layer.
    await page.locator('#grid').focus();
    await page.keyboard.press('ArrowRight');
    await waitFor('unit 6', 10_000, async () => ((await panelUnit(page)) === '3:6' ? true : undefined));
    await page.keyboard.press('PageDown');
    await waitFor('the dense layer', 10_000, async () => ((await panelUnit(page)) === '7:0' ? true : undefined));
    expect(await page.locator('#strip [data-layer="7"]').getAttribute('aria-current')).toBe('true');

    // Sorting by mean activation puts the highest mean first.
    await page.selectOption('#sort', 'mean');
    const means = await page.locator('#grid .unit-tile').evaluateAll((els) => els.slice(0, 5).map((e) => Number((e as HTMLElement).title.match(/mean (-?[\d.]+)/)![1])));
    expect(means).toEqual([...means].sort((a, b) => b - a));

    // The dream of a unit, with its readout against the best test image.
    await page.keyboard.press('PageUp');
    await waitFor('unit 3:0', 10_000, async () => ((await panelUnit(page)) === '3:0' ? true : undefined));
    await page.click('#dream-button');
    await waitFor('the dream', 20_000, async () => ((await page.locator('#dream-value').count()) ? true : undefined));
    expect(Number(await page.locator('#dream-value').textContent())).not.toBeNaN();
    expect(errors).toEqual([]);
    await page.close();
  });

  it('reopens the same unit and method from a copied link, and reads the cache', { timeout: 60_000 }, async () => {
    const page = await fixture.browser.newPage({ viewport: { width: 1280, height: 800 } });
    await openPage(page, fixture.server.url + 'lurk.html');
    expect(await page.locator('#pass-progress').textContent()).toContain('read from the cache');
    await page.click('#strip [data-layer="3"]');
    await page.click('#grid .unit-tile[data-unit="11"]');
    await waitFor('unit 11', 10_000, async () => ((await panelUnit(page)) === '3:11' ? true : undefined));
    await page.selectOption('#method', 'layer_cam');
    await page.click('#samples button[data-label="4"]');
    await waitFor('a test image', 10_000, async () => (/^test image #\d+ \(a 4\)$/.test((await page.locator('#input-info').textContent()) ?? '') ? true : undefined));
    const input = await page.locator('#input-info').textContent();
    // The colour scale, the diversity weight and the sanity check belong to the view too.
    await page.selectOption('#scale', 'layer');
    await page.fill('#dream-diversity', '2.5');
    await page.press('#dream-diversity', 'Enter');
    await page.locator('#dream-diversity').blur();
    await page.click('#sanity-button');
    await waitFor('the sanity check', 30_000, async () => ((await page.locator('#sanity-map').count()) === 1 ? true : undefined));
    const link = page.url();
    expect(link).toMatch(/#model=mnist-cnn.nlmodel&layer=3&unit=11&method=layer_cam/);
    expect(link).toMatch(/&scale=layer&diversity=2.5&sanity=true$/);
    await page.close();

    const again = await fixture.browser.newPage({ viewport: { width: 1280, height: 800 } });
    await openPage(again, link);
    await waitFor('unit 11 again', 10_000, async () => ((await panelUnit(again)) === '3:11' ? true : undefined));
    expect(await again.inputValue('#method')).toBe('layer_cam');
    await waitFor('the same input', 10_000, async () => ((await again.locator('#input-info').textContent()) === input ? true : undefined));
    expect(await again.locator('#why-map').getAttribute('data-method')).toBe('layer_cam');
    expect(await again.inputValue('#scale')).toBe('layer');
    expect(await again.inputValue('#dream-diversity')).toBe('2.5');
    expect(await again.locator('#sanity-button').getAttribute('aria-pressed')).toBe('true');
    await waitFor('the sanity check again', 30_000, async () => ((await again.locator('#sanity-map').count()) === 1 ? true : undefined));
    expect(again.url()).toBe(link);
    await again.close();
  });
});
