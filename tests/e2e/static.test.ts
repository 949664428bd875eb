// The static build (make static) from a plain static file server, no netlens server serving it:
// the Playground's engine runs in the page's worker and gives, epoch by epoch, the losses the
// server gives for the same spec and seed; Inside learns XOR; the header says which engine runs.
// Needs build/static (make static) and build/netlens (for the reference losses).

import { createServer, type Server as HttpServer } from 'node:http';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, repoRoot, startServer, stopServer, waitFor, type Server } from './support/harness';
import { openPlayground, readState } from './support/playground';

const staticDir = path.join(repoRoot, 'build', 'static');
const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.wasm': 'application/wasm',
};

/** Files under `dir` by their path, and 404 for anything else: what any static host does. */
function serveFolder(dir: string): Promise<{ http: HttpServer; url: string }> {
  const http = createServer((req, res) => {
    const file = path.join(dir, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname).replace(/\/$/, '/index.html'));
    if (!file.startsWith(dir) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  return new Promise((resolve) =>
    http.listen(0, '127.0.0.1', () => resolve({ http, url: `http://127.0.0.1:${(http.address() as AddressInfo).port}/` })),
  );
}

/** The test loss after each of `epochs` steps, as the page shows it (exact, from the state message). */
async function stepLosses(page: Page, epochs: number): Promise<number[]> {
  const losses: number[] = [];
  for (let epoch = 1; epoch <= epochs; epoch++) {
    await page.click('#step');
    const s = await waitFor(`epoch ${epoch}`, 10_000, async () => {
      const r = await readState(page);
      return r.epoch === epoch ? r : undefined;
    });
    losses.push(s.testLoss);
  }
  return losses;
}

/** The header's engine line: data-engine, data-epochs-per-second, and its text. */
const engineLine = (page: Page) =>
  page.evaluate(() => {
    const line = document.getElementById('engine')!;
    return { engine: line.dataset.engine, epochsPerSecond: line.dataset.epochsPerSecond, text: line.textContent ?? '' };
  });

describe('the static build', () => {
  let site: { http: HttpServer; url: string };
  let browser: Browser;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(path.join(staticDir, 'index.html'))) throw new Error(`${staticDir} not found: make static`);
    site = await serveFolder(staticDir);
    browser = await launchBrowser({ webgl: true });
  });
  afterAll(async () => {
    await browser?.close();
    site?.http.close();
  });

  it('trains the Playground in the page, epoch by epoch as the server does', async () => {
    const inPage = await openPlayground(browser, { url: site.url } as Server, '', pageErrors);
    expect((await engineLine(inPage)).engine).toBe('in-page');
    const epochs = 12;
    const staticLosses = await stepLosses(inPage, epochs);

    const server = await startServer();
    try {
      const native = await openPlayground(browser, server, '', pageErrors);
      expect((await engineLine(native)).engine).toBe('server');
      const serverLosses = await stepLosses(native, epochs);
      expect(staticLosses.every(Number.isFinite)).toBe(true);
      expect(new Set(staticLosses).size).toBeGreaterThan(epochs / 2); // it trains: the losses move
      // float32 rounding: the same arithmetic, not the same instructions (2e-8 apart here).
      const worst = Math.max(...staticLosses.map((l, i) => Math.abs(l - serverLosses[i])));
      console.log(`static: the largest difference of ${epochs} test losses, in-page vs server: ${worst}`);
      for (let i = 0; i < epochs; i++) expect(Math.abs(staticLosses[i] - serverLosses[i])).toBeLessThan(1e-6 * Math.max(1, serverLosses[i]));
    } finally {
      await stopServer(server.process);
    }

    // Playing reports the in-page speed in the header's engine line.
    await inPage.click('#play');
    const speed = await waitFor('the in-page speed', 15_000, async () => {
      const line = await engineLine(inPage);
      return line.epochsPerSecond ? Number(line.epochsPerSecond) : undefined;
    });
    expect(speed).toBeGreaterThan(1);
    console.log(`static: the in-page Playground trains ${speed.toFixed(0)} epochs/s (default spec, headless Chromium)`);
    await inPage.close();
    expect(pageErrors).toEqual([]);
  });

  it('learns XOR in Inside', async () => {
    const page = await browser.newPage({ viewport: { width: 1500, height: 1100 } });
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    await page.goto(`${site.url}inside.html?hidden=2&refresh=2000&epochs=20000`);
    const data = () => page.evaluate(() => ({ ...document.getElementById('app')!.dataset }));
    await waitFor('the run with the link settings', 30_000, async () => ((await data()).run === '2' ? true : undefined));
    await page.keyboard.press(' ');
    const end = await waitFor('the run to finish', 90_000, async () => {
      const d = await data();
      return d.state === 'finished' ? d : undefined;
    });
    expect(Number(end.epoch)).toBe(20000);
    expect(Number(end.loss)).toBeLessThan(0.01);
    await page.close();
    expect(pageErrors).toEqual([]);
  });

  it('says what needs the server on the pages the in-page engine does not run', async () => {
    const page = await browser.newPage();
    await page.goto(`${site.url}digits.html`);
    const line = await waitFor('the engine line to say so', 15_000, async () => {
      const l = await engineLine(page);
      return l.engine === 'needs-server' ? l : undefined;
    });
    expect(line.text).toMatch(/needs the netlens server/);
    await page.close();
  });
});
