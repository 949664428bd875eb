// Every page at a laptop's size (1280×800): it connects, its status line is in view and says so,
// its nav links the Runs page, and nothing spills past the page's width; a server of another protocol is named as such.
// Screenshots: build/e2e/<page>-1280.png, inside-mismatch.png.

import { describe, expect, it } from 'vitest';
import { pages } from '../../web/pages';
import { readStatus, screenshot, settle, useServerAndBrowser, waitFor } from './support/harness';

describe('Every page at 1280×800', () => {
  const fixture = useServerAndBrowser({ webgl: true });

  for (const { file, label } of pages) {
    const name = label.toLowerCase();
    it(`${name}: connects, shows its status line, and fits the width`, { timeout: 60_000 }, async () => {
      const page = await fixture.browser.newPage({ viewport: { width: 1280, height: 800 } });
      const pageErrors: string[] = [];
      page.on('pageerror', (e) => pageErrors.push(String(e)));
      await page.goto(fixture.server.url + (file === 'index.html' ? '' : file));
      const status = await waitFor('the connection', 30_000, async () => {
        const s = await readStatus(page);
        return s.connection === 'open' && s.text.includes('connected to netlens') ? s : undefined;
      });
      expect(status.text).not.toMatch(/error/i);
      await new Promise((r) => setTimeout(r, 1000)); // the first frames
      await settle(page);
      const box = (await page.locator('#status').boundingBox())!;
      expect(box.y).toBeGreaterThanOrEqual(0);
      expect(box.y + box.height).toBeLessThanOrEqual(800);
      expect(await page.locator('#status .status-connection').isVisible()).toBe(true);
      // Its nav reaches every page, itself marked as the current one.
      expect(await page.locator('.site-nav a').evaluateAll((a) => a.map((e) => e.getAttribute('href')))).toEqual(
        pages.map((p) => `./${p.file}`),
      );
      expect(await page.locator('.site-nav a[aria-current="page"]').getAttribute('href')).toBe(`./${file}`);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);
      await screenshot(page, `${name}-1280`);
      expect(pageErrors).toEqual([]);
      await page.close();
    });
  }

  it('says clearly when the server speaks another protocol, and stops there', { timeout: 30_000 }, async () => {
    const page = await fixture.browser.newPage({ viewport: { width: 1280, height: 800 } });
    let connections = 0;
    // A stand-in for an older server: its hello speaks Inside protocol 1.
    await page.routeWebSocket(/\/ws\/inside$/, (ws) => {
      connections++;
      ws.send(JSON.stringify({ type: 'hello', view: 'inside', protocol: 1, version: '0.0.9' }));
    });
    await page.goto(fixture.server.url + 'inside.html');
    const status = await waitFor('the mismatch', 10_000, async () => {
      const s = await readStatus(page);
      return s.connection === 'mismatch' ? s : undefined;
    });
    expect(status.text).toContain('this page speaks Inside protocol 2, the server 1: reload');
    await new Promise((r) => setTimeout(r, 1500)); // longer than the first reconnect delay
    expect(connections).toBe(1);
    await screenshot(page, 'inside-mismatch');
    await page.close();
  });
});
