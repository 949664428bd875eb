// A server with a token, in a real browser: the URL it prints opens the page, whose assets and
// WebSocket then pass on the cookie that first request set; without the token the page is
// refused, and scripts cannot read the cookie.

import { describe, expect, it, onTestFailed } from 'vitest';
import { useServerAndBrowser, waitFor } from './support/harness';

describe('A server with a token', () => {
  const fixture = useServerAndBrowser({ serverArgs: ['--token', 'e2e-secret'] });

  it('opens from the printed URL, connects its socket, and refuses the URL without the token', async () => {
    onTestFailed(() => console.error(`netlens serve output:\n${fixture.server.output()}`));
    expect(fixture.server.url).toMatch(/\/\?token=e2e-secret$/);
    const context = await fixture.browser.newContext();
    const page = await context.newPage();
    await page.goto(fixture.server.url);
    await waitFor('the page to connect and draw its first heatmap', 30_000, async () => {
      const status = (await page.textContent('#status')) ?? '';
      const seq = await page.getAttribute('#heatmap', 'data-seq');
      return status.includes('connected') && seq !== null ? true : undefined;
    });
    expect(await page.evaluate(() => document.cookie)).toBe('');  // HttpOnly

    const stranger = await (await fixture.browser.newContext()).newPage();
    const refused = await stranger.goto(fixture.server.url.replace(/\?token=.*$/, ''));
    expect(refused?.status()).toBe(403);
    expect(await stranger.textContent('body')).toMatch(/needs its token/);
    await context.close();
  });
});
