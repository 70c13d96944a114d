// Test rig for the DR conformance cases: assembles a snippet with Debian's nasm (outside truth for the
// bytes; label addresses from nasm's symbol map), loads it into a Machine in the case's mode with code,
// data and stack regions mapped, and runs it to the next Exit. Tests import this; it is not a test.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { execFileSync } from 'child_process';
import { Machine } from '../../src/emu/machine';
import type { Exit } from '../../src/emu/exit';
import type { Environment } from '../../src/emu/environment';

/** Default layout of the cases (x86-debug-register-cases.md): code at 0x401000, data at 0x600000, stack below 0x800000. */
export const CODE = 0x401000;
export const DATA = 0x600000;
export const STACK_TOP = 0x800000;

export interface Assembled {
  bytes: Uint8Array;
  labels: Record<string, number>;
}

let tmpDir: string | null = null;
let counter = 0;

/** Assemble `source` (which sets its own BITS/ORG) with nasm -f bin; labels from the symbol map. */
export function nasm(source: string): Assembled {
  tmpDir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'x86dbg-conf-'));
  const base = path.join(tmpDir, `c${counter++}`);
  fs.writeFileSync(base + '.asm', `[map symbols ${base}.map]\n${source}\n`);
  execFileSync('nasm', ['-f', 'bin', base + '.asm', '-o', base + '.bin'], { stdio: ['ignore', 'ignore', 'pipe'] });
  const labels: Record<string, number> = {};
  const map = fs.readFileSync(base + '.map', 'utf8');
  for (const line of map.split('\n')) {
    const m = /^\s*([0-9A-Fa-f]+)\s+([0-9A-Fa-f]+)\s+(\S+)\s*$/.exec(line);
    if (m) labels[m[3]] = parseInt(m[2], 16);
  }
  return { bytes: new Uint8Array(fs.readFileSync(base + '.bin')), labels };
}

export type Mode = 'long64' | 'protected32' | 'real';

export interface Rig {
  m: Machine;
  labels: Record<string, number>;
  /** run until an exit other than 'budget' (or the budget is spent). */
  run(budget?: number): Exit;
}

/** Options of a rig: mode, privilege, where the code goes, an environment. */
export interface RigOptions {
  mode?: Mode;
  cpl?: 0 | 3;
  org?: number;
  env?: Environment;
}

/**
 * Build a machine running `body` (NASM text; BITS and ORG are added) at CPL `cpl` in `mode`.
 * Real mode: code at org (linear = offset, CS = 0), stack at 0x9000, data at 0x6000.
 */
export function rig(body: string, options: RigOptions = {}): Rig {
  const mode = options.mode ?? 'long64';
  const bits = mode === 'long64' ? 64 : mode === 'protected32' ? 32 : 16;
  const org = options.org ?? (mode === 'real' ? 0x1000 : CODE);
  const asm = nasm(`bits ${bits}\norg 0x${org.toString(16)}\n${body}`);
  const m = new Machine(options.env ? { env: options.env } : {});
  if (mode === 'real') {
    m.start('real');
    mustMap(m, 0, 0x10000);
    m.writeMemory(org, asm.bytes);
    m.setRip(org);
    m.regs[4] = 0x9000;
  } else {
    m.start(mode, options.cpl ?? 0);
    mustMap(m, org & ~0xfff, (asm.bytes.length + (org & 0xfff) + 0xfff) & ~0xfff);
    mustMap(m, DATA, 0x3000);
    mustMap(m, STACK_TOP - 0x10000, 0x10000);
    m.writeMemory(org, asm.bytes);
    m.setRip(org);
    m.regs[4] = STACK_TOP - 0x1000;
  }
  return {
    m,
    labels: asm.labels,
    run(budget = 100000): Exit {
      return m.run(budget);
    },
  };
}

function mustMap(m: Machine, address: number, size: number): void {
  const r = m.map(address, size, 7);
  if (!r.ok) throw new Error(`map ${address.toString(16)}: ${r.message}`);
}

/** Shorthand for a 'debug' exit's fields. */
export function debugExit(exit: Exit): { dr6: number; pc: number; dr7: number } {
  if (exit.reason !== 'debug') throw new Error(`expected a debug exit, got ${JSON.stringify(exit)}`);
  return { dr6: exit.dr6 >>> 0, pc: exit.pc, dr7: exit.dr7 >>> 0 };
}

/** Shorthand for a 'fault' exit's vector and pc. */
export function faultExit(exit: Exit): { vector: number; pc: number; errorCode?: number } {
  if (exit.reason !== 'fault') throw new Error(`expected a fault exit, got ${JSON.stringify(exit)}`);
  return { vector: exit.vector, pc: exit.pc, errorCode: exit.errorCode };
}

/** Arm the debugger layer: slots as [address, dr7 nibble-encoded by the caller] through setGuestDebug. */
export function hostSlots(m: Machine, dr7: number, addr: number[], singleStep = false): void {
  m.setGuestDebug({ singleStep, hw: { dr7, addr: [...addr, 0, 0, 0, 0].slice(0, 4) } });
}

/** Arm the guest layer directly (as MOV DRn would at CPL 0). */
export function guestSlots(m: Machine, dr7: number, addr: number[]): void {
  addr.forEach((a, n) => m.debug.setGuestRegister(n, a));
  m.debug.setGuestRegister(7, dr7);
}

/** 64-bit register value of GPR i as a number (exact below 2^53). */
export function reg(m: Machine, i: number): number {
  return (m.regsHi[i] >>> 0) * 0x100000000 + (m.regs[i] >>> 0);
}

/** A real-mode rig whose IVT sends #DB to a handler logging (IP pushed, DR6) and resetting DR6, and #BP to a counter. */
export interface HandlerRig extends Rig {
  /** [IP pushed by the #DB, DR6 seen by the handler] per #DB, in order. */
  log(): [number, number][];
  /** How many #BP the guest took. */
  breakpoints(): number;
}

/** Real mode (CS = DS = SS = 0, code at 0x1000) with a #DB handler that records and IRETs. */
export function realWithDbHandler(body: string): HandlerRig {
  const source = [
    'jmp start',
    'align 4',
    'count: dw 0',
    'bpcount: dw 0',
    'log: times 64 dd 0',
    'db_handler:',
    'push bp',
    'mov bp, sp',
    'push eax',
    'push bx',
    'mov bx, [count]',
    'shl bx, 3',
    'mov ax, [bp+2]',
    'mov [log+bx], ax',
    'mov eax, dr6',
    'mov [log+bx+4], eax',
    'inc word [count]',
    'xor eax, eax',
    'mov dr6, eax',
    'pop bx',
    'pop eax',
    'pop bp',
    'iret',
    'bp_handler:',
    'inc word [bpcount]',
    'iret',
    'start:',
    'mov word [4], db_handler',
    'mov word [6], 0',
    'mov word [12], bp_handler',
    'mov word [14], 0',
    body,
  ].join('\n');
  const r = rig(source, { mode: 'real' });
  return {
    ...r,
    log(): [number, number][] {
      const mem = r.m.readMemory(r.labels.count, 2) as Uint8Array;
      const n = mem[0] | (mem[1] << 8);
      const out: [number, number][] = [];
      const bytes = r.m.readMemory(r.labels.log, 8 * n) as Uint8Array;
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      for (let i = 0; i < n; i++) out.push([view.getUint16(8 * i, true), view.getUint32(8 * i + 4, true)]);
      return out;
    },
    breakpoints(): number {
      const mem = r.m.readMemory(r.labels.bpcount, 2) as Uint8Array;
      return mem[0] | (mem[1] << 8);
    },
  };
}
