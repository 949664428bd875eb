// Digits opens an ONNX model of the models folder as it is (imported as it is read): a small CNN
// exported by torch.onnx.export (Debian's python3-torch), chosen in the model menu as a person
// would, answers a digit drawn with the mouse, and its answer changes as the drawing does.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { drawStroke, SEVEN } from './support/digits';
import { launchBrowser, screenshot, startServer, stopServer, waitFor, type Server } from './support/harness';

const EXPORT = `
import sys, torch
torch.manual_seed(3)
net = torch.nn.Sequential(torch.nn.Conv2d(1, 4, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
                          torch.nn.Flatten(), torch.nn.Linear(4 * 14 * 14, 10), torch.nn.Softmax(1))
torch.onnx.export(net, torch.zeros(1, 1, 28, 28), sys.argv[1], opset_version=13)
`;

const probabilities = (page: Page) =>
  page.evaluate(() => [...document.querySelectorAll<HTMLElement>('#bars .bar')].map((b) => Number(b.dataset.probability)));

describe('Digits and an ONNX file', () => {
  let server: Server;
  let browser: Browser;
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'netlens-e2e-digits-onnx-'));
  beforeAll(async () => {
    mkdirSync(path.join(tmp, 'models'));
    execFileSync('/usr/bin/python3', ['-c', EXPORT, path.join(tmp, 'models', 'tiny.onnx')]);
    server = await startServer(['--models', path.join(tmp, 'models')]);
    browser = await launchBrowser({ webgl: true });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    if (server) await stopServer(server.process);
    rmSync(tmp, { recursive: true, force: true });
  });

  it('opens the .onnx from the menu and answers drawings', async () => {
    onTestFailed(() => console.error(`netlens serve output:\n${server.output()}`));
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(server.url + 'digits.html');
    await waitFor('the models menu', 30_000, async () =>
      (await page.$$eval('#model-file option', (os) => os.map((o) => o.textContent))).includes('tiny.onnx') ? true : undefined,
    );
    await page.selectOption('#model-file', 'tiny.onnx');
    await waitFor('the ONNX model', 60_000, async () =>
      ((await page.textContent('#model-info')) ?? '').includes('tiny.onnx: opened from the models folder') ? true : undefined,
    );

    await drawStroke(page, SEVEN);
    const seven = await waitFor('an answer', 30_000, async () => {
      const p = await probabilities(page);
      return p.length === 10 && p.some((v) => v > 0) ? p : undefined;
    });
    expect(seven.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 3);
    // A stroke more: another input, another answer.
    await drawStroke(page, [[4, 24], [24, 24]]);
    const changed = await waitFor('a new answer', 30_000, async () => {
      const p = await probabilities(page);
      return p.some((v, i) => Math.abs(v - seven[i]) > 1e-4) ? p : undefined;
    });
    expect(changed.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 3);
    await screenshot(page, 'digits-onnx');
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);
});
