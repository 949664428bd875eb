// Reading the Playground page the way the tests need: its spec, numbers and frames.

import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import { settle, waitFor, type Server } from './harness';

export interface PageState {
  epoch: number;
  /** The exact test loss (NaN while unknown). */
  testLoss: number;
  running: boolean;
  status: string;
  frames: number;
}

/** Opens the Playground (with a hash, say) and waits for its first drawn frame. */
export async function openPlayground(browser: Browser, server: Server, hash = '', errors: string[] = []): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1500, height: 1100 } });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(server.url + hash);
  await sayingWhatItShows(
    page,
    waitFor('the first frame', 30_000, async () => {
      const s = await readState(page);
      return s.frames > 0 && Number.isFinite(s.testLoss) ? true : undefined;
    }),
  );
  return page;
}

/** A wait that fails says what the page showed then: its epoch, frames and status line. */
async function sayingWhatItShows<T>(page: Page, wait: Promise<T>): Promise<T> {
  try {
    return await wait;
  } catch (e) {
    const s = await readState(page);
    const buttons = await page.evaluate(() =>
      ['play', 'step', 'reset'].map((id) => `#${id} ${(document.getElementById(id) as HTMLButtonElement | null)?.disabled ? 'disabled' : 'enabled'}`),
    );
    throw new Error(`${(e as Error).message}; the page shows epoch ${s.epoch}, ${s.frames} frames, ${buttons.join(', ')}, status "${s.status}"`);
  }
}

export async function readState(page: Page): Promise<PageState> {
  return page.evaluate(() => {
    const el = (id: string) => document.getElementById(id);
    return {
      epoch: Number(el('epoch')?.textContent ?? NaN),
      testLoss: Number(el('test-loss')?.dataset.value || NaN),
      running: el('play')?.getAttribute('aria-pressed') === 'true',
      status: el('status')?.textContent ?? '',
      frames: Number((el('heatmap') as HTMLCanvasElement | null)?.dataset.frames ?? 0),
    };
  });
}

/** The run spec the server last sent, as the page shows it. */
export async function readSpec(page: Page): Promise<Record<string, unknown>> {
  return JSON.parse((await page.textContent('#spec-json')) || '{}');
}

/** Waits until the server's spec satisfies `ok` (after a control sent a change). */
export async function specWhere(
  page: Page,
  what: string,
  ok: (spec: Record<string, unknown>) => boolean,
): Promise<Record<string, unknown>> {
  return waitFor(what, 10_000, async () => {
    const spec = await readSpec(page);
    return ok(spec) ? spec : undefined;
  });
}

/** Waits for a state matching `ok`, then for it to be drawn. */
export async function stateWhere(page: Page, what: string, ok: (s: PageState) => boolean, timeoutMs = 15_000): Promise<PageState> {
  const s = await waitFor(what, timeoutMs, async () => {
    const r = await readState(page);
    return ok(r) ? r : undefined;
  });
  await settle(page);
  return s;
}

/** Steps once and returns the state at the next epoch. */
export async function stepOnce(page: Page): Promise<PageState> {
  const before = await readState(page);
  await sayingWhatItShows(page, waitFor('#step to be enabled', 30_000, async () => ((await page.isEnabled('#step')) ? true : undefined)));
  await page.click('#step');
  return stateWhere(page, `epoch ${before.epoch + 1}`, (s) => s.epoch === before.epoch + 1 && s.frames > before.frames);
}

/** No error in the status line. */
export async function expectNoError(page: Page): Promise<void> {
  const status = await page.textContent('#status');
  expect(status ?? '').not.toMatch(/error/i);
}
