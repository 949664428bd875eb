// Every page at a laptop's size (1280×800): it connects, its status line is in view and says so,
// and nothing spills past the page's width. Screenshots: build/e2e/<page>-1280.png.

import { describe, expect, it } from 'vitest';
import { readStatus, screenshot, settle, useServerAndBrowser, waitFor } from './support/harness';

describe('Every page at 1280×800', () => {
  const fixture = useServerAndBrowser({ webgl: true });

  for (const [name, path] of [['playground', ''], ['digits', 'digits.html'], ['inside', 'inside.html']] as const) {
    it(`${name}: connects, shows its status line, and fits the width`, { timeout: 60_000 }, async () => {
      const page = await fixture.browser.newPage({ viewport: { width: 1280, height: 800 } });
      const pageErrors: string[] = [];
      page.on('pageerror', (e) => pageErrors.push(String(e)));
      await page.goto(fixture.server.url + path);
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
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);
      await screenshot(page, `${name}-1280`);
      expect(pageErrors).toEqual([]);
      await page.close();
    });
  }
});
