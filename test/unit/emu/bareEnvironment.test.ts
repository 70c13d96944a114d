// The `bare` environment (src/emu/env/bareMetalLoader.ts, bareMetal.ts): the machine the loader
// builds in 16/32/64-bit mode (registers, CR0/CR4/EFER, the flat GDT's descriptors as the SDM
// encodes them, page tables identity-mapping 4 GiB, DR6/DR7 reset values, IF = 0, no IDT), guests
// assembled with Debian's nasm printing through port E9h and COM1, HLT exits, faults without a
// table, A20 wrap through port 92h and the keyboard controller, and reset.
import { strict as assert } from 'assert';
import { Reg } from '../../../src/isa/registers';
import { BufferConsole } from '../../../src/emu/console';
import { loadProgram, type Launched } from '../../../src/emu/env/loadProgram';
import { loadBareMetal, parseLoadAddress } from '../../../src/emu/env/bareMetalLoader';
import { loadFlatBinary } from '../../../src/asm/binaryLoaders';
import type { Machine } from '../../../src/emu/machine';
import type { Exit } from '../../../src/emu/exit';
import { asm } from './helpers';

interface Run { exit: Exit; out: string; bytes: number[]; notices: string[]; m: Machine }

function launch(bits: 16 | 32 | 64, src: string, org: number, extra: { memoryLimit?: number; orgOverride?: number } = {}): { l: Launched; con: BufferConsole; notices: string[] } {
  const con = new BufferConsole();
  const notices: string[] = [];
  const program = loadFlatBinary(asm(bits, src, org), { org, bits });
  const r = loadProgram(program, { console: con, environment: 'bare', bits, notice: (n) => notices.push(n), memoryLimit: extra.memoryLimit, org: extra.orgOverride });
  if (!r.ok) throw new Error(r.message);
  return { l: r, con, notices };
}

function run(bits: 16 | 32 | 64, src: string, org: number, extra: { memoryLimit?: number } = {}): Run {
  const { l, con, notices } = launch(bits, src, org, extra);
  const exit = l.machine.run(1_000_000);
  return { exit, out: con.text(), bytes: con.stdout, notices, m: l.machine };
}

const reg = (m: Machine, id: number): number => Number(m.getRegister(id as never));

/** Print the zero-terminated string at label `msg` through port E9h (16-bit or 32/64-bit source). */
const PRINT16 = 'mov si, msg\n.p: lodsb\n test al, al\n jz .e\n out 0xe9, al\n jmp .p\n.e:';

