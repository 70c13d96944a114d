// The editor's view of the instruction table: mnemonic hover data comes from src/isa (forms with SDM
// opcodes, flags per the SDM's "Flags Affected" as the table records them), aliases resolve.
import { strict as assert } from 'assert';
import { describeFlags, isMnemonic, mnemonicInfo } from '../../../src/vscode/language/instructionCatalog';

describe('instruction catalog (hover data from src/isa)', () => {
  it('lists the forms of ADD with their opcodes and the flags they write', () => {
    const add = mnemonicInfo('add');
    assert.ok(add);
    assert.ok(add.forms.some((f) => f.ins === 'ADD r/m32, r32' && f.op === '01 /r'));
    assert.ok(add.forms.some((f) => /^83 \/0 ib$/.test(f.op)), 'the sign-extended imm8 form');
    assert.equal(describeFlags(add.flags[0]), 'writes OF SF ZF AF PF CF');
  });

  it('resolves condition-code aliases to their canonical mnemonic', () => {
    const jz = mnemonicInfo('jz');
    assert.ok(jz);
    assert.equal(jz.aliasOf, 'je');
    assert.equal(describeFlags(jz.flags[0]), 'reads ZF');
    assert.equal(isMnemonic('loopz'), true);
  });

  it('marks privileged and mode-restricted forms and rejects non-mnemonics', () => {
    const lgdt = mnemonicInfo('lgdt');
    assert.ok(lgdt && lgdt.forms.every((f) => f.cpl0));
    const aaa = mnemonicInfo('aaa');
    assert.ok(aaa && aaa.forms.every((f) => f.modes === '16/32'), 'AAA is invalid in 64-bit mode');
    assert.equal(mnemonicInfo('counter'), undefined);
    assert.equal(isMnemonic('eax'), false);
  });

  it('describes read, write and undefined flag groups', () => {
    assert.equal(describeFlags('r:c w:oszapc'), 'reads CF; writes OF SF ZF AF PF CF');
    assert.equal(describeFlags('w:oszpc u:a'), 'writes OF SF ZF PF CF; leaves undefined AF');
  });
});
