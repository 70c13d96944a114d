// UI tests as a person: Playwright drives a real VS Code (code-server) in Debian's Chromium with the
// extension installed. Open an example, click the gutter, press F5, see the stopped line and the
// "Paused on" label, read DR0/DR7/DR6 from the Debug Registers view, step, and continue to a data
// breakpoint set with "Break on Value Change". Screenshots go to test-artifacts/ui-*.png.
import { strict as assert } from 'assert';
import * as path from 'path';
import type { Locator, Page } from 'playwright-core';
import { repoRoot, startCodeServer, type CodeServer } from '../../../scripts/codeServer';
import { launchBrowser, screenshot, type BrowserSession } from '../browser';
import { collapsePane, openFile, openPane, pageGlobals, paneRows, paneText, toggleBreakpoint, waitForCurrentLine, waitForWorkbench } from './workbench';

const workspace = path.join(repoRoot, 'test', 'e2e', 'workspace');

/** Waits until a pane's text matches. */
async function waitForPaneText(page: Page, title: string, pattern: RegExp, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let text = '';
  while (Date.now() < deadline) {
    text = await paneText(page, title);
    if (pattern.test(text)) return;
    await page.waitForTimeout(250);
  }
  throw new Error(`pane ${title} never matched ${pattern}: ${text}`);
}

/** Expands or collapses a tree row (by its twistie) and waits for the state to hold. */
async function setExpanded(pane: Locator, label: RegExp, expanded: boolean): Promise<void> {
  const row = pane.locator('.monaco-list-row', { hasText: label }).first();
  await row.waitFor({ timeout: 30_000 });
  for (let attempt = 0; attempt < 5; attempt++) {
    if ((await row.getAttribute('aria-expanded')) === String(expanded)) return;
    await row.locator('.monaco-tl-twistie').click({ timeout: 5_000 }).catch(() => undefined);
    await pane.page().waitForTimeout(300);
  }
}

/** Gives the Debug Registers view the sidebar, shows its debugger section's registers and reads the rows. */
async function readDebugRegisters(page: Page, waitFor: RegExp): Promise<string[]> {
  for (const other of ['Variables', 'Watch', 'Call Stack', 'Breakpoints']) await collapsePane(page, other);
  const pane = await openPane(page, 'Debug Registers');
  await pane.hover();
  await pane.locator('.action-label[aria-label*="Collapse All"]').first().click();
  await setExpanded(pane, /^\s*Debugger \(x86dbg\)/, true);
  await pane.locator('.monaco-list-row', { hasText: waitFor }).first().waitFor({ timeout: 30_000 });
  return paneRows(pane);
}

