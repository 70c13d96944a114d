// Issue 5's list of implicit data accesses, each checked against a debugger-layer slot placed on the
// bytes the instruction touches (SDM Vol. 2 operation of each instruction): the slot must fire after
// the instruction (trap, pc = next instruction or the transfer target). Complements cases 56/58.
import { strict as assert } from 'assert';
import { encodeSlot, type SlotKind, type SlotLength } from '../../src/emu/debug/registers';
import { debugExit, hostSlots, rig, type Mode } from './harness';

interface Row {
  name: string;
  mode: Mode;
  /** Code; the instruction under test is labelled A, the expected stop B. */
  code: string;
  slot: [SlotKind, SlotLength, number];
  memory?: [number, number[]];
}

const rows: Row[] = [
  { name: 'ENTER pushes RBP', mode: 'long64', code: 'mov rsp, 0x7ff010\nA: enter 16, 0\nB: hlt', slot: ['write', 8, 0x7ff008] },
  { name: 'LEAVE reads the saved RBP', mode: 'long64', code: 'mov rbp, 0x7ff000\nA: leave\nB: hlt', slot: ['readwrite', 8, 0x7ff000] },
  { name: 'PUSHAD writes eight dwords', mode: 'protected32', code: 'mov esp, 0x7ff020\nA: pushad\nB: hlt', slot: ['write', 4, 0x7ff004] },
  { name: 'POPAD reads eight dwords', mode: 'protected32', code: 'mov esp, 0x7ff000\nA: popad\nB: hlt', slot: ['readwrite', 4, 0x7ff01c] },
  { name: 'XLAT reads [RBX + AL]', mode: 'long64', code: 'mov ebx, 0x601000\nmov al, 5\nA: xlatb\nB: hlt', slot: ['readwrite', 1, 0x601005] },
  { name: 'CMPXCHG that fails still writes back', mode: 'long64', code: 'mov eax, 1\nmov ecx, 2\nA: cmpxchg [0x601000], ecx\nB: hlt', slot: ['write', 4, 0x601000], memory: [0x601000, [7, 0, 0, 0]] },
  { name: 'XADD writes its destination', mode: 'long64', code: 'mov eax, 1\nA: xadd [0x601008], rax\nB: hlt', slot: ['write', 8, 0x601008] },
  { name: 'LODSB reads [RSI]', mode: 'long64', code: 'mov esi, 0x601010\nA: lodsb\nB: hlt', slot: ['readwrite', 1, 0x601010] },
  { name: 'STOSD writes [RDI]', mode: 'long64', code: 'mov edi, 0x601010\nA: stosd\nB: hlt', slot: ['write', 2, 0x601012] },
  { name: 'MOVSQ reads [RSI] and writes [RDI]', mode: 'long64', code: 'mov esi, 0x601000\nmov edi, 0x601100\nA: movsq\nB: hlt', slot: ['write', 8, 0x601100] },
  { name: 'CMPSB reads both operands', mode: 'long64', code: 'mov esi, 0x601000\nmov edi, 0x601100\nA: cmpsb\nB: hlt', slot: ['readwrite', 1, 0x601100] },
  { name: 'SCASW reads [RDI]', mode: 'long64', code: 'mov edi, 0x601020\nA: scasw\nB: hlt', slot: ['readwrite', 2, 0x601020] },
  { name: 'LES reads the far pointer (selector half)', mode: 'real', code: 'A: les ax, [0x6000]\nB: hlt', slot: ['readwrite', 2, 0x6002] },
  { name: 'far CALL pushes CS and IP', mode: 'real', code: 'mov sp, 0x9000\nA: call 0:B\nnop\nB: hlt', slot: ['write', 2, 0x8ffe] },
  { name: 'far RET pops CS and IP', mode: 'real', code: 'mov sp, 0x8ffc\nmov word [0x8ffc], B\nmov word [0x8ffe], 0\nA: retf\nnop\nB: hlt', slot: ['readwrite', 2, 0x8ffe] },
  { name: 'INT n writes the interrupt frame', mode: 'real', code: 'mov word [0x30*4], B\nmov word [0x30*4+2], 0\nmov sp, 0x9000\nA: int 0x30\nnop\nB: hlt', slot: ['write', 2, 0x8ffe] },
  { name: 'IRET reads the frame', mode: 'real', code: 'mov sp, 0x8ffa\nmov word [0x8ffa], B\nmov word [0x8ffc], 0\nmov word [0x8ffe], 2\nA: iret\nnop\nB: hlt', slot: ['readwrite', 2, 0x8ffe] },
];

describe('DR conformance: implicit data accesses (issue 5 list)', () => {
  for (const row of rows) {
    it(row.name, () => {
      const r = rig(row.code, { mode: row.mode });
      if (row.memory) r.m.writeMemory(row.memory[0], Uint8Array.from(row.memory[1]));
      const [kind, length, address] = row.slot;
      // Arm only once the setup code has run, so its own stores do not fire the slot.
      let guard = 0;
      while (r.m.pc() !== r.labels.A && guard++ < 100) r.m.step();
      const dr7 = encodeSlot(0, 0, kind, length);
      hostSlots(r.m, dr7, [address]);
      assert.deepEqual(debugExit(r.run()), { dr6: 0xffff0ff1, pc: r.labels.B, dr7 });
    });
  }
});
