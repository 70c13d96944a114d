// The debug console: `evaluate` results for watch/hover/repl, console commands behind a `-` prefix
// (-dr, -slots, -bp, -help) and completions for registers, labels and commands.
// Imports adapter modules and DAP types.
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { DebugRegistersBody } from './protocol';
import type { BreakpointStore } from './breakpoints';
import type { Runtime } from './runtime';
import { evaluateExpression, formatValue } from './evaluate';
import { dr6Fields, dr7Fields } from './variables';

const COMMANDS: { name: string; help: string }[] = [
  { name: '-help', help: 'list the console commands' },
  { name: '-dr', help: "show the debug registers: the debugger's DR0–DR3/DR6/DR7 (decoded) and the guest's" },
  { name: '-slots', help: 'show which breakpoint holds each of DR0–DR3' },
  { name: '-bp', help: 'list every breakpoint with where it is placed (slot, software, waiting)' },
];

const REGISTERS: Record<16 | 32 | 64, string[]> = {
  64: ['rax', 'rbx', 'rcx', 'rdx', 'rsi', 'rdi', 'rbp', 'rsp', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15', 'rip', 'rflags', 'eax', 'ebx', 'ecx', 'edx', 'esi', 'edi', 'ebp', 'esp', 'ax', 'bx', 'cx', 'dx', 'al', 'bl', 'cl', 'dl'],
  32: ['eax', 'ebx', 'ecx', 'edx', 'esi', 'edi', 'ebp', 'esp', 'eip', 'eflags', 'ax', 'bx', 'cx', 'dx', 'si', 'di', 'bp', 'sp', 'al', 'ah', 'bl', 'bh', 'cl', 'ch', 'dl', 'dh'],
  16: ['ax', 'bx', 'cx', 'dx', 'si', 'di', 'bp', 'sp', 'ip', 'flags', 'al', 'ah', 'bl', 'bh', 'cl', 'ch', 'dl', 'dh'],
};
const OTHER_REGISTERS = ['cs', 'ds', 'es', 'fs', 'gs', 'ss', 'cr0', 'cr2', 'cr3', 'cr4', 'efer', 'dr0', 'dr1', 'dr2', 'dr3', 'dr6', 'dr7'];
const SIZE_WORDS = ['byte', 'word', 'dword', 'qword'];

function hex8(n: number): string {
  return '0x' + (n >>> 0).toString(16).toUpperCase().padStart(8, '0');
}

function describeLayer(title: string, dr: number[], dr6: number, dr7: number): string[] {
  const lines = [`${title}:`];
  dr.forEach((a, i) => lines.push(`  DR${i} = 0x${a.toString(16)}`));
  lines.push(`  DR6 = ${hex8(dr6)}  ${dr6Fields(dr6).map((f) => `${f.name}=${f.value}`).join(' ')}`);
  lines.push(`  DR7 = ${hex8(dr7)}`);
  const fields = dr7Fields(dr7);
  for (let n = 0; n < 4; n++) {
    const f = fields.slice(4 * n, 4 * n + 4);
    lines.push(`    slot ${n}: ${f.map((x) => `${x.name}=${x.value}`).join('  ')}`);
  }
  lines.push(`    ${fields.slice(16).map((x) => `${x.name}=${x.value}`).join('  ')}`);
  return lines;
}

/** Run a `-command` typed in the debug console. */
export function consoleCommand(text: string, regs: DebugRegistersBody, store: BreakpointStore | null, _runtime: Runtime | null): string {
  const [cmd] = text.split(/\s+/);
  switch (cmd) {
    case '-help':
    case '-h':
    case '-?':
      return [
        'Expressions: registers (rax, eax, al, rip, rflags, cs, cr0, dr7 ...), labels, numbers (42, 0x2a, 2ah, 101b),',
        '  + - * / % & | ^ ~ << >> ( ), and memory: byte|word|dword|qword [expr]. A data label alone shows its value.',
        'Commands:',
        ...COMMANDS.map((c) => `  ${c.name.padEnd(8)} ${c.help}`),
      ].join('\n');
    case '-dr':
      return [
        ...describeLayer('Debugger layer (x86dbg breakpoints)', regs.debugger.dr, regs.debugger.dr6, regs.debugger.dr7),
        ...(regs.guest ? describeLayer("Guest layer (the program's own MOV DRn)", regs.guest.dr, regs.guest.dr6, regs.guest.dr7) : ['Guest layer: no machine']),
      ].join('\n');
    case '-slots':
      return regs.debugger.slots.map((s) => `DR${s.index}: ${s.kind === 'vacant' ? 'vacant' : `${s.kind} ${s.len} byte${s.len === 1 ? '' : 's'} at 0x${s.address.toString(16)} ← ${s.label} (ref ${s.breakpointIds.length})`}`).join('\n');
    case '-bp': {
      const all = store?.all() ?? [];
      if (all.length === 0) return 'no breakpoints';
      return all
        .map((r) => {
          const where = r.placement.kind === 'hardware' ? r.placement.slots.map((s) => `DR${s}`).join('+') : r.placement.kind === 'software' ? 'software' : `${r.placement.kind}: ${r.placement.message}`;
          const extra = [r.condition ? `if ${r.condition}` : '', r.hitCondition ? `hits ${r.hitCondition}` : '', r.logMessage ? `log "${r.logMessage}"` : ''].filter(Boolean).join(', ');
          return `#${r.id} ${r.origin} ${r.label} → ${where}${extra ? ` (${extra})` : ''} hits=${r.hits}`;
        })
        .join('\n');
    }
  }
  return `unknown command '${cmd}' (try -help)`;
}

/** The body of an evaluate response for an expression. */
export function evaluateRequestText(runtime: Runtime, text: string, hexOn: boolean): { ok: true; body: DebugProtocol.EvaluateResponse['body'] } | { ok: false; message: string } {
  const r = evaluateExpression(text, runtime.evalContext());
  if (!r.ok) return r;
  let result = formatValue(r.value, r.size, hexOn);
  if (hexOn && r.value < 1n << 53n && r.kind !== 'memory') result += r.value > 9n ? ` (${r.value.toString(10)})` : '';
  if (r.kind === 'label') {
    const name = runtime.symbols.describe(Number(r.value));
    if (name) result += ` → ${name}`;
  }
  const memoryReference = r.address !== undefined ? '0x' + r.address.toString(16) : r.value <= BigInt(Number.MAX_SAFE_INTEGER) ? '0x' + r.value.toString(16) : undefined;
  return { ok: true, body: { result, variablesReference: 0, memoryReference, type: r.size ? `${r.size * 8}-bit` : undefined } };
}

/** Completions for the word before `column` (1-based). */
export function completionItems(runtime: Runtime | null, text: string, column: number): DebugProtocol.CompletionItem[] {
  const upto = text.slice(0, Math.max(0, column - 1));
  const m = /(-?[A-Za-z_.?@$][A-Za-z0-9_.?@$]*|-)$/.exec(upto);
  const word = m ? m[1] : '';
  const start = upto.length - word.length;
  const items: DebugProtocol.CompletionItem[] = [];
  const add = (label: string, type: DebugProtocol.CompletionItemType, detail?: string): void => {
    if (label.toLowerCase().startsWith(word.toLowerCase())) items.push({ label, type, detail, start, length: word.length });
  };
  if (word.startsWith('-') && start === upto.trimStart().length - word.length + (upto.length - upto.trimStart().length)) {
    for (const c of COMMANDS) add(c.name, 'keyword', c.help);
    return items;
  }
  const mode = runtime ? runtime.target.mode() : 64;
  for (const r of [...REGISTERS[mode], ...OTHER_REGISTERS]) add(r, 'variable', 'register');
  for (const w of SIZE_WORDS) add(w, 'keyword', `${w} [address]`);
  if (runtime) for (const name of runtime.symbols.names()) add(name, runtime.symbols.lookup(name)?.kind === 'code' ? 'function' : 'field', 'label');
  return items;
}
