// The Playground in a real browser against the real server: the page connects, shows the
// first state, trains when a person clicks play, and its loss and heatmap follow.
//
// Needs build/netlens (the C++ server) and build/web (npm run build:web); `npm run test:e2e`
// builds the page first. Screenshot: build/e2e/playground.png.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const serverBinary = path.join(repoRoot, 'build', 'netlens');
const screenshotPath = path.join(repoRoot, 'build', 'e2e', 'playground.png');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

interface Server {
  process: ChildProcess;
  url: string;
  output: () => string;
}

/** Starts `netlens serve --port 0` and resolves with the URL it prints on stdout. */
function startServer(): Promise<Server> {
  if (!existsSync(serverBinary)) {
    throw new Error(`${serverBinary} not found: build the server first (make)`);
  }
  return new Promise((resolve, reject) => {
    const child = spawn(serverBinary, ['serve', '--port', '0'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    const output = () => log;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`netlens serve printed no URL within 30 s; output:\n${log}`));
    }, 30_000);
    child.stdout!.setEncoding('utf8');
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => (log += chunk));
    child.stdout!.on('data', (chunk: string) => {
      log += chunk;
      // Only a whole line counts: a chunk may end inside the URL.
      const m = /netlens: serving (http:\/\/\S+)\r?\n/.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve({ process: child, url: m[1].endsWith('/') ? m[1] : m[1] + '/', output });
      }
    });
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`netlens serve exited (code ${code}, signal ${signal}) before serving; output:\n${log}`));
    });
  });
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 3000));
  if ((await Promise.race([exited, timeout])) === 'timeout') {
    child.kill('SIGKILL');
    await exited;
  }
}

