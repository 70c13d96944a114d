// Segment limit checks cover every byte of string-instruction and XLAT accesses (SDM Vol. 3 §5.3):
// a LODSD/STOSD/MOVSD whose last byte passes the limit is #GP(0) before anything changes, one that
// ends exactly at the limit runs; XLAT's byte at DS:[(E)BX + AL] is checked.
import { strict as assert } from 'assert';
import type { Machine } from '../../../src/emu/machine';
import { BareEnvironment, type EnvResult, type Environment, type GuestException } from '../../../src/emu/environment';
import type { Exit } from '../../../src/emu/exit';
import { load } from './helpers';

const ES = 0;
const DS = 3;
const DATA_RW = 0x80 | 0x10 | 0x4000 | 0x3;

class StopOnException extends BareEnvironment implements Environment {
  override exception(_m: Machine, e: GuestException): EnvResult {
    return { kind: 'stop', exit: { reason: 'fault', vector: e.vector, errorCode: e.errorCode, pc: e.pc, message: e.message } };
  }
}

function run(src: string, setup: (m: Machine) => void): { m: Machine; exit: Exit } {
  const m = load(32, src + '\nhlt', { env: new StopOnException(), setup });
  return { m, exit: m.run(100) };
}

function limited(m: Machine, s: number, limit: number): void {
  m.setSegment(s, { selector: 0x10, base: 0, limit, attributes: DATA_RW });
  m.segmentLoaded(s);
}

describe('emu segment limit checks: string instructions and XLAT', () => {
  it('LODSD reading past DS limit is #GP(0) with ESI unchanged; ending at the limit runs', () => {
    let r = run('mov esi, 0xffd\nlodsd', (m) => limited(m, DS, 0xfff));
    assert.equal(r.exit.reason, 'fault');
    if (r.exit.reason === 'fault') assert.deepEqual([r.exit.vector, r.exit.errorCode], [13, 0]);
    assert.equal(r.m.regs[6], 0xffd);
    r = run('mov esi, 0xffc\nlodsd', (m) => limited(m, DS, 0xfff));
    assert.deepEqual(r.exit, { reason: 'halted' });
  });
  it('STOSD writing past ES limit is #GP(0); MOVSD checks its destination too', () => {
    let r = run('mov edi, 0xffe\nstosd', (m) => limited(m, ES, 0xfff));
    assert.equal(r.exit.reason, 'fault');
    r = run('xor esi, esi\nmov edi, 0xffd\nmovsd', (m) => limited(m, ES, 0xfff));
    assert.equal(r.exit.reason, 'fault');
    assert.equal(r.m.regs[7], 0xffd);
  });
  it('XLAT checks DS:[EBX + AL]', () => {
    const r = run('mov ebx, 0xf00\nmov al, 0xff\nxlatb', (m) => limited(m, DS, 0xffe));
    assert.equal(r.exit.reason, 'fault');
  });
});
