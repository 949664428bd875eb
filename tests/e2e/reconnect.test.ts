// Inside survives a server restart: the server process is stopped while the page trains, the
// page's status line says it is disconnected, and when a server starts again on the same port
// the page reconnects by itself (backoff), asks the new session for its run again, and trains.

import { describe, expect, it, onTestFailed } from 'vitest';
import { launchBrowser, readStatus, startServer, stopServer, waitFor, type Server } from './support/harness';
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
