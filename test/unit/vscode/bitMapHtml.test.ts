// The DR7/DR6 bit-map picture: 32 cells per register with bit 31 on the left, each field's cells
// tagged with its slot colour, the fired slot's bits lit, theme colours only, and a safe CSP.
import { strict as assert } from 'assert';
import type { DebugRegistersBody } from '../../../src/adapter/protocol';
import { bitMapHtml, registerRow } from '../../../src/vscode/bitMapHtml';
import { dr7Fields } from '../../../src/vscode/registerNodes';

const body: DebugRegistersBody = {
  debugger: {
    dr: [0x401000, 0x402018, 0, 0],
    dr6: 0xffff0ff0,
    dr7: 0x00900405,
    slots: [
      { index: 0, kind: 'exec', rw: 0, len: 1, address: 0x401000, breakpointId: 1, breakpointIds: [1], label: 'hello.asm:13' },
      { index: 1, kind: 'write', rw: 1, len: 8, address: 0x402018, breakpointId: 2, breakpointIds: [2], label: 'counter <write>' },
      { index: 2, kind: 'vacant', rw: 0, len: 1, address: 0, breakpointId: null, breakpointIds: [], label: '' },
      { index: 3, kind: 'vacant', rw: 0, len: 1, address: 0, breakpointId: null, breakpointIds: [], label: '' },
    ],
  },
  guest: { dr: [0, 0, 0, 0], dr6: 0xffff0ff0, dr7: 0x400 },
};

function cells(html: string): { bit: number; cls: string }[] {
  return [...html.matchAll(/<td class="([^"]*)"[^>]*data-bit="(\d+)"/g)].map((m) => ({ bit: Number(m[2]), cls: m[1] }));
}

describe('DR7/DR6 bit map (webview HTML)', () => {
  it('draws 32 cells from bit 31 down to bit 0 with the value of each bit', () => {
    const row = cells(registerRow('DR7', 0x00900405, dr7Fields(0x00900405, [])));
    assert.deepEqual(row.map((c) => c.bit), Array.from({ length: 32 }, (_, i) => 31 - i));
    const on = row.filter((c) => / on\b/.test(c.cls)).map((c) => c.bit).sort((a, b) => a - b);
    assert.deepEqual(on, [0, 2, 10, 20, 23], 'L0, L1, bit 10, R/W1=01, LEN1=10');
  });

  it('lights the fields of the slot that fired (DR6.B1) and nothing of the others', () => {
    const html = bitMapHtml(body, { dr6: 0xffff0ff2, dr7: 0x00900405, pc: 0x401020, exception: 1 }, '', 'vscode-resource:', 'n0nce');
    const all = cells(html);
    const dr7 = all.slice(0, 32);
    const dr6 = all.slice(32, 64);
    assert.deepEqual(dr7.filter((c) => c.cls.includes('lit')).map((c) => c.bit).sort((a, b) => a - b), [2, 20, 21, 22, 23], 'L1, R/W1, LEN1 (whole fields)');
    assert.deepEqual(dr6.filter((c) => c.cls.includes('lit')).map((c) => c.bit), [1]);
    assert.match(html, /DR1 counter &#60;write&#62; <b>\(fired\)<\/b>/, 'labels are escaped');
    assert.match(html, /var\(--vscode-charts-orange\)/);
    assert.doesNotMatch(html, /#[0-9a-f]{6}\b(?![^<]*\))/i, 'colours come from the theme variables');
    assert.match(html, /Content-Security-Policy" content="default-src 'none'; style-src vscode-resource: 'nonce-n0nce';"/);
  });

  it('says why it is empty without a stop', () => {
    assert.match(bitMapHtml(undefined, undefined, 'No x86dbg debug session', 'x', 'n'), /id="empty">No x86dbg debug session</);
  });
});
