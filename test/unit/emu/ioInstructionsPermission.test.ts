// IN/OUT/INS/OUTS at CPL 3 consult the TSS I/O permission bitmap (SDM Vol. 1 §19.5): a port whose
// bits are clear reaches the environment, a denied one raises #GP(0) before any port access, and
// CPL <= IOPL needs no bitmap. Machines are built directly; the environment records port traffic.
import { strict as assert } from 'assert';
import { Machine } from '../../../src/emu/machine';
import { BareEnvironment, CONTINUE, type EnvResult } from '../../../src/emu/environment';

class RecordingEnvironment extends BareEnvironment {
  readonly writes: [number, number][] = [];
  override portOut(_m: Machine, port: number, _size: number, value: number): EnvResult {
    this.writes.push([port, value]);
    return CONTINUE;
  }
}

/** CPL 3, IOPL 0, a 32-bit TSS at 0x3000 whose bitmap allows only ports 0x60-0x67 except 0x62; `code` at 0x1000. */
function machine(code: number[]): { m: Machine; env: RecordingEnvironment } {
  const env = new RecordingEnvironment();
  const m = new Machine({ env });
  m.start('protected32', 3);
  m.map(0, 0x10000, 7);
  m.gdtrBase = 0x2000;
  m.gdtrLimit = 0x2f;
  m.writeMemory(0x2000 + 0x28, new Uint8Array([0x68 + 0x2000 & 0xff, (0x68 + 0x2000) >> 8, 0x00, 0x30, 0x00, 0x8b, 0, 0]));
  m.writeMemory(0x3000 + 0x66, new Uint8Array([0x68, 0x00]));
  const bitmap = new Uint8Array(0x2001).fill(0xff);
  bitmap[0x60 >> 3] = 0x04;
  m.writeMemory(0x3000 + 0x68, bitmap);
  m.trSel = 0x28;
  m.writeMemory(0x1000, new Uint8Array(code));
  m.setRip(0x1000);
  m.set32(4, 0x8000);
  return { m, env };
}

describe('I/O instructions and the TSS permission bitmap', () => {
  it('OUT to a permitted port reaches the environment', () => {
    const { m, env } = machine([0xb0, 0x5a, 0xe6, 0x61]); // mov al, 5Ah; out 61h, al
    assert.equal(m.run(2).reason, 'budget');
    assert.deepEqual(env.writes, [[0x61, 0x5a]]);
  });
  it('OUT to a denied port is #GP(0) before any port access', () => {
    const { m, env } = machine([0xb0, 0x5a, 0xe6, 0x62]); // out 62h, al
    const exit = m.run(2);
    assert.equal(exit.reason, 'fault');
    if (exit.reason === 'fault') { assert.equal(exit.vector, 13); assert.equal(exit.errorCode, 0); assert.equal(exit.pc, 0x1002); }
    assert.deepEqual(env.writes, []);
  });
  it('a word OUT through DX is checked on both ports', () => {
    const { m, env } = machine([0x66, 0xba, 0x61, 0x00, 0x66, 0xef]); // mov dx, 61h; out dx, ax (61h and 62h)
    assert.equal(m.run(2).reason, 'fault');
    assert.deepEqual(env.writes, []);
  });
  it('OUTSB to a permitted port writes, with CPL <= IOPL any port works', () => {
    const { m, env } = machine([0x66, 0xba, 0x60, 0x00, 0xbe, 0x00, 0x50, 0x00, 0x00, 0x6e]); // mov dx,60h; mov esi,5000h; outsb
    m.writeMemory(0x5000, new Uint8Array([0x77]));
    assert.equal(m.run(3).reason, 'budget');
    assert.deepEqual(env.writes, [[0x60, 0x77]]);
    const open = machine([0xb0, 0x01, 0xe6, 0x70]);
    open.m.setRflags(open.m.getRflags() | 0x3000);
    assert.equal(open.m.run(2).reason, 'budget');
    assert.deepEqual(open.env.writes, [[0x70, 0x01]]);
  });
});