describe('debugging hello64.asm in VS Code, as a person', function () {
  this.timeout(180_000);
  let server: CodeServer;
  let browser: BrowserSession;
  let page: Page;

  before(async () => {
    server = await startCodeServer({ folder: workspace, installExtensionFrom: repoRoot });
    browser = await launchBrowser();
    page = browser.page;
    await page.goto(server.url, { waitUntil: 'domcontentloaded', timeout: 120_000 });
    await waitForWorkbench(page);
  });

  after(async () => {
    if (page) await screenshot(page, 'ui-99-last').catch(() => undefined);
    await browser?.close();
    await server?.stop();
  });

  it('opens the file in the x86asm language mode with the grammar colouring it', async () => {
    await openFile(page, 'hello64.asm', 'x86 Assembly (NASM)');
    const mnemonicColour = await page.locator('.view-line span', { hasText: /^syscall$/ }).first().evaluate((el) => (globalThis as unknown as ReturnType<typeof pageGlobals>).getComputedStyle(el).color);
    const labelColour = await page.locator('.view-line span', { hasText: /^_start$/ }).first().evaluate((el) => (globalThis as unknown as ReturnType<typeof pageGlobals>).getComputedStyle(el).color);
    assert.notEqual(mnemonicColour, labelColour, 'mnemonics and labels are tokenised differently');
    await screenshot(page, 'ui-01-editor');
  });

  it('sets a breakpoint by clicking the gutter and stops there on F5', async () => {
    await toggleBreakpoint(page, 13);
    await page.locator('.editor-instance .view-lines').click();
    await page.keyboard.press('F5');
    await page.waitForSelector('.debug-toolbar', { timeout: 60_000 });
    await page.waitForSelector('.editor-instance .codicon-debug-stackframe', { timeout: 60_000 });
    await waitForPaneText(page, 'Call Stack', /Paused on (DR0 instruction )?breakpoint/i);
    assert.equal(await waitForCurrentLine(page, 13), 13);
    await screenshot(page, 'ui-02-paused-on-breakpoint');
  });

  it('shows DR0, DR7 and DR6 in the Debug Registers view', async () => {
    const rows = await readDebugRegisters(page, /^DR0 0x/);
    const dr0 = rows.find((r) => r.startsWith('DR0 0x'));
    const dr7 = rows.find((r) => r.startsWith('DR7 0x'));
    const dr6 = rows.find((r) => r.startsWith('DR6 0x'));
    assert.match(dr0 ?? '', /^DR0 0x0040100[0-9A-F].*execute.*HIT/, `DR0 row: ${dr0}`);
    assert.match(dr7 ?? '', /^DR7 0x00000401\b.*DR0 execute/, `DR7 row: ${dr7}`);
    assert.match(dr6 ?? '', /^DR6 0xFFFF0FF1\b.*B0 set/, `DR6 row: ${dr6}`);
    await screenshot(page, 'ui-03-debug-registers');
  });

  it('steps over one instruction with F10', async () => {
    await page.keyboard.press('F10');
    await waitForPaneText(page, 'Call Stack', /Paused after step/i);
    assert.equal(await waitForCurrentLine(page, 14), 14);
    const rows = await readDebugRegisters(page, /^DR0 0x/);
    const dr0 = rows.find((r) => r.startsWith('DR0 0x')) ?? '';
    assert.match(dr0, /execute/);
    assert.doesNotMatch(dr0, /HIT/, 'a step is not a DR0 hit');
    await screenshot(page, 'ui-04-stepped');
  });

  it('continues to a data breakpoint set with "Break on Value Change" on counter', async () => {
    for (const other of ['Debug Registers', 'Watch', 'Call Stack', 'Breakpoints']) await collapsePane(page, other);
    const variables = await openPane(page, 'Variables');
    await setExpanded(variables, /^\s*Registers/, false);
    await setExpanded(variables, /^\s*Symbols/, true);
    const counter = variables.locator('.monaco-list-row', { hasText: /^\s*counter\b/ }).first();
    await counter.waitFor({ timeout: 30_000 });
    // The menu's data-breakpoint items stay disabled until VS Code has asked the adapter (dataBreakpointInfo).
    let chosen = false;
    for (let attempt = 0; attempt < 4 && !chosen; attempt++) {
      await counter.click({ button: 'right' });
      const item = page.locator('.monaco-menu .action-item:not(.disabled) .action-label', { hasText: 'Break on Value Change' }).first();
      try {
        await item.waitFor({ timeout: 10_000 });
        await item.click({ timeout: 5_000 });
        await page.locator('.context-view .monaco-menu').waitFor({ state: 'detached', timeout: 5_000 });
        chosen = true;
      } catch {
        await page.keyboard.press('Escape');
      }
    }
    assert.ok(chosen, '"Break on Value Change" could be chosen');
    await screenshot(page, 'ui-05-break-on-value-change');
    await page.keyboard.press('F5');
    await waitForPaneText(page, 'Call Stack', /Paused on DR1 write watchpoint/i);
    assert.equal(await waitForCurrentLine(page, 18), 18, 'stopped after the INC that wrote counter');
    const rows = await readDebugRegisters(page, /^DR1 0x.*HIT/);
    assert.match(rows.find((r) => r.startsWith('DR6 0x')) ?? '', /^DR6 0xFFFF0FF2\b.*B1 set/);
    assert.match(rows.find((r) => r.startsWith('DR1 0x')) ?? '', /write 8B .*counter.*HIT/);
    await screenshot(page, 'ui-06-data-breakpoint');
  });
});
