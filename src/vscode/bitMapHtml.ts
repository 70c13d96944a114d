// The bit-map picture of DR7 and DR6 as HTML: two 32-cell rows, each field coloured by the slot it
// belongs to (DR0 red, DR1 orange, DR2 green, DR3 blue: VS Code's chart colours, so it follows the
// theme), the bits of the last stop lit. Pure (a string): imports only the tree model.
import type { DebugRegistersBody, X86StopInfo } from '../adapter/protocol';
import { dr6Fields, dr7Fields, firedSlots, hex, shownDr6, type FieldNode } from './registerNodes';

const slotColours = ['var(--vscode-charts-red)', 'var(--vscode-charts-orange)', 'var(--vscode-charts-green)', 'var(--vscode-charts-blue)'];

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The slot (0–3) a DR7/DR6 field belongs to, from its name (`L2`, `R/W1`, `B3`), or -1. */
export function fieldSlot(field: FieldNode): number {
  const m = /^(?:L|G|R\/W|LEN|B)([0-3])$/.exec(field.name);
  return m ? Number(m[1]) : -1;
}

/** One register as a row of 32 bit cells (bit 31 on the left). */
export function registerRow(name: string, value: number, fields: FieldNode[]): string {
  const cells: string[] = [];
  for (let bit = 31; bit >= 0; bit--) {
    const field = fields.find((f) => bit >= f.bit && bit < f.bit + f.width);
    const on = ((value >>> bit) & 1) === 1;
    const slot = field ? fieldSlot(field) : -1;
    const lit = field?.lit === true && field.value !== 0;
    const style = slot >= 0 ? ` style="--slot:${slotColours[slot]}"` : '';
    const title = field ? `${field.name} (bit ${bit}) = ${field.value.toString(2).padStart(field.width, '0')}: ${field.meaning}` : `bit ${bit} (reserved/fixed)`;
    const label = field && bit === field.bit + field.width - 1 ? field.name : '';
    cells.push(`<td class="bit${on ? ' on' : ''}${slot >= 0 ? ' slot' : ''}${lit ? ' lit' : ''}${field ? '' : ' fixed'}"${style} title="${escapeHtml(title)}" data-bit="${bit}"><span class="v">${on ? 1 : 0}</span><span class="n">${escapeHtml(label)}</span></td>`);
  }
  return `<tr><th>${name}<br><code>${hex(value)}</code></th>${cells.join('')}</tr>`;
}

/** The whole webview document. `body` undefined draws the empty state with its reason. */
export function bitMapHtml(body: DebugRegistersBody | undefined, stop: X86StopInfo | undefined, emptyReason: string, cspSource: string, nonce: string): string {
  const head = `<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${cspSource} 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0"><title>DR7 / DR6 bit map</title>
<style nonce="${nonce}">
body { color: var(--vscode-foreground); background: var(--vscode-editor-background); font-family: var(--vscode-font-family); padding: 12px; }
table { border-collapse: collapse; margin-bottom: 18px; }
th { text-align: left; padding-right: 10px; font-weight: 600; white-space: nowrap; }
td.bit { width: 30px; height: 38px; text-align: center; border: 1px solid var(--vscode-panel-border, #8884); font-family: var(--vscode-editor-font-family); position: relative; }
td.bit .v { display: block; font-size: 1.1em; }
td.bit .n { display: block; font-size: 0.7em; opacity: 0.8; white-space: nowrap; }
td.slot { background: color-mix(in srgb, var(--slot) 18%, transparent); }
td.slot.on { background: color-mix(in srgb, var(--slot) 45%, transparent); }
td.fixed { opacity: 0.45; }
td.lit { outline: 3px solid var(--vscode-debugIcon-breakpointForeground, #e51400); outline-offset: -3px; font-weight: bold; }
.legend span { display: inline-block; margin-right: 14px; }
.legend i { display: inline-block; width: 12px; height: 12px; margin-right: 4px; vertical-align: middle; }
.axis td { font-size: 0.7em; text-align: center; opacity: 0.7; }
.empty { opacity: 0.8; font-style: italic; }
</style></head><body>`;
  if (!body) return `${head}<h2>DR7 / DR6</h2><p class="empty" id="empty">${escapeHtml(emptyReason)}</p></body></html>`;
  const dr6 = shownDr6(body, stop);
  const hits = firedSlots(body, stop);
  const axis = `<tr class="axis"><th></th>${Array.from({ length: 32 }, (_, i) => `<td>${31 - i}</td>`).join('')}</tr>`;
  const legend = `<p class="legend">${slotColours.map((c, n) => `<span><i style="background:${c}"></i>DR${n} ${escapeHtml(body.debugger.slots[n]?.label || 'vacant')}${hits.includes(n) ? ' <b>(fired)</b>' : ''}</span>`).join('')}</p>`;
  const guest = body.guest
    ? `<h3>Guest layer (its own MOV DRn)</h3><table>${axis}${registerRow('DR7', body.guest.dr7, dr7Fields(body.guest.dr7, []))}${registerRow('DR6', body.guest.dr6, dr6Fields(body.guest.dr6, false))}</table>`
    : '';
  return `${head}<h2>Debugger layer</h2>${legend}<table id="debugger">${axis}${registerRow('DR7', body.debugger.dr7, dr7Fields(body.debugger.dr7, hits))}${registerRow('DR6', dr6, dr6Fields(dr6, stop === undefined || stop.dr6 !== 0))}</table>${guest}</body></html>`;
}