describe('bare environment', () => {
  describe('16-bit: real mode', () => {
    it('a boot-sector-style image at 7C00h: CS:IP = 0:7C00, SS:SP = 0:7C00, A20 off, IF = 0, IVT at 0, DR6/DR7 reset', () => {
      const { l } = launch(16, 'hlt', 0x7c00);
      const m = l.machine;
      assert.deepEqual([m.modeName(), m.cpl, m.segSel[1], m.rip, m.segSel[2], reg(m, Reg.SP), m.segSel[3], m.segSel[0]], ['real', 0, 0, 0x7c00, 0, 0x7c00, 0, 0]);
      assert.equal(m.a20Mask, 0xfffff, 'A20 off');
      assert.equal(m.getRflags(), 0x2);
      assert.deepEqual([m.idtrBase, m.idtrLimit], [0, 0x3ff]);
      assert.deepEqual([reg(m, Reg.DR6), reg(m, Reg.DR7), reg(m, Reg.CR0)], [0xffff0ff0, 0x400, 0x60000010]);
      assert.deepEqual(m.readMemory(0, 1024), new Uint8Array(1024), 'the IVT is zeroed RAM');
    });

    it('entry above 64 KiB: CS = linear >> 4 & F000h, IP the rest; all segment registers = CS', () => {
      const { l } = launch(16, 'hlt', 0x12345);
      const m = l.machine;
      assert.deepEqual([m.segSel[1], m.rip, m.segSel[3], m.segSel[2], reg(m, Reg.SP)], [0x1000, 0x2345, 0x1000, 0x1000, 0]);
      assert.equal(m.pc(), 0x12345);
    });

    it('prints through E9h and COM1; HLT with IF = 0 exits with code 0', () => {
      const r = run(16, `${PRINT16}\n mov dx, 0x3f8\n mov al, 'C'\n out dx, al\n hlt\nmsg: db "real", 10, 0`, 0x7c00);
      assert.deepEqual([r.out, r.exit], ['real\nC', { reason: 'exited', code: 0 }]);
    });

    it('an exception with an empty IVT entry ends the run as a fault naming it; a guest IVT entry is used', () => {
      const r = run(16, 'xor ax, ax\n div al\n hlt', 0x7c00);
      assert.equal(r.exit.reason, 'fault');
      assert.match((r.exit as { message: string }).message, /#DE.*IVT entry 0 is 0000:0000/);
      const ok = run(16, `mov word [0], handler\n mov word [2], 0\n xor ax, ax\n div al\n hlt\nhandler: ${PRINT16}\n hlt\nmsg: db "#DE", 0`, 0x7c00);
      assert.deepEqual([ok.out, ok.exit.reason], ['#DE', 'exited']);
    });

    it('A20: off at entry (FFFF:0510 wraps to 0:0500); port 92h bit 1 and the keyboard controller (D1h) switch it', () => {
      const src = `
        mov ax, 0xffff
        mov es, ax
        mov byte [0x500], 0x11
        mov byte [es:0x510], 0x22
        mov al, [0x500]
        out 0xe9, al            ; 22: wrapped
        mov al, 2
        out 0x92, al            ; fast A20 on
        mov byte [es:0x510], 0x33
        mov al, [0x500]
        out 0xe9, al            ; 22: no wrap any more
        mov al, [es:0x510]
        out 0xe9, al            ; 33
        xor al, al
        out 0x92, al            ; fast A20 off
        mov byte [es:0x510], 0x44
        mov al, [0x500]
        out 0xe9, al            ; 44
        mov al, 0xd1
        out 0x64, al
        mov al, 0xdf            ; output port: A20 on (bit 1), reset line inactive (bit 0)
        out 0x60, al
        mov byte [es:0x510], 0x55
        mov al, [0x500]
        out 0xe9, al            ; 44
        in al, 0x92
        out 0xe9, al            ; 00: port 92h's own bit stays clear
        hlt`;
      const r = run(16, src, 0x7c00);
      assert.deepEqual(r.bytes, [0x22, 0x22, 0x33, 0x44, 0x44, 0x00]);
      assert.equal(r.m.a20Mask, 0x1fffff);
    });

    it('reset through the keyboard controller (64h ← FEh) and through port 92h bit 0 ends the run with a notice', () => {
      const k = run(16, 'mov al, 0xfe\n out 0x64, al\n jmp $', 0x7c00);
      assert.deepEqual(k.exit, { reason: 'exited', code: 0 });
      assert.match(k.notices.join(), /reset the machine \(keyboard controller command FEh\)/);
      const f = run(16, 'mov al, 1\n out 0x92, al\n jmp $', 0x7c00);
      assert.deepEqual(f.exit, { reason: 'exited', code: 0 });
      assert.match(f.notices.join(), /port 92h/);
    });

    it('HLT with IF = 1 and nothing that can interrupt ends as halted with a notice', () => {
      const r = run(16, 'sti\n hlt', 0x7c00);
      assert.deepEqual(r.exit, { reason: 'halted' });
      assert.match(r.notices.join(), /no unmasked interrupt source/);
    });

    it('unhandled ports read all ones', () => {
      const r = run(16, 'in al, 0x80\n out 0xe9, al\n mov dx, 0x1234\n in ax, dx\n out 0xe9, al\n mov al, ah\n out 0xe9, al\n hlt', 0x7c00);
      assert.deepEqual(r.bytes, [0xff, 0xff, 0xff]);
    });
  });

  describe('32-bit: flat protected mode', () => {
    it('CR0.PE, paging off, flat GDT in RAM beside the image (SDM descriptor encodings), selectors 08h/10h, ESP at the block end', () => {
      const { l } = launch(32, 'hlt', 0x100000);
      const m = l.machine;
      assert.deepEqual([m.modeName(), m.cpl, reg(m, Reg.CR0), reg(m, Reg.CR4), Number(m.efer)], ['protected32', 0, 0x60000011, 0, 0]);
      assert.deepEqual([m.gdtrBase, m.gdtrLimit, m.idtrLimit], [0x1000, 23, 0]);
      const gdt = m.readMemory(0x1000, 24) as Uint8Array;
      assert.deepEqual([...gdt], [0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 0, 0x9b, 0xcf, 0, 0xff, 0xff, 0, 0, 0, 0x93, 0xcf, 0]);
      assert.deepEqual([...m.segSel], [0x10, 0x08, 0x10, 0x10, 0x10, 0x10]);
      assert.equal(reg(m, Reg.ESP), 0x1000 + 0x1000 + 0x10000);
      assert.deepEqual([m.getRflags(), reg(m, Reg.DR6), reg(m, Reg.DR7), m.pc()], [0x2, 0xffff0ff0, 0x400, 0x100000]);
    });

    it('the loader block moves past an image that covers the low pages', () => {
      const { l } = launch(32, 'hlt', 0x7c00);
      assert.equal(l.machine.gdtrBase, 0x8000);
    });

    it('the guest reloads segments from the loader\'s GDT, far-jumps through 08h, prints and halts', () => {
      const r = run(32, `mov ax, 0x10\n mov ds, ax\n mov ss, ax\n jmp 0x08:next\nnext: mov esi, msg\n.p: lodsb\n test al, al\n jz .e\n out 0xe9, al\n jmp .p\n.e: push 0x12345678\n pop eax\n hlt\nmsg: db "pm32", 0`, 0x100000);
      assert.deepEqual([r.out, r.exit, reg(r.m, Reg.EAX)], ['pm32', { reason: 'exited', code: 0 }, 0x12345678]);
    });

    it('INT n with no IDT loaded ends as a fault that says so', () => {
      const r = run(32, 'int 0x30', 0x100000);
      assert.equal(r.exit.reason, 'fault');
      assert.match((r.exit as { message: string }).message, /INT 0x30: no IDT is loaded/);
    });
  });

  describe('64-bit: long mode with identity paging', () => {
    it('CR0.PG|PE, CR4.PAE, EFER.LME|LMA, CR3 = PML4 in the loader block; GDT with a 64-bit code segment', () => {
      const { l } = launch(64, 'hlt', 0x100000);
      const m = l.machine;
      assert.deepEqual([m.modeName(), m.cpl, reg(m, Reg.CR0), reg(m, Reg.CR4), Number(m.efer), reg(m, Reg.CR3)], ['long64', 0, 0xe0000011, 0x20, 0x500, 0x2000]);
      const gdt = m.readMemory(m.gdtrBase, m.gdtrLimit + 1) as Uint8Array;
      assert.deepEqual([...gdt.subarray(8, 16)], [0xff, 0xff, 0, 0, 0, 0x9b, 0xaf, 0], '64-bit code: L = 1, D = 0');
      assert.deepEqual([...gdt.subarray(24, 32)], [0xff, 0xff, 0, 0, 0, 0x9b, 0xcf, 0], '32-bit code for compatibility mode');
      assert.equal(reg(m, Reg.RSP), 0x1000 + 0x1000 * 7 + 0x10000);
      assert.deepEqual([m.getRflags(), reg(m, Reg.DR6), reg(m, Reg.DR7), m.idtrLimit], [0x2, 0xffff0ff0, 0x400, 0]);
    });

    it('the page tables map linear = physical for 0..4 GiB with 2 MiB pages (walked by hand, SDM §4.5)', () => {
      const { l } = launch(64, 'hlt', 0x100000);
      const m = l.machine;
      const q = (addr: number): number => {
        const b = m.readMemory(addr, 8) as Uint8Array;
        return new DataView(b.buffer, b.byteOffset).getUint32(0, true) + new DataView(b.buffer, b.byteOffset).getUint32(4, true) * 2 ** 32;
      };
      const cr3 = reg(m, Reg.CR3);
      for (const lin of [0, 0x1000, 0x1fffff, 0x200000, 0x7c00, 0x3fffffff, 0x40000000, 0xbadc0de, 0xfee00000, 0xffffffff]) {
        const pml4e = q(cr3 + Math.floor(lin / 2 ** 39) * 8);
        assert.equal(pml4e & 0x83, 0x03, 'PML4E present, writable');
        const pdpte = q((pml4e & ~0xfff) + (Math.floor(lin / 2 ** 30) & 511) * 8);
        assert.equal(pdpte & 0x83, 0x03, 'PDPTE present, writable, not a 1 GiB page');
        const pde = q(pdpte - (pdpte & 0xfff) + (Math.floor(lin / 2 ** 21) & 511) * 8);
        assert.equal(pde & 0x83, 0x83, 'PDE: a 2 MiB page');
        assert.equal(pde - (pde & 0x1fffff) + (lin & 0x1fffff), lin);
      }
    });

    it('the guest runs paged: writes near 1 GiB (1 GiB of RAM), reloads CR3, prints through COM1 and halts', () => {
      const src = `mov rax, 0x1122334455667788\n mov [0x3ffffff0], rax\n mov rbx, cr3\n mov cr3, rbx\n mov rcx, [0x3ffffff0]\n lea rsi, [rel msg]\n mov dx, 0x3f8\n.p: lodsb\n test al, al\n jz .e\n out dx, al\n jmp .p\n.e: hlt\nmsg: db "lm64", 0`;
      const r = run(64, src, 0x100000, { memoryLimit: 1024 * 1024 * 1024 });
      assert.deepEqual([r.out, r.exit], ['lm64', { reason: 'exited', code: 0 }]);
      assert.equal(r.m.getRegister(Reg.RCX), 0x1122334455667788n);
    });

    it('the identity tables translate from the first instruction: an access past 4 GiB is #PF with CR2', () => {
      const r = run(64, 'mov rax, 0x140000000\n mov rbx, [rax]\n hlt', 0x100000);
      assert.equal(r.m.pagingEnabled(), true);
      assert.equal(r.exit.reason, 'fault');
      assert.equal((r.exit as { vector: number }).vector, 14);
      assert.equal(r.m.cr2, 0x140000000);
    });

    it('a saved state of the paged guest restores with translation on (paging: true)', () => {
      const { l } = launch(64, 'hlt', 0x100000);
      const state = l.machine.saveState();
      assert.equal(state.paging, true);
      const { l: fresh } = launch(32, 'hlt', 0x100000);
      assert.equal(fresh.machine.pagingEnabled(), false);
      assert.deepEqual(fresh.machine.loadState(state), { ok: true });
      assert.equal(fresh.machine.pagingEnabled(), true);
      assert.equal(fresh.machine.modeName(), 'long64');
    });

    it('an exception with no IDT ends as a fault naming the vector and the missing IDT', () => {
      const r = run(64, 'xor ecx, ecx\n div ecx', 0x100000);
      assert.equal(r.exit.reason, 'fault');
      assert.equal((r.exit as { vector: number }).vector, 0);
      assert.match((r.exit as { message: string }).message, /no IDT is loaded/);
    });
  });

  describe('load address', () => {
    it('org moves the image: loadBase = org − the program\'s own address, entry follows', () => {
      const { l } = launch(32, 'hlt', 0x100000, { orgOverride: 0x200000 });
      assert.deepEqual([l.loadBase, l.machine.pc()], [0x100000, 0x200000]);
      assert.deepEqual(l.machine.readMemory(0x200000, 1), Uint8Array.of(0xf4));
    });

    it('parseLoadAddress takes numbers, 0x…, …h and decimal; rejects the rest', () => {
      assert.deepEqual(['0x7c00', '7c00h', '31744', 0x7c00, '0x7C_00'].map((v) => parseLoadAddress(v)), Array(5).fill({ ok: true, org: 0x7c00 }));
      for (const bad of ['', 'x', '-1', -1, 1.5, '0x100000000', null]) assert.equal(parseLoadAddress(bad).ok, false, String(bad));
    });

    it('refuses images that cannot be entered: 16-bit above 1 MiB, 32/64-bit above 4 GiB, empty', () => {
      const con = new BufferConsole();
      const notice = (): void => undefined;
      assert.equal(loadBareMetal(loadFlatBinary(Uint8Array.of(0xf4), { org: 0x100000 }), { console: con, bits: 16, notice }).ok, false);
      assert.equal(loadBareMetal(loadFlatBinary(Uint8Array.of(0xf4), { org: 2 ** 32 }), { console: con, bits: 32, notice }).ok, false);
      assert.equal(loadBareMetal(loadFlatBinary(new Uint8Array(0)), { console: con, bits: 64, notice }).ok, false);
      const other = loadProgram(loadFlatBinary(Uint8Array.of(0xf4), { org: 0x100, bits: 16 }), { console: con, environment: 'dos', org: 0x100 });
      assert.equal(other.ok, false, 'org is bare only');
    });
  });
});