/** Polls fn until it returns a value other than undefined, or fails after timeoutMs. */
async function waitFor<T>(what: string, timeoutMs: number, fn: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface Reading {
  epoch: number;
  testLoss: number;
  status: string;
  playPressed: string | null;
  heatmapSeq: string | undefined;
}

async function read(page: Page): Promise<Reading> {
  return page.evaluate(() => {
    const text = (id: string) => document.getElementById(id)?.textContent ?? '';
    return {
      epoch: Number(text('epoch')),
      testLoss: Number(text('test-loss')),
      status: text('status'),
      playPressed: document.getElementById('play')?.getAttribute('aria-pressed') ?? null,
      heatmapSeq: (document.getElementById('heatmap') as HTMLCanvasElement | null)?.dataset.seq,
    };
  });
}

/** The heatmap canvas's RGBA pixels, at its backing resolution. */
async function heatmapPixels(page: Page): Promise<Buffer> {
  const b64 = await page.evaluate(() => {
    const canvas = document.getElementById('heatmap') as HTMLCanvasElement;
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let s = '';
    for (let i = 0; i < data.length; i += 0x8000) {
      s += String.fromCharCode(...data.subarray(i, i + 0x8000));
    }
    return btoa(s);
  });
  return Buffer.from(b64, 'base64');
}

/** Fraction of pixels where some channel differs by more than 8. */
function changedFraction(a: Buffer, b: Buffer): number {
  expect(a.length).toBe(b.length);
  let changed = 0;
  for (let i = 0; i < a.length; i += 4) {
    if (
      Math.abs(a[i] - b[i]) > 8 ||
      Math.abs(a[i + 1] - b[i + 1]) > 8 ||
      Math.abs(a[i + 2] - b[i + 2]) > 8
    ) {
      changed++;
    }
  }
  return changed / (a.length / 4);
}

describe('Playground in a browser', () => {
  let server: Server | undefined;
  let browser: Browser | undefined;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    server = await startServer();
    browser = await chromium.launch({
      executablePath: chromiumPath,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
        '--disable-sync',
        '--disable-quic',
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
    if (server) await stopServer(server.process);
  });

  it('trains on play: the test loss falls and the heatmap changes', async () => {
    onTestFailed(() => console.error(`netlens serve output:\n${server?.output()}`));
    const page = await browser!.newPage({ viewport: { width: 1100, height: 900 } });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    const noErrorShown = (r: Reading) => {
      expect(r.status, 'the status line shows an error').not.toMatch(/error/i);
    };

    await page.goto(server!.url);

    // The first frame: epoch 0, a test loss, a drawn heatmap, and training paused.
    const first = await waitFor('the first state and heatmap', 30_000, async () => {
      const r = await read(page);
      noErrorShown(r);
      return r.heatmapSeq && Number.isFinite(r.testLoss) && r.status.includes('connected') ? r : undefined;
    });
    expect(first.epoch).toBe(0);
    expect(first.playPressed).toBe('false');
    expect(await page.textContent('#test-loss')).toMatch(/^\d+\.\d{3}$/);
    const before = await heatmapPixels(page);
    // The grid covers the whole canvas: every pixel is painted opaque, none left blank.
    expect(before.filter((_, i) => i % 4 === 3 && before[i] !== 255).length).toBe(0);

    await page.click('#play');
    await waitFor('#play to show running', 10_000, async () =>
      (await read(page)).playPressed === 'true' ? true : undefined,
    );

    const later = await waitFor('the epoch to reach 50', 20_000, async () => {
      const r = await read(page);
      noErrorShown(r);
      return r.epoch >= 50 ? r : undefined;
    });
    // Let the heatmap of the newest frame be drawn (drawing waits for an animation frame).
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const after = await heatmapPixels(page);
    const afterLoss = Number(await page.textContent('#test-loss'));

    expect(later.epoch).toBeGreaterThanOrEqual(50);
    expect(afterLoss, `test loss at epoch 0 was ${first.testLoss}`).toBeLessThan(first.testLoss);
    expect(changedFraction(before, after)).toBeGreaterThan(0.01);

    // Pause again, like a person would, and the button follows the server's state.
    await page.click('#play');
    await waitFor('#play to show paused', 10_000, async () =>
      (await read(page)).playPressed === 'false' ? true : undefined,
    );

    mkdirSync(path.dirname(screenshotPath), { recursive: true });
    await page.screenshot({ path: screenshotPath, fullPage: true });

    noErrorShown(await read(page));
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it('steps one epoch at a time, and reset brings back the first state', async () => {
    onTestFailed(() => console.error(`netlens serve output:\n${server?.output()}`));
    const page = await browser!.newPage({ viewport: { width: 1100, height: 900 } });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(server!.url);

    const first = await waitFor('the first state and heatmap', 30_000, async () => {
      const r = await read(page);
      return r.heatmapSeq && Number.isFinite(r.testLoss) && r.status.includes('connected') ? r : undefined;
    });
    const initialPixels = await heatmapPixels(page);
    const chartPoints = () => page.getAttribute('#loss-chart', 'data-points');

    for (const expected of [1, 2, 3]) {
      await page.click('#step');
      const r = await waitFor(`epoch ${expected}`, 10_000, async () => {
        const x = await read(page);
        return x.epoch === expected ? x : undefined;
      });
      expect(r.playPressed).toBe('false');
    }
    await waitFor('the chart to hold 4 points', 5_000, async () => ((await chartPoints()) === '4' ? true : undefined));

    await page.click('#reset');
    // Three steps and the reset published one frame each; wait for the reset's heatmap.
    const resetSeq = Number(first.heatmapSeq) + 4;
    const reset = await waitFor('epoch 0 again, drawn', 10_000, async () => {
      const x = await read(page);
      return x.epoch === 0 && Number(x.heatmapSeq) >= resetSeq ? x : undefined;
    });
    // Same seed, same weights: the same loss and the same picture as at the start.
    expect(reset.testLoss).toBe(first.testLoss);
    await waitFor('the chart to start over', 5_000, async () => ((await chartPoints()) === '1' ? true : undefined));
    expect(changedFraction(initialPixels, await heatmapPixels(page))).toBe(0);

    expect(reset.status).not.toMatch(/error/i);
    expect(pageErrors).toEqual([]);
    await page.close();
  });
});
