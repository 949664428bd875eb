// What every browser test needs: the real `netlens serve`, Debian's chromium, polling, and
// canvas pixels. Needs build/netlens and build/web (`npm run test:e2e` builds the page first).

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const serverBinary = path.join(repoRoot, 'build', 'netlens');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface Server {
  process: ChildProcess;
  url: string;
  output: () => string;
}

/**
 * Starts `netlens serve --port PORT ...args` (0: a free port) and resolves with the URL it prints
 * on stdout. The runs its sessions save go to a folder of its own, removed when it exits, unless
 * `args` name one (`--runs DIR`: a test that restarts the server keeps them there).
 */
export function startServer(args: string[] = [], port = 0): Promise<Server> {
  if (!existsSync(serverBinary)) {
    throw new Error(`${serverBinary} not found: build the server first (make)`);
  }
  return new Promise((resolve, reject) => {
    const runs = args.includes('--runs') ? null : mkdtempSync(path.join(os.tmpdir(), 'netlens-e2e-runs-'));
    const child = spawn(serverBinary, ['serve', '--port', String(port), ...(runs ? ['--runs', runs] : []), ...args], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (runs) child.once('exit', () => rmSync(runs, { recursive: true, force: true }));
    let log = '';
    const output = () => log;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`netlens serve printed no URL within 30 s; output:\n${log}`));
    }, 30_000);
    child.stdout!.setEncoding('utf8');
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => (log += chunk));
    child.stdout!.on('data', (chunk: string) => {
      log += chunk;
      // Only a whole line counts: a chunk may end inside the URL.
      const m = /netlens: serving (http:\/\/\S+)\r?\n/.exec(log);
      if (m) {
        clearTimeout(timer);
        // new URL adds the path's '/' when there is none and keeps a ?token=... query.
        resolve({ process: child, url: new URL(m[1]).href, output });
      }
    });
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`netlens serve exited (code ${code}, signal ${signal}) before serving; output:\n${log}`));
    });
  });
}

export async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 3000));
  if ((await Promise.race([exited, timeout])) === 'timeout') {
    child.kill('SIGKILL');
    await exited;
  }
}

/** The real server and a browser, shared by the tests of one describe block. */
export interface Fixture {
  server: Server;
  browser: Browser;
}

/**
 * Starts `netlens serve ...serverArgs` and a browser before the block's tests and stops both
 * after them; the fixture's fields are set once its tests run.
 */
export function useServerAndBrowser(options: { serverArgs?: string[]; webgl?: boolean } = {}): Fixture {
  const fixture = {} as Fixture;
  beforeAll(async () => {
    fixture.server = await startServer(options.serverArgs);
    fixture.browser = await launchBrowser({ webgl: options.webgl });
  });
  afterAll(async () => {
    await fixture.browser?.close();
    if (fixture.server) await stopServer(fixture.server.process);
  });
  return fixture;
}

/** Headless chromium; `webgl` adds SwiftShader so Three.js canvases render without a GPU. */
export function launchBrowser(options: { webgl?: boolean } = {}): Promise<Browser> {
  const args = [
    '--no-sandbox',
    '--disable-background-networking',
    '--disable-component-update',
    '--no-first-run',
    '--disable-sync',
    '--disable-quic',
  ];
  args.push(...(options.webgl ? ['--use-angle=swiftshader', '--enable-unsafe-swiftshader'] : ['--disable-gpu']));
  return chromium.launch({ executablePath: chromiumPath, headless: true, args });
}

/** Polls fn until it returns a value other than undefined, or fails after timeoutMs. */
export async function waitFor<T>(what: string, timeoutMs: number, fn: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Waits until the page has drawn twice more (drawing waits for an animation frame). */
export function settle(page: Page): Promise<unknown> {
  return page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

/**
 * A canvas's RGBA pixels at its backing resolution. A WebGL canvas (whose renderer preserves its
 * buffer) is read through a 2D copy. Sent as base64: an array of numbers takes seconds.
 */
export async function canvasPixels(page: Page, selector: string): Promise<Buffer> {
  const b64 = await page.evaluate((sel) => {
    const source = document.querySelector(sel) as HTMLCanvasElement;
    let canvas = source;
    if (!source.getContext('2d')) {
      canvas = document.createElement('canvas');
      canvas.width = source.width;
      canvas.height = source.height;
      canvas.getContext('2d')!.drawImage(source, 0, 0);
    }
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let s = '';
    for (let i = 0; i < data.length; i += 0x8000) {
      s += String.fromCharCode(...data.subarray(i, i + 0x8000));
    }
    return btoa(s);
  }, selector);
  return Buffer.from(b64, 'base64');
}

/** Fraction of pixels where some channel differs by more than 8. */
export function changedFraction(a: Buffer, b: Buffer): number {
  expect(a.length).toBe(b.length);
  let changed = 0;
  for (let i = 0; i < a.length; i += 4) {
    if (Math.abs(a[i] - b[i]) > 8 || Math.abs(a[i + 1] - b[i + 1]) > 8 || Math.abs(a[i + 2] - b[i + 2]) > 8) {
      changed++;
    }
  }
  return changed / (a.length / 4);
}

/** The status line every view shows: its text, and the connection state it marks. */
export async function readStatus(page: Page): Promise<{ text: string; connection: string }> {
  return page.evaluate(() => {
    const el = document.getElementById('status');
    return { text: el?.textContent ?? '', connection: el?.dataset.connection ?? '' };
  });
}

/** Saves a full-page screenshot as build/e2e/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const file = path.join(repoRoot, 'build', 'e2e', `${name}.png`);
  mkdirSync(path.dirname(file), { recursive: true });
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
