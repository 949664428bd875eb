// The Inside page as a newcomer meets it (#14 items 29, 20, 24): an 8-unit layer's values can be
// read, both 3D panels name their axes, the panels use the width of the screen (and a 1024 px
// screen does not scroll sideways); bad values typed into the controls are refused in the
// controls' words; the kept sample is marked, play after q says it starts a new run, the header
// names the data set, and the PCA select shows the axes the panel draws.

import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { readStatus, settle, useServerAndBrowser, waitFor } from './support/harness';

const dataset = (page: Page) => page.evaluate(() => ({ ...document.getElementById('app')!.dataset }));

type Box = { x: number; y: number; width: number; height: number };
const overlap = (a: Box, b: Box, gap: number) =>
  a.x < b.x + b.width + gap && b.x < a.x + a.width + gap && a.y < b.y + b.height + gap && b.y < a.y + a.height + gap;

describe('the Inside page', () => {
  const fixture = useServerAndBrowser({ webgl: true });
  const pageErrors: string[] = [];

  async function open(query: string, viewport = { width: 1440, height: 900 }): Promise<Page> {
    const page = await fixture.browser.newPage({ viewport });
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    await page.goto(`${fixture.server.url}inside.html?${query}`);
    await waitFor('the linked run with its pictures', 20_000, async () => {
      const d = await dataset(page);
      return d.run === '2' && d.pictures && d.pictures === d.seq ? true : undefined;
    });
    await settle(page);
    return page;
  }

  it('at 1440 px: an 8-unit layer reads, the 3D panels name their axes, the panels fill the width', { timeout: 60_000 }, async () => {
    const page = await open('hidden=8,3&refresh=100&epochs=2000');
    // Every value line of the 8 units, and each unit's block against its neighbours' (4 px apart at least).
    const blocks = await page.locator('#architecture g.node[data-layer="1"] text.values').evaluateAll((els) =>
      els.map((el) => {
        const r = el.getBoundingClientRect();
        return { x: r.x, y: r.y, width: r.width, height: r.height, lines: el.querySelectorAll('tspan').length };
      }),
    );
    expect(blocks).toHaveLength(8);
    for (const b of blocks) expect(b.lines).toBe(3);
    for (let i = 0; i < blocks.length; i++)
      for (let j = i + 1; j < blocks.length; j++) expect(overlap(blocks[i], blocks[j], 4), `units ${i + 1} and ${j + 1}`).toBe(false);
    const circles = await page.locator('#architecture g.node circle').evaluateAll((els) => els.map((el) => el.getBoundingClientRect().toJSON() as Box));
    for (const b of blocks) for (const c of circles) expect(overlap(b, c, 0)).toBe(false);

    // Axis names over the 3D hidden space (the last layer's 3 units) and the loss surface, inside their canvases.
    for (const [panel, names] of [
      ['#hidden-3d', [/^unit 1 of layer 2$/, /^unit 2 of layer 2$/, /^unit 3 of layer 2$/]],
      ['#surface', [/^α: d1 ±1$/, /^loss/, /^β: d2 ±1$/]],
    ] as const) {
      const labels = page.locator(`${panel} .axis-label`);
      expect(await labels.allTextContents()).toEqual([expect.stringMatching(names[0]), expect.stringMatching(names[1]), expect.stringMatching(names[2])]);
      const canvas = (await page.locator(`${panel} canvas`).boundingBox())!;
      for (const label of await labels.all()) {
        const b = (await label.boundingBox())!;
        expect(b.x >= canvas.x && b.x + b.width <= canvas.x + canvas.width && b.y >= canvas.y && b.y + b.height <= canvas.y + canvas.height).toBe(true);
      }
    }

    // The panels of each row cover most of the width; the 3D panels are the second row's halves.
    const rows = await page.locator('main.inside .inside-row').evaluateAll((rs) =>
      rs.map((r) => Array.from(r.querySelectorAll(':scope > .panel')).reduce((sum, p) => sum + p.getBoundingClientRect().width, 0)),
    );
    expect(rows).toHaveLength(2);
    for (const covered of rows) expect(covered).toBeGreaterThan(0.9 * 1440);
    const stage = (await page.locator('#hidden-3d canvas').boundingBox())!;
    expect(stage.width).toBeGreaterThan(0.4 * 1440);
    await page.close();
  });

  it('at 1024 px the page does not scroll sideways, and the 2D hidden space names its axes', { timeout: 60_000 }, async () => {
    const page = await open('hidden=2&refresh=100&epochs=2000', { width: 1024, height: 768 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1024);
    expect(await page.locator('#hidden-2d .axis-label').allTextContents()).toEqual(['unit 1 of layer 1 →', 'unit 2 of layer 1 →']);
    // Two units: the panel is drawn in 2D, and the PCA select says 2, with 3 not on offer.
    expect(await page.inputValue('#dims')).toBe('2');
    expect(await page.locator('#dims option[value="3"]').isDisabled()).toBe(true);
    await page.close();
  });

  it("says bad values in the controls' words, every one of a link's, with plain numbers", { timeout: 60_000 }, async () => {
    const page = await open('hidden=2&refresh=50');
    const refused = async (id: string, value: string, message: string, kept: string) => {
      await page.fill(id, value);
      await page.press(id, 'Enter');
      const status = await waitFor(`the refusal of ${value}`, 10_000, async () => {
        const s = (await readStatus(page)).text;
        return s.includes(message) ? s : undefined;
      });
      expect(status).not.toMatch(/set_spec|spec\.|\de\+|got/);
      expect(await page.inputValue(id)).toBe(kept);
    };
    await refused('#hidden', '3,a', 'Hidden layers: layer 2 must be a whole number from 1 to 64, not a (the run keeps 2)', '2');
    await refused('#hidden', '', 'Hidden layers: layer 1 must be a whole number from 1 to 64, not empty (the run keeps 2)', '2');
    await refused('#seed', '-1', 'Seed: must be a whole number from 0 to 4294967295, not -1 (the run keeps 1)', '1');
    await refused('#learning_rate', '100', 'Learning rate: must be a number from 0.000001 to 10, not 100 (the run keeps 0.01)', '0.01');
    await refused('#refresh', '1', 'Refresh every: must be at least 8 epochs (a run keeps at most 5000 pictures), not 1 (the run keeps 50)', '50');
    expect((await dataset(page)).run).toBe('2');
    await page.close();

    // A link with two bad values: both are named.
    const linked = await fixture.browser.newPage({ viewport: { width: 1440, height: 900 } });
    await linked.goto(`${fixture.server.url}inside.html?seed=1.5&epochs=2000000`);
    const status = await waitFor('the link refused', 15_000, async () => {
      const s = (await readStatus(linked)).text;
      return s.includes('Epochs') ? s : undefined;
    });
    expect(status).toContain('Seed: must be a whole number from 0 to 4294967295, not 1.5');
    expect(status).toContain('Epochs: must be a whole number from 1 to 1000000, not 2000000');
    await linked.close();
    expect(pageErrors).toEqual([]);
  });

  it('marks the kept sample, says that play after q starts a new run, and names the data set in the header', { timeout: 90_000 }, async () => {
    const page = await open('refresh=10&epochs=50000');
    // The header follows the data set.
    expect(await page.textContent('.site-subtitle')).toContain('XOR');
    await page.selectOption('#dataset', 'spiral');
    await waitFor('the spiral run', 20_000, async () => ((await dataset(page)).run === '3' ? true : undefined));
    const subtitle = await page.textContent('.site-subtitle');
    expect(subtitle).toContain('spiral');
    expect(subtitle).not.toContain('XOR');
    expect(await page.textContent('#notice')).toBe(''); // a run the person asked for needs no notice
    // Click the boundary a third of the way in: a marker there; click again: gone.
    const box = (await page.locator('#boundary').boundingBox())!;
    const at = { x: box.x + box.width / 3, y: box.y + box.height / 4 };
    expect(await page.isHidden('#pin')).toBe(true);
    await page.mouse.click(at.x, at.y);
    await waitFor('the marker', 10_000, async () => ((await page.isVisible('#pin')) ? true : undefined));
    const pin = (await page.locator('#pin').boundingBox())!;
    expect(Math.abs(pin.x + pin.width / 2 - at.x)).toBeLessThan(3);
    expect(Math.abs(pin.y + pin.height / 2 - at.y)).toBeLessThan(3);
    await waitFor('the kept sample in the nodes', 10_000, async () => ((await page.textContent('#sample'))?.includes('kept') ? true : undefined));
    await page.mouse.click(at.x, at.y);
    expect(await page.isHidden('#pin')).toBe(true);

    // q, then space: the status line says a new run starts from 0, and where the old one ended.
    await page.keyboard.press(' ');
    await waitFor('training', 20_000, async () => ((await dataset(page)).state === 'training' ? true : undefined));
    await page.keyboard.press('q');
    const stopped = await waitFor('the stop', 20_000, async () => {
      const d = await dataset(page);
      return d.state === 'stopped' ? d : undefined;
    });
    expect(await page.textContent('#notice')).toBe('');
    await page.keyboard.press(' ');
    await waitFor('the new run', 20_000, async () => ((await dataset(page)).run === '4' ? true : undefined));
    expect(await page.textContent('#notice')).toBe(`a new run from epoch 0: the stopped one ended at epoch ${stopped.epoch}`);

    await page.close();
    expect(pageErrors).toEqual([]);
  });
});
