// A real PyTorch script (examples/pytorch/wide_playground.py, Debian's python3-torch) streams its
// run into the server; the Playground opened on it (#ingest=RUN) follows it live: the decision
// boundary changes and the loss chart grows as snapshots arrive, and the controls that would
// train are off, saying the training runs elsewhere.

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { canvasPixels, changedFraction, launchBrowser, repoRoot, screenshot, startServer, stopServer, waitFor, type Server } from './support/harness';
import { openPlayground, readState, stateWhere } from './support/playground';
import type { Browser } from 'playwright-core';

describe('an ingested PyTorch run in the Playground', () => {
  let server: Server;
  let browser: Browser;
  const runs = mkdtempSync(path.join(os.tmpdir(), 'netlens-e2e-ingest-'));
  beforeAll(async () => {
    server = await startServer(['--runs', runs]);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    if (server) await stopServer(server.process);
    rmSync(runs, { recursive: true, force: true });
  });

  it('follows the run live: the boundary changes, the losses grow, the controls are off', async () => {
    onTestFailed(() => console.error(`netlens serve output:\n${server.output()}`));
    let script = '';
    const training = spawn(
      '/usr/bin/python3',
      [path.join(repoRoot, 'examples/pytorch/wide_playground.py'), '--url', server.url.replace(/\/$/, ''), '--run', 'e2e',
        '--steps', '600', '--every', '20', '--delay', '0.02'],
      { env: { ...process.env, OMP_NUM_THREADS: '1' } },
    );
    training.stdout.on('data', (c) => (script += c));
    training.stderr.on('data', (c) => (script += c));
    onTestFailed(() => console.error(`wide_playground.py output:\n${script}`));
    const exited = new Promise<number | null>((resolve) => training.once('exit', (code) => resolve(code)));
    try {
      const manifest = path.join(runs, 'e2e', 'manifest.json');
      await waitFor('the run\'s first checkpoint', 30_000, async () =>
        existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')).checkpoints ?? []).length > 0 ? true : undefined,
      );
      const errors: string[] = [];
      const page = await openPlayground(browser, server, '#ingest=e2e', errors);
      await waitFor('the notice', 10_000, async () =>
        ((await page.textContent('#notice')) ?? '').includes('Training runs elsewhere') ? true : undefined,
      );
      const first = await readState(page);
      const boundary = await canvasPixels(page, '#heatmap');
      const lossPath = async () => page.evaluate(() => Array.from(document.querySelectorAll('#loss-chart path')).map((p) => p.getAttribute('d') ?? '').join('').length);
      const losses = await lossPath();
      const later = await stateWhere(page, 'newer checkpoints', (s) => s.epoch >= first.epoch + 100, 25_000);
      expect(later.frames).toBeGreaterThan(first.frames);
      expect(changedFraction(boundary, await canvasPixels(page, '#heatmap'))).toBeGreaterThan(0.01);
      expect(await lossPath()).toBeGreaterThan(losses);
      // What would train here is off, and says why.
      for (const id of ['#play', '#step', '#reset', '#learning-rate', '#activation']) expect(await page.isDisabled(id)).toBe(true);
      expect(await page.getAttribute('[data-control="learning_rate"]', 'title')).toContain('training runs elsewhere');
      await screenshot(page, 'ingest-following');
      expect(errors).toEqual([]);
      expect(await exited).toBe(0);
    } finally {
      training.kill();
    }
  }, 90_000);
});
