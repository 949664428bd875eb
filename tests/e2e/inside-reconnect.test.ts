// Inside after a server restart (#14 item 21): the page reconnects by itself, asks the new
// session for its run again, and says what happened: the run starts over from epoch 0 (Inside
// keeps no saved runs), and where the lost one had got to.

import { describe, expect, it, onTestFailed } from 'vitest';
import { launchBrowser, readStatus, startServer, stopServer, waitFor, type Server } from './support/harness';
import type { Browser, Page } from 'playwright-core';

const dataset = (page: Page) => page.evaluate(() => ({ ...document.getElementById('app')!.dataset }));

describe('Inside across a server restart', () => {
  it('reconnects and says the run starts again from epoch 0', { timeout: 120_000 }, async () => {
    let server: Server = await startServer();
    let browser: Browser | null = null;
    onTestFailed(() => console.error(`netlens serve output:\n${server.output()}`));
    try {
      browser = await launchBrowser({ webgl: true });
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      await page.goto(`${server.url}inside.html?hidden=3&refresh=10&epochs=50000`);
      await waitFor('the linked run', 15_000, async () => ((await dataset(page)).run === '2' ? true : undefined));
      expect(await page.textContent('#notice')).toBe('');
      await page.click('#play');
      await waitFor('training', 10_000, async () => (Number((await dataset(page)).epoch) > 0 ? true : undefined));
      const port = new URL(server.url).port;
      await stopServer(server.process);
      await waitFor('the page to see the server gone', 20_000, async () => ((await readStatus(page)).connection !== 'open' ? true : undefined));
      const lost = (await dataset(page)).epoch;

      server = await startServer([], Number(port));
      await waitFor('the run again', 30_000, async () => {
        const d = await dataset(page);
        return (await readStatus(page)).connection === 'open' && d.run === '2' && d.epoch === '0' ? true : undefined;
      });
      expect(await page.inputValue('#hidden')).toBe('3');
      expect(await page.textContent('#notice')).toBe(
        `reconnected: the server started a new session, so the run starts again from epoch 0 with the same settings (it had reached epoch ${lost})`,
      );
      expect((await readStatus(page)).text).not.toMatch(/error/i);
    } finally {
      await browser?.close();
      await stopServer(server.process);
    }
  });
});
