// What the Lurk page opens besides the models folder's .nlmodel files, in a real browser against
// the real server: a model file the user uploads from the page (a bad one is refused in the page
// and the server stays up; a good .onnx is saved, listed and opened), an image the user uploads
// as the input of "why this answer" (prepared on the server as a drawing is), and a run
// directory of the runs folder by its link (lurk.html#run=NAME). Screenshot:
// build/e2e/lurk-upload-1280.png.

import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { canvasPixels, repoRoot, screenshot, settle, useServerAndBrowser, waitFor } from './support/harness';
import { trainLurkModel } from './support/lurk';

const models = trainLurkModel();
const scratch = mkdtempSync(path.join(os.tmpdir(), 'netlens-e2e-lurk-open-'));
const onnx = path.join(scratch, 'their model.onnx');
const exported = spawnSync(path.join(repoRoot, 'build', 'netlens'), ['export', '--model', path.join(models, 'mnist-cnn.nlmodel'), '--out', onnx], { encoding: 'utf8' });
if (exported.status !== 0) throw new Error(`netlens export failed: ${exported.stderr}`);
const runs = path.join(scratch, 'runs');
mkdirSync(path.join(runs, 'e2e-run'), { recursive: true });
copyFileSync(path.join(models, 'mnist-cnn.nlmodel'), path.join(runs, 'e2e-run', 'model.nlmodel'));
afterAll(() => {
  rmSync(path.dirname(models), { recursive: true, force: true });
  rmSync(scratch, { recursive: true, force: true });
});

const panelUnit = (page: Page) => page.evaluate(() => document.getElementById('unit-panel')?.dataset.unit);

async function passDone(page: Page): Promise<void> {
  await waitFor('the dataset pass', 30_000, async () => ((await page.locator('#pass-progress').getAttribute('data-done')) === 'true' ? true : undefined));
  await waitFor('a unit', 20_000, async () => ((await panelUnit(page)) ? true : undefined));
}

/** A PNG of a dark vertical stroke on white paper, `w` × `h`, drawn by the browser. */
async function strokePng(page: Page, w: number, h: number, x: number): Promise<Buffer> {
  const b64 = await page.evaluate(([w, h, x]) => {
    const c = document.createElement('canvas');
    c.width = w;
    c.height = h;
    const ctx = c.getContext('2d')!;
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, w, h);
    ctx.fillStyle = '#111';
    ctx.fillRect(x, h * 0.15, w * 0.08, h * 0.7);
    return c.toDataURL('image/png').split(',')[1];
  }, [w, h, x]);
  return Buffer.from(b64, 'base64');
}

