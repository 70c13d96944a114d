// Playwright helpers that use the code-server workbench the way a person does: open a file from the
// Explorer, click the editor gutter, press keys, find a view pane and read its rows.
import type { Locator, Page } from 'playwright-core';

/** The little of the DOM the page-side callbacks use (the project compiles without lib.dom). */
interface PageElement {
  textContent: string | null;
  querySelector(selector: string): PageElement | null;
  getBoundingClientRect(): { top: number };
}
interface PageGlobals {
  document: { querySelector(selector: string): PageElement | null; querySelectorAll(selector: string): ArrayLike<PageElement> };
  getComputedStyle(element: unknown): { color: string };
}
/** The browser's globals, inside page.evaluate / waitForFunction callbacks only. */
export const pageGlobals = (): PageGlobals => globalThis as unknown as PageGlobals;

/** Waits for the workbench to render. */
export async function waitForWorkbench(page: Page): Promise<void> {
  await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
  await page.waitForSelector('.explorer-folders-view .monaco-list-row', { timeout: 60_000 });
}

/** Double-clicks a file in the Explorer and waits for its editor and language mode. */
export async function openFile(page: Page, name: string, languageName: string): Promise<void> {
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: name }).first().dblclick();
  await page.waitForSelector(`.tab.active[aria-label*="${name}"]`, { timeout: 30_000 });
  await page.locator('[id="status.editor.mode"]', { hasText: languageName }).waitFor({ timeout: 30_000 });
}

/** The editor's line-number element for a 1-based line. */
function lineNumber(page: Page, line: number): Locator {
  return page.locator('.editor-instance .margin-view-overlays .line-numbers', { hasText: new RegExp(`^\\s*${line}\\s*$`) }).first();
}

/** Clicks the glyph margin beside a line until a breakpoint glyph appears there (the extension host may still be starting). */
export async function toggleBreakpoint(page: Page, line: number): Promise<void> {
  const before = await page.locator('.codicon-debug-breakpoint').count();
  for (let attempt = 0; attempt < 10; attempt++) {
    const number = await lineNumber(page, line).boundingBox();
    const margin = await page.locator('.editor-instance .glyph-margin').first().boundingBox();
    if (!number || !margin) throw new Error(`line ${line} or the glyph margin is not visible`);
    await page.mouse.click(margin.x + margin.width / 2, number.y + number.height / 2);
    try {
      await page.waitForFunction((n) => (globalThis as unknown as PageGlobals).document.querySelectorAll('.codicon-debug-breakpoint').length > n, before, { timeout: 2_000 });
      return;
    } catch {
      // the click came before breakpoints were allowed for the language: try again
    }
  }
  throw new Error(`no breakpoint glyph appeared on line ${line}`);
}

/** A view pane (Explorer, Run and Debug sections) by its title; expanded if it was collapsed. */
export async function openPane(page: Page, title: string): Promise<Locator> {
  const header = page.locator('.pane-header', { hasText: new RegExp(`^\\s*${title}`, 'i') }).first();
  await header.waitFor({ timeout: 30_000 });
  if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
  return page.locator('.pane', { has: header }).first();
}

/** The text of every visible row of a pane's tree, one string per row. */
export async function paneRows(pane: Locator): Promise<string[]> {
  return pane.locator('.monaco-list-row').evaluateAll((rows) =>
    rows.map((row) => {
      // A tree row: label (with highlight spans inside) and description are separate elements.
      const r = row as unknown as PageElement;
      const label = r.querySelector('.label-name')?.textContent ?? r.textContent ?? '';
      const description = r.querySelector('.label-description')?.textContent ?? '';
      return `${label} ${description}`.replace(/\s+/g, ' ').trim();
    }),
  );
}

/** Polls the editor until the top stack frame decorates `line` (or the timeout passes); returns the last line seen. */
export async function waitForCurrentLine(page: Page, line: number, timeoutMs = 15_000): Promise<number | undefined> {
  const deadline = Date.now() + timeoutMs;
  let seen = await currentLine(page);
  while (seen !== line && Date.now() < deadline) {
    await page.waitForTimeout(200);
    seen = await currentLine(page);
  }
  return seen;
}

/** Collapses a view pane if it is expanded (to give the others room). */
export async function collapsePane(page: Page, title: string): Promise<void> {
  const header = page.locator('.pane-header', { hasText: new RegExp(`^\\s*${title}`, 'i') }).first();
  if ((await header.count()) > 0 && (await header.getAttribute('aria-expanded')) === 'true') await header.click();
}

/** The text of a pane including its header (where the call stack shows "Paused on …"). */
export async function paneText(page: Page, title: string): Promise<string> {
  const pane = await openPane(page, title);
  return ((await pane.textContent()) ?? '').replace(/\s+/g, ' ');
}

/** The 1-based line the debugger's top stack frame decorates in the editor. */
export async function currentLine(page: Page): Promise<number | undefined> {
  return page.evaluate(() => {
    const { document } = globalThis as unknown as PageGlobals;
    const glyph = document.querySelector('.editor-instance .codicon-debug-stackframe');
    if (!glyph) return undefined;
    const top = glyph.getBoundingClientRect().top;
    for (const el of Array.from(document.querySelectorAll('.editor-instance .line-numbers'))) {
      const r = el.getBoundingClientRect();
      if (Math.abs(r.top - top) < 4) return Number((el.textContent ?? '').trim());
    }
    return undefined;
  });
}
