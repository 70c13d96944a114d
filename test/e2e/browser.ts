// Launches Debian's Chromium through playwright-core (no browser download) with a fresh profile per
// run, so breakpoints or layout from an earlier run never leak into this one. Node only; used by
// the integration runner, the UI tests and nothing in src/.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Where screenshots and logs of the real-VS-Code tests are kept (gitignored). */
export const artifactsDir = path.resolve(__dirname, '..', '..', 'test-artifacts');

/** A browser with one page, and how to close it and remove its profile. */
export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/** The Chromium binary: X86DBG_CHROMIUM, else Debian's. */
export function chromiumPath(): string {
  return process.env.X86DBG_CHROMIUM ?? '/usr/bin/chromium';
}

/** Starts headless Chromium with a fresh profile and a 1400x900 window. */
export async function launchBrowser(): Promise<BrowserSession> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'x86dbg-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath(),
    headless: true,
    viewport: { width: 1400, height: 1000 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    close: async () => {
      await context.close().catch(() => undefined);
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Saves a screenshot under test-artifacts/ and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(artifactsDir, { recursive: true });
  const file = path.join(artifactsDir, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}