describe('Lurk: opening any model netlens has', () => {
  const fixture = useServerAndBrowser({ serverArgs: ['--models', models, '--runs', runs] });

  it('refuses a bad model file in the page, then uploads, lists and opens a .onnx', { timeout: 90_000 }, async () => {
    const page = await fixture.browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(fixture.server.url + 'lurk.html');
    await passDone(page);
    expect(await page.locator('#model option').allTextContents()).toEqual(['mnist-cnn.nlmodel', 'run: e2e-run']);

    await page.setInputFiles('#model-file', { name: 'broken.onnx', mimeType: 'application/octet-stream', buffer: Buffer.from('not an onnx model') });
    await waitFor('the refusal', 10_000, async () => ((await page.locator('#upload-info').getAttribute('data-state')) === 'error' ? true : undefined));
    const refusal = (await page.locator('#upload-info').textContent()) ?? '';
    console.log(`bad upload: ${refusal}`);
    expect(refusal).toMatch(/^upload refused: uploaded-broken\.onnx: onnx/);
    expect(await page.locator('#model').inputValue()).toBe('mnist-cnn.nlmodel'); // the model open before stays

    await page.setInputFiles('#model-file', { name: 'their model.onnx', mimeType: 'application/octet-stream', buffer: readFileSync(onnx) });
    await waitFor('the upload', 10_000, async () => ((await page.locator('#upload-info').getAttribute('data-state')) === 'done' ? true : undefined));
    expect(await page.locator('#upload-info').textContent()).toBe('uploaded as uploaded-their-model.onnx');
    expect(await page.locator('#model').inputValue()).toBe('uploaded-their-model.onnx');
    await waitFor('the uploaded model', 10_000, async () => ((await page.locator('#model-info').textContent())?.match(/^uploaded-their-model\.onnx: \d+ layers/) ? true : undefined));
    await passDone(page);
    expect(page.url()).toContain('#model=uploaded-their-model.onnx');
    await settle(page);
    await screenshot(page, 'lurk-upload-1280');

    // A new page lists it among the models folder's files.
    const again = await fixture.browser.newPage({ viewport: { width: 1280, height: 800 } });
    await again.goto(fixture.server.url + 'lurk.html#model=uploaded-their-model.onnx');
    await passDone(again);
    expect(await again.locator('#model option').allTextContents()).toEqual(['mnist-cnn.nlmodel', 'uploaded-their-model.onnx', 'run: e2e-run']);
    expect(await again.locator('#pass-progress').textContent()).toContain('read from the cache');
    await again.close();
    expect(errors).toEqual([]);
    await page.close();
  });

  it('explains an uploaded image, prepared as a drawing is, and shows it on the pad as the network sees it', { timeout: 60_000 }, async () => {
    const page = await fixture.browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(fixture.server.url + 'lurk.html#model=mnist-cnn.nlmodel&method=gradient');
    await passDone(page);
    const explained = async (file: string, before: string | undefined) => {
      await waitFor(`the map of ${file}`, 10_000, async () => {
        const seq = await page.locator('#why-map').getAttribute('data-seq');
        return (await page.locator('#input-info').textContent()) === `your image ${file}` && seq !== null && seq !== before ? seq : undefined;
      });
      await settle(page);
      return canvasPixels(page, '#pad');
    };
    const before = (await page.locator('#why-map').getAttribute('data-seq')) ?? undefined;
    await page.setInputFiles('#image-file', { name: 'one.png', mimeType: 'image/png', buffer: await strokePng(page, 120, 160, 20) });
    const pad = await explained('one.png', before);
    // The pad shows the network's input: the dark stroke on paper inverted to bright ink on black,
    // scaled into the 20 px box and centred by mass (the stroke was at the image's left edge).
    const at = (x: number, y: number) => pad[4 * (y * 280 + x)];
    const column = (x: number) => Array.from({ length: 280 }, (_, y) => at(x, y)).reduce((a, b) => a + b, 0);
    console.log(`uploaded stroke on the pad: centre column ${column(140)}, left ${column(40)}, right ${column(240)}`);
    expect(column(140)).toBeGreaterThan(100 * 255 * 0.5);
    expect(column(40)).toBe(0);
    expect(column(240)).toBe(0);
    expect(at(5, 5)).toBe(0);
    await screenshot(page, 'lurk-upload-image-1280');
    await page.close();
  });

  it('opens a run directory from its link, with its layer and unit', { timeout: 60_000 }, async () => {
    const page = await fixture.browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(fixture.server.url + 'lurk.html#run=e2e-run&layer=3&unit=2');
    await passDone(page);
    await waitFor('unit 3:2', 10_000, async () => ((await panelUnit(page)) === '3:2' ? true : undefined));
    expect(await page.locator('#model').inputValue()).toBe('run:e2e-run');
    expect(await page.locator('#model-info').textContent()).toMatch(/^run e2e-run: \d+ layers/);
    expect(page.url()).toMatch(/#run=e2e-run&layer=3&unit=2/);
    await page.close();

    const missing = await fixture.browser.newPage({ viewport: { width: 1280, height: 800 } });
    await missing.goto(fixture.server.url + 'lurk.html#run=nope');
    await waitFor('the link error', 10_000, async () => ((await missing.locator('#status').textContent())?.includes('link: the server has no run nope with a model; it has e2e-run') ? true : undefined));
    await missing.close();
  });
});
