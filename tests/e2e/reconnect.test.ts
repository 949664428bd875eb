// Inside and the Playground survive a server restart. Inside: the server process is stopped
// while the page trains, the page's status line says it is disconnected, and when a server
// starts again on the same port the page reconnects by itself (backoff), asks the new session
// for its run again, and trains. The Playground: the saved run is offered and continued.

import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFailed } from 'vitest';
import { launchBrowser, readStatus, startServer, stopServer, waitFor, type Server } from './support/harness';
import { openPlayground, readState, stateWhere } from './support/playground';
import type { Browser, Page } from 'playwright-core';

const dataset = (page: Page) => page.evaluate(() => ({ ...document.getElementById('app')!.dataset }));

describe('Inside across a server restart', () => {
  it('goes from open to closed and back to open, then trains again', { timeout: 120_000 }, async () => {
    let server: Server = await startServer();
    let browser: Browser | null = null;
    onTestFailed(() => console.error(`netlens serve output:\n${server.output()}`));
    try {
      browser = await launchBrowser({ webgl: true });
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      const pageErrors: string[] = [];
      page.on('pageerror', (e) => pageErrors.push(String(e)));
      await page.goto(`${server.url}inside.html?hidden=3&refresh=10&epochs=50000`);
      await waitFor('the linked run', 15_000, async () => ((await dataset(page)).run === '2' ? true : undefined));
      expect(await readStatus(page)).toMatchObject({ connection: 'open' });
      expect((await readStatus(page)).text).toMatch(/connected to netlens \S+/);
      await page.click('#play');
      await waitFor('training', 10_000, async () => ((await dataset(page)).state === 'training' ? true : undefined));

      const port = new URL(server.url).port;
      await stopServer(server.process);
      const down = await waitFor('the page to see the server gone', 10_000, async () => {
        const s = await readStatus(page);
        return s.connection === 'closed' ? s : undefined;
      });
      expect(down.text).toMatch(/disconnected; retrying in/);

      server = await startServer([], Number(port));
      const up = await waitFor('the page to reconnect', 30_000, async () => {
        const s = await readStatus(page);
        return s.connection === 'open' && s.text.includes('connected to netlens') ? s : undefined;
      });
      expect(up.text).not.toMatch(/error/i);
      // The new session was asked for the page's run (3 hidden units), and trains on play.
      await waitFor('the run again', 15_000, async () => ((await dataset(page)).run === '2' ? true : undefined));
      expect(await page.inputValue('#hidden')).toBe('3');
      await page.click('#play');
      await waitFor('training after the restart', 15_000, async () => {
        const d = await dataset(page);
        return d.state === 'training' && Number(d.epoch) > 100 ? true : undefined;
      });
      expect(pageErrors).toEqual([]);
    } finally {
      await browser?.close();
      await stopServer(server.process);
    }
  });
});

describe('Playground across a server restart and a reload', () => {
  it('clears the stale error, offers the saved run and continues it; a reload offers it too; serve --open-run opens one', { timeout: 240_000 }, async () => {
    const runs = mkdtempSync(path.join(os.tmpdir(), 'netlens-e2e-saved-'));
    let server: Server = await startServer(['--runs', runs]);
    let browser: Browser | null = null;
    onTestFailed(() => console.error(`netlens serve output:\n${server.output()}`));
    try {
      browser = await launchBrowser();
      const pageErrors: string[] = [];
      const page = await openPlayground(browser, server, '', pageErrors);
      await page.fill('#stop-epoch', '30');
      await page.press('#stop-epoch', 'Enter');
      await page.click('#play');
      const trained = await stateWhere(page, 'stopped at 30', (s) => s.epoch === 30 && !s.running, 30_000);
      // An error from the old session, still shown when the server goes.
      await page.setInputFiles('#upload-csv', { name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from('1,2,banana\n') });
      await waitFor('the stale error', 10_000, async () => ((await readStatus(page)).text.includes('bad.csv') ? true : undefined));

      const port = Number(new URL(server.url).port);
      await stopServer(server.process);
      await waitFor('the page to see the server gone', 10_000, async () => ((await readStatus(page)).connection === 'closed' ? true : undefined));
      server = await startServer(['--runs', runs], port);
      await waitFor('the page to reconnect', 30_000, async () => ((await readStatus(page)).connection === 'open' ? true : undefined));
      const offer = await waitFor('the offer to continue', 15_000, async () =>
        (await page.locator('#resume').isVisible()) ? ((await page.textContent('#resume')) ?? '') : undefined,
      );
      expect(offer).toContain('Your run was saved at epoch 30');
      expect((await readStatus(page)).text).not.toMatch(/error/i); // the stale error is gone
      await page.click('#resume-run');
      const resumed = await stateWhere(page, 'the saved run', (s) => s.epoch === 30);
      // The saved weights are float16: the same loss to about three decimals.
      expect(Math.abs(resumed.testLoss - trained.testLoss)).toBeLessThan(0.01);
      expect(await page.locator('#resume').isVisible()).toBe(false);
      console.log(`continued after a restart: test loss ${trained.testLoss.toFixed(5)} then ${resumed.testLoss.toFixed(5)}`);

      // A reload mid-training: the old session saves its run as it ends; the new page offers it.
      await page.fill('#stop-epoch', '');
      await page.press('#stop-epoch', 'Enter');
      await page.click('#play');
      const before = await stateWhere(page, 'training on', (s) => s.running && s.epoch >= 60, 30_000);
      await page.reload();
      const again = await waitFor('the offer after a reload', 20_000, async () =>
        (await page.locator('#resume').isVisible()) ? ((await page.textContent('#resume')) ?? '') : undefined,
      );
      const savedEpoch = Number(/saved at epoch (\d+)/.exec(again)![1]);
      expect(savedEpoch).toBeGreaterThanOrEqual(before.epoch);
      await page.click('#resume-run');
      await stateWhere(page, 'the reloaded run', (s) => s.epoch === savedEpoch);
      expect(pageErrors).toEqual([]);
      await page.close();

      // serve --open-run DIR: a fresh page starts at the saved run's epoch.
      const name = readdirSync(runs).find((d) => d.endsWith(`epoch${savedEpoch}`))!;
      await stopServer(server.process);
      server = await startServer(['--runs', runs, '--open-run', path.join(runs, name)]);
      const opened = await openPlayground(browser, server);
      expect((await readState(opened)).epoch).toBeGreaterThanOrEqual(savedEpoch);
      await stopServer(server.process);
      await expect(startServer(['--open-run', path.join(runs, 'nothing-here')])).rejects.toThrow(/--open-run: .*nothing-here/);
    } finally {
      await browser?.close();
      await stopServer(server.process);
      rmSync(runs, { recursive: true, force: true });
    }
  });
});
