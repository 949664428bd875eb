// The Inside view in a real browser against the real server: XOR with 2 and 3 hidden units is
// learnt live (the separator reaches 100 %), the 3D canvases are drawn (WebGL through
// SwiftShader), dragging the loss surface rotates it, space toggles play and q stops the run.
// Screenshots: build/e2e/inside-2.png and inside-3.png.

import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { canvasPixels, readStatus, screenshot, settle, useServerAndBrowser, waitFor } from './support/harness';

/** Share of pixels that are not the white background. */
function ink(pixels: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < pixels.length; i += 4) if (765 - pixels[i] - pixels[i + 1] - pixels[i + 2] > 30) n++;
  return n / (pixels.length / 4);
}

function changed(a: Uint8Array, b: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < a.length; i += 4) if (Math.abs(a[i] - b[i]) + Math.abs(a[i + 1] - b[i + 1]) + Math.abs(a[i + 2] - b[i + 2]) > 24) n++;
  return n / (a.length / 4);
}

const dataset = (page: Page) => page.evaluate(() => ({ ...document.getElementById('app')!.dataset }));

describe('Inside in a browser', () => {
  const fixture = useServerAndBrowser({ webgl: true });
  const pageErrors: string[] = [];

  async function runToTheEnd(hidden: number): Promise<Page> {
    const page = await fixture.browser.newPage({ viewport: { width: 1500, height: 1100 } });
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    await page.goto(`${fixture.server.url}inside.html?hidden=${hidden}&refresh=2000&epochs=20000`);
    await waitFor('the run with the link settings', 15_000, async () => {
      const d = await dataset(page);
      return d.run === '2' && d.pictures ? true : undefined;
    });
    expect(await page.inputValue('#hidden')).toBe(String(hidden));
    await page.keyboard.press(' ');
    const end = await waitFor('the run to finish', 60_000, async () => {
      const d = await dataset(page);
      return d.state === 'finished' && d.pictures === d.seq ? d : undefined;
    });
    expect(Number(end.epoch)).toBe(20000);
    expect(Number(end.loss)).toBeLessThan(0.01);
    expect(Number(end.separator)).toBe(1);
    await settle(page);
    return page;
  }

  it('learns XOR with 2 hidden units and draws the 2D hidden space and the loss surface', { timeout: 120_000 }, async () => {
    const page = await runToTheEnd(2);
    expect(await page.isVisible('#hidden-2d canvas')).toBe(true);
    expect(await page.isHidden('#hidden-3d')).toBe(true);
    expect(ink(await canvasPixels(page, '#surface canvas'))).toBeGreaterThan(0.1);
    expect(await page.locator('#architecture g.node').count()).toBe(2 + 2 + 1);
    expect(await page.locator('#dims option[value="3"]').isDisabled()).toBe(true); // 2 units: no 3 PCA axes
    await screenshot(page, 'inside-2');
    await page.close();
  });

  it('learns XOR with 3 hidden units, draws the 3D hidden space, and the surface turns when dragged', { timeout: 120_000 }, async () => {
    const page = await runToTheEnd(3);
    expect(await page.isVisible('#hidden-3d canvas')).toBe(true);
    expect(ink(await canvasPixels(page, '#hidden-3d canvas'))).toBeGreaterThan(0.02);
    const before = await canvasPixels(page, '#surface canvas');
    expect(ink(before)).toBeGreaterThan(0.1);
    const box = (await page.locator('#surface canvas').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 120, box.y + box.height / 2 + 30, { steps: 8 });
    await page.mouse.up();
    await settle(page);
    expect(changed(before, await canvasPixels(page, '#surface canvas'))).toBeGreaterThan(0.05);
    await screenshot(page, 'inside-3');
    await page.close();
  });

  it('space plays and pauses, q stops the run', { timeout: 60_000 }, async () => {
    const page = await fixture.browser.newPage({ viewport: { width: 1500, height: 1100 } });
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    await page.goto(`${fixture.server.url}inside.html?refresh=10&epochs=50000`);
    await waitFor('the first frame', 15_000, async () => ((await dataset(page)).run === '2' ? true : undefined));
    await page.keyboard.press(' ');
    await waitFor('training', 20_000, async () => ((await dataset(page)).state === 'training' ? true : undefined));
    await page.keyboard.press(' ');
    const paused = await waitFor('a pause', 20_000, async () => {
      const d = await dataset(page);
      return d.state === 'paused' ? d : undefined;
    });
    expect(Number(paused.epoch)).toBeGreaterThan(0);
    await page.keyboard.press(' ');
    await waitFor('training again', 20_000, async () => ((await dataset(page)).state === 'training' ? true : undefined));
    await page.keyboard.press('q');
    const stopped = await waitFor('the stop', 20_000, async () => {
      const d = await dataset(page);
      return d.state === 'stopped' ? d : undefined;
    });
    await new Promise((r) => setTimeout(r, 500));
    expect((await dataset(page)).epoch).toBe(stopped.epoch); // no more training after q
    expect(await page.textContent('#run-state')).toBe('stopped (play starts again from epoch 0)');
    await page.close();
    expect(pageErrors).toEqual([]);
  });

  it('keeps the layer select and the panel title on one layer, and says refusals in the controls\' words', { timeout: 60_000 }, async () => {
    const page = await fixture.browser.newPage({ viewport: { width: 1500, height: 1100 } });
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    await page.goto(`${fixture.server.url}inside.html?refresh=50`);
    const newRun = async (after: string | undefined) =>
      waitFor('a new run with its pictures', 15_000, async () => {
        const d = await dataset(page);
        return d.run !== after && d.pictures && Number(d.pictures) > 0 ? d.run : undefined;
      });
    let run = await newRun(undefined);
    const shownLayer = async () => (await page.locator('#hidden-info').textContent())?.match(/^layer (\d+)/)?.[1];
    await page.fill('#hidden', '4,3');
    await page.press('#hidden', 'Enter');
    run = await newRun(run);
    await page.selectOption('#hidden-layer', '0');
    await page.click('#step');
    await waitFor('layer 1 in the panel', 10_000, async () => ((await shownLayer()) === '1' ? true : undefined));
    await page.fill('#hidden', '5,5');
    await page.press('#hidden', 'Enter');
    run = await newRun(run);
    await page.click('#step');
    await waitFor('the hidden-space panel', 10_000, async () => ((await shownLayer()) !== undefined ? true : undefined));
    await settle(page);
    expect(String(Number(await page.inputValue('#hidden-layer')) + 1)).toBe(await shownLayer());

    // A refused value: the message names the control, and the control shows what the run uses.
    const refused = async (id: string, value: string, message: string, kept: string) => {
      await page.fill(id, value);
      await page.press(id, 'Enter');
      await waitFor(`the refusal of ${value}`, 10_000, async () => ((await readStatus(page)).text.includes(message) ? true : undefined));
      expect(await page.inputValue(id)).toBe(kept);
      expect((await readStatus(page)).text).not.toContain('set_spec');
    };
    await refused('#learning_rate', '100', 'Learning rate: must be a number from 0.000001 to 10, not 100 (the run keeps 0.01)', '0.01');
    await refused('#seed', '1.5', 'Seed: must be a whole number from 0 to 4294967295, not 1.5', '1');
    await refused('#epochs', '1e12', 'Epochs: must be a whole number from 1 to 1000000, not 1e12', '40000');
    await refused('#hidden', '5,0', 'Hidden layers: layer 2 must be a whole number from 1 to 64, not 0 (the run keeps 5,5)', '5,5');
    expect((await dataset(page)).run).toBe(run);
    await page.close();
    expect(pageErrors).toEqual([]);
  });
});
