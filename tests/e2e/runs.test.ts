// The Runs page, used as a person would: three runs recorded by `netlens train --run-dir` are
// listed; one is renamed by typing, one starred, one deleted after confirming, and the folder on
// disk follows; a name that exists or reaches outside is refused in words; the Playground link
// opens the renamed run at its epoch. Screenshot: build/e2e/runs.png.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { launchBrowser, repoRoot, screenshot, startServer, stopServer, waitFor, type Server } from './support/harness';
import { readSpec, readState, stateWhere } from './support/playground';

const runs = mkdtempSync(path.join(os.tmpdir(), 'netlens-e2e-runs-page-'));

function train(name: string, epochs: number): void {
  execFileSync(
    path.join(repoRoot, 'build', 'netlens'),
    ['train', '--spec', path.join(repoRoot, 'examples', 'circle.json'), '--epochs', String(epochs), '--run-dir', path.join(runs, name)],
    { stdio: 'ignore' },
  );
}

/** The names in the table, in its order. */
const listed = (page: Page) => page.$$eval('#runs-body tr', (rows) => rows.map((r) => (r as HTMLElement).dataset.run ?? ''));

async function waitForList(page: Page, what: string, ok: (names: string[]) => boolean): Promise<string[]> {
  return waitFor(what, 10_000, async () => {
    const names = await listed(page);
    return ok(names) ? names : undefined;
  });
}

const row = (name: string) => `#runs-body tr[data-run="${name}"]`;

describe('Runs page', () => {
  let server: Server;
  let browser: Browser;
  beforeAll(async () => {
    train('alpha', 3);
    train('beta', 4);
    train('gamma', 2);
    server = await startServer(['--runs', runs]);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    if (server) await stopServer(server.process);
    rmSync(runs, { recursive: true, force: true });
  });

  it('lists the runs; renames, stars and deletes them; opens one in the Playground', { timeout: 60_000 }, async () => {
    onTestFailed(() => console.error(`netlens serve output:\n${server.output()}`));
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(new URL('runs.html', server.url).href);
    const names = await waitForList(page, 'the three runs', (n) => n.length === 3);
    expect([...names].sort()).toEqual(['alpha', 'beta', 'gamma']);
    expect(await page.textContent(`${row('beta')} .step`)).toBe('4');
    expect(await page.textContent(`${row('beta')} .source`)).toBe("netlens's own");
    expect(await page.textContent(`${row('beta')} .status`)).toBe('finished');
    expect(await page.textContent('#retention')).toContain('newest 200 unstarred runs');

    // Rename by typing.
    await page.click(`${row('alpha')} .rename`);
    await page.fill('.rename-input', 'my circle');
    await page.press('.rename-input', 'Enter');
    await waitForList(page, 'alpha renamed', (n) => n.includes('my circle') && !n.includes('alpha'));
    expect(existsSync(path.join(runs, 'my circle', 'manifest.json'))).toBe(true);
    expect(existsSync(path.join(runs, 'alpha'))).toBe(false);

    // A name that exists, and one that reaches outside the folder, are refused in words.
    await page.click(`${row('beta')} .rename`);
    await page.fill('.rename-input', 'my circle');
    await page.press('.rename-input', 'Enter');
    await waitFor('the refusal', 10_000, async () => ((await page.textContent('#status'))?.includes("a run named 'my circle' already exists") ? true : undefined));
    await page.click(`${row('beta')} .rename`);
    await page.fill('.rename-input', '../escaped');
    await page.click(`${row('beta')} .save-name`);
    await waitFor('the refusal', 10_000, async () => ((await page.textContent('#status'))?.includes("must not contain '/'") ? true : undefined));
    expect(readdirSync(runs).sort()).toEqual(['beta', 'gamma', 'my circle']);
    expect(existsSync(path.join(runs, '..', 'escaped'))).toBe(false);

    // Star.
    expect(await page.getAttribute(`${row('beta')} .star`, 'aria-pressed')).toBe('false');
    await page.click(`${row('beta')} .star`);
    await waitFor('beta starred', 10_000, async () => ((await page.getAttribute(`${row('beta')} .star`, 'aria-pressed')) === 'true' ? true : undefined));
    expect(JSON.parse(readFileSync(path.join(runs, 'beta', 'meta.json'), 'utf8')).starred).toBe(true);

    // Delete asks first; cancel keeps the run, confirming removes it.
    await page.click(`${row('gamma')} .delete`);
    expect(await page.textContent(`${row('gamma')} .actions`)).toContain('Delete for good?');
    await page.click(`${row('gamma')} .cancel-delete`);
    expect(await page.isVisible(`${row('gamma')} .delete`)).toBe(true);
    await page.click(`${row('gamma')} .delete`);
    await page.click(`${row('gamma')} .confirm-delete`);
    await waitForList(page, 'gamma deleted', (n) => n.length === 2 && !n.includes('gamma'));
    expect(readdirSync(runs).sort()).toEqual(['beta', 'my circle']);
    await screenshot(page, 'runs');

    // The Playground link opens the renamed run at its last checkpoint.
    await page.click(`${row('my circle')} .open a`);
    await waitFor('the Playground', 10_000, async () => (page.url().includes('index.html') ? true : undefined));
    const opened = await stateWhere(page, 'the run at epoch 3', (s) => s.epoch === 3 && s.frames > 0, 30_000);
    expect(opened.epoch).toBe(3);
    expect((await readSpec(page)).dataset).toBe('circle');

    // That tab is now a live run on the Runs page.
    const runsPage = await browser.newPage();
    await runsPage.goto(new URL('runs.html', server.url).href);
    await waitFor('the live Playground tab', 10_000, async () =>
      (await runsPage.$$eval('#runs-body tr[data-status="live"]', (rows) => rows.length)) > 0 ? true : undefined,
    );
    expect((await readState(page)).status).not.toMatch(/error/i);
    expect(errors).toEqual([]);
  });
});
