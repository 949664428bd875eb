// A server with a token, in a real browser: the URL it prints opens the page, whose assets and
// WebSocket then pass on the cookie that first request set; without the token the page is
// refused, and scripts cannot read the cookie.

import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { launchBrowser, startServer, stopServer, waitFor, type Server } from './support/harness';

describe('A server with a token', () => {
  let server: Server | undefined;
  let browser: Awaited<ReturnType<typeof launchBrowser>> | undefined;

  beforeAll(async () => {
    server = await startServer(['--token', 'e2e-secret']);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    if (server) await stopServer(server.process);
  });

  it('opens from the printed URL, connects its socket, and refuses the URL without the token', async () => {
    onTestFailed(() => console.error(`netlens serve output:\n${server?.output()}`));
    expect(server!.url).toMatch(/\/\?token=e2e-secret$/);
    const context = await browser!.newContext();
    const page = await context.newPage();
    await page.goto(server!.url);
    await waitFor('the page to connect and draw its first heatmap', 30_000, async () => {
      const status = (await page.textContent('#status')) ?? '';
      const seq = await page.getAttribute('#heatmap', 'data-seq');
      return status.includes('connected') && seq !== null ? true : undefined;
    });
    expect(await page.evaluate(() => document.cookie)).toBe('');  // HttpOnly

    const stranger = await (await browser!.newContext()).newPage();
    const refused = await stranger.goto(server!.url.replace(/\?token=.*$/, ''));
    expect(refused?.status()).toBe(403);
    expect(await stranger.textContent('body')).toMatch(/needs its token/);
    await context.close();
  });
});
