// Ingested runs on the Runs page and in the views it links to. A run written through the real
// POST endpoint (tests/e2e/support/post_run.py) with drop counts: its row and the Playground's
// follow banner say what the client dropped, and the followed run's checkpoints sit on the
// Timeline at the run's epochs (its steps), not at 0. A real PyTorch script streaming a CNN on
// MNIST (examples/pytorch/mnist_cnn.py --short): its row links Digits and Lurk, and Digits
// opened from the link shows the run's network with the training-stage slider over its snapshots.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { drawStroke, SEVEN } from './support/digits';
import { launchBrowser, repoRoot, screenshot, startServer, stopServer, waitFor, type Server } from './support/harness';

const row = (name: string) => `#runs-body tr[data-run="${name}"]`;

/** The probabilities the Digits bars show. */
const probabilities = (page: Page) =>
  page.evaluate(() => [...document.querySelectorAll<HTMLElement>('#bars .bar')].map((b) => Number(b.dataset.probability)));

describe('ingested runs in the Runs page and the views it links', () => {
  let server: Server;
  let browser: Browser;
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'netlens-e2e-ingest-views-'));
  const runs = path.join(tmp, 'runs');
  beforeAll(async () => {
    server = await startServer(['--runs', runs, '--models', path.join(tmp, 'models')]);
    browser = await launchBrowser({ webgl: true });
  });
  afterAll(async () => {
    await browser?.close();
    if (server) await stopServer(server.process);
    rmSync(tmp, { recursive: true, force: true });
  });
  const post = (...args: (string | number)[]) =>
    execFileSync('/usr/bin/python3', [path.join(repoRoot, 'tests/e2e/support/post_run.py'), server.url, ...args.map(String)]);

  it('shows the client\'s drops in the row and the banner, and the checkpoints at their epochs', async () => {
    onTestFailed(() => console.error(`netlens serve output:\n${server.output()}`));
    post('drops', 0, 40, 3, 12);
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(new URL('runs.html', server.url).href);
    await page.waitForSelector(row('drops'));
    expect(await page.textContent(`${row('drops')} .dropped`)).toBe('the client dropped 3 scalars, 12 snapshots superseded');
    expect(await page.textContent(`${row('drops')} .status`)).toBe('live');
    expect(await page.textContent(`${row('drops')} .step`)).toBe('40');
    expect(await page.$$eval(`${row('drops')} .open a`, (as) => as.map((a) => a.textContent))).toEqual(['Playground', 'Timeline']);

    await page.click(`${row('drops')} .open a:text("Playground")`);
    await waitFor('the follow banner', 15_000, async () =>
      ((await page.textContent('#notice')) ?? '').includes('follows the ingested run drops') ? true : undefined,
    );
    expect(await page.textContent('#notice')).toContain('The client dropped 3 scalars, 12 snapshots superseded.');

    post('drops', 4, 80, 5, 20);  // a later request: a new checkpoint, more drops
    await waitFor('the second checkpoint', 15_000, async () =>
      ((await page.textContent('#timeline-position')) ?? '').includes('2 checkpoints') ? true : undefined,
    );
    await waitFor('the new drop counts', 15_000, async () =>
      ((await page.textContent('#notice')) ?? '').includes('5 scalars, 20 snapshots superseded') ? true : undefined,
    );
    // Scrubbed with the keyboard, the marker sits at each checkpoint's epoch: the run's step.
    await page.focus('#timeline-scrubber');
    await page.keyboard.press('Home');
    await waitFor('the first checkpoint', 10_000, async () =>
      (await page.textContent('#timeline-position')) === 'epoch 40 · checkpoint 1 of 2' ? true : undefined,
    );
    await page.keyboard.press('End');
    await waitFor('the last checkpoint', 10_000, async () =>
      (await page.textContent('#timeline-position')) === 'epoch 80 · checkpoint 2 of 2' ? true : undefined,
    );
    await screenshot(page, 'ingest-drops-banner');
    await page.close();
    // The followed run is its own directory: closing the tab saves no copy of it.
    await new Promise((r) => setTimeout(r, 500));
    expect(readdirSync(runs)).toEqual(['drops']);
  }, 60_000);

  it('opens a streamed CNN in Digits from its row, with the training-stage slider', async () => {
    onTestFailed(() => console.error(`netlens serve output:\n${server.output()}`));
    const script = spawnSync('/usr/bin/python3', [path.join(repoRoot, 'examples/pytorch/mnist_cnn.py'), '--short', '--url',
      server.url.replace(/\/$/, ''), '--run', 'cnn', '--out', path.join(tmp, 'cnn.onnx')], {
      encoding: 'utf8', timeout: 150_000, env: { ...process.env, OMP_NUM_THREADS: '1' },
    });
    expect(script.status, script.stdout + script.stderr).toBe(0);

    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(new URL('runs.html', server.url).href);
    await page.waitForSelector(row('cnn'));
    expect(await page.$$eval(`${row('cnn')} .open a`, (as) => as.map((a) => [a.textContent, a.getAttribute('href')]))).toEqual([
      ['Digits', './digits.html#run=cnn'],
      ['Lurk', './lurk.html#run=cnn'],
    ]);
    await page.click(`${row('cnn')} .open a:text("Digits")`);
    await waitFor('the streamed model', 60_000, async () =>
      ((await page.textContent('#model-info')) ?? '').includes('streamed from PyTorch (run cnn)') ? true : undefined,
    );
    // Of ten snapshots of a 30-step run, those the client sent before a newer one superseded them:
    // at least the first (sent with the model) and the last (at finish()).
    await waitFor('the stage slider', 10_000, async () => (Number(await page.getAttribute('#checkpoint', 'max')) >= 1 ? true : undefined));
    expect(await page.isDisabled('#checkpoint')).toBe(false);

    await drawStroke(page, SEVEN);
    const trained = await waitFor('a prediction', 30_000, async () => {
      const p = await probabilities(page);
      return p.length === 10 && p.some((v) => v > 0) ? p : undefined;
    });
    expect(trained.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 3);
    // The first stage (the first snapshot the client sent: step 0, unless a newer one superseded
    // it while queued): an early network, another answer to the same drawing.
    await page.focus('#checkpoint');
    await page.keyboard.press('Home');
    await waitFor('the first checkpoint', 10_000, async () =>
      /^checkpoint 1\/\d+: [\d,]+ images seen/.test((await page.textContent('#checkpoint-label')) ?? '') ? true : undefined,
    );
    const untrained = await waitFor('the untrained answer', 30_000, async () => {
      const p = await probabilities(page);
      return p.some((v, i) => Math.abs(v - trained[i]) > 0.01) ? p : undefined;
    });
    expect(Math.max(...untrained.map((v, i) => Math.abs(v - trained[i])))).toBeGreaterThan(0.01);
    await page.keyboard.press('End');
    await waitFor('the newest weights', 10_000, async () =>
      (await page.textContent('#checkpoint-label')) === 'current weights' ? true : undefined,
    );
    await screenshot(page, 'ingest-digits-run');
    expect(errors).toEqual([]);
    await page.close();
  }, 240_000);
});
