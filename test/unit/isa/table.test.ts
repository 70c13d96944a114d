// The table as data: every row parses, codes are unique, every ExecName has a row, the issue's
// instruction list is covered, and the exported mnemonic/register lists are complete and consistent.
import { strict as assert } from 'assert';
import { execNames } from '../../../src/isa/execNames';
import { FlagBit, ModeBit } from '../../../src/isa/form';
import { parseReg, registerNames } from '../../../src/isa/registers';
import { table } from '../../../src/isa/table';
import { describeMnemonic, forms, formsForMnemonic, mnemonicAliases, mnemonics, prefixMnemonics } from '../../../src/isa/tableIndex';

describe('isa table', () => {
  it('parses every row into a form, with unique codes', () => {
    assert.equal(forms.length, table.length);
    assert.equal(new Set(table.map((r) => r.code)).size, table.length);
    forms.forEach((f, i) => assert.equal(f.index, i));
  });

  it('binds every ExecName to at least one row (the emulator registry is keyed by them)', () => {
    const used = new Set(forms.map((f) => f.exec));
    assert.deepEqual(execNames.filter((e) => !used.has(e)), []);
  });

  it('covers every instruction the issue lists', () => {
    const required = [
      'mov', 'lgdt', 'lidt', 'sgdt', 'sidt', 'lldt', 'ltr', 'sldt', 'str', 'lmsw', 'smsw', 'clts', 'invlpg', 'lar', 'lsl', 'verr', 'verw',
      'arpl', 'iret', 'iretd', 'iretq', 'int', 'int3', 'into', 'int1', 'hlt', 'cli', 'sti', 'in', 'out', 'insb', 'insw', 'insd', 'outsb',
      'outsw', 'outsd', 'cpuid', 'rdtsc', 'rdmsr', 'wrmsr', 'syscall', 'sysret', 'sysenter', 'sysexit', 'swapgs', 'call', 'jmp', 'retf',
      'ret', 'lds', 'les', 'lfs', 'lgs', 'lss', 'enter', 'leave', 'pusha', 'popa', 'pushf', 'popf', 'lahf', 'sahf', 'daa', 'das', 'aaa',
      'aas', 'aam', 'aad', 'bt', 'bts', 'btr', 'btc', 'bsf', 'bsr', 'lzcnt', 'tzcnt', 'popcnt', 'bswap', 'xadd', 'cmpxchg', 'cmpxchg8b',
      'cmpxchg16b', 'movsx', 'movzx', 'movsxd', 'sete', 'cmovne', 'jz', 'loop', 'loope', 'loopne', 'jcxz', 'jecxz', 'jrcxz', 'movsb',
      'movsw', 'movsd', 'movsq', 'cmpsb', 'scasb', 'stosq', 'lodsd', 'xlatb', 'cbw', 'cwde', 'cdqe', 'cwd', 'cdq', 'cqo', 'add', 'adc',
      'sub', 'sbb', 'and', 'or', 'xor', 'cmp', 'test', 'inc', 'dec', 'neg', 'not', 'mul', 'imul', 'div', 'idiv', 'shl', 'sal', 'shr',
      'sar', 'rol', 'ror', 'rcl', 'rcr', 'shld', 'shrd', 'push', 'pop', 'xchg', 'lea', 'nop', 'clc', 'stc', 'cmc', 'cld', 'std',
    ];
    assert.deepEqual(required.filter((m) => formsForMnemonic(m).length === 0), []);
    const movCr = forms.filter((f) => f.exec === 'movToCr' || f.exec === 'movFromCr' || f.exec === 'movToDr' || f.exec === 'movFromDr');
    assert.equal(movCr.length, 8);
    assert.ok(movCr.every((f) => f.cpl0));
  });

  it('records modes, LOCK legality and flags as the SDM says for sample rows', () => {
    const byCode = (c: string) => forms.find((f) => f.code === c)!;
    assert.equal(byCode('Aaa').modes, ModeBit.M16 | ModeBit.M32);
    assert.equal(byCode('Add_rm64_r64').modes, ModeBit.M64);
    assert.equal(byCode('Swapgs').modes, ModeBit.M64);
    assert.ok(byCode('Add_rm32_r32').lockable);
    assert.ok(!byCode('Cmp_rm32_r32').lockable);
    assert.ok(!byCode('Mov_rm32_r32').lockable);
    assert.equal(byCode('Adc_rm32_r32').flagsRead, FlagBit.CF);
    assert.equal(byCode('And_rm32_r32').flagsUndefined, FlagBit.AF);
    assert.ok(byCode('Push_r64').default64);
    assert.ok(byCode('Jmp_rel32').force64);
    assert.equal(byCode('Cmpsb').rep, 'repe');
    assert.equal(byCode('Movsb').rep, 'rep');
  });

  it('exports mnemonics with NASM aliases, prefixes, registers and hover text', () => {
    for (const m of ['jz', 'je', 'cmovnae', 'setpo', 'sal', 'xlat', 'jrcxz', 'movsxd', 'loopz', 'loopnz']) assert.ok(mnemonics.includes(m), m);
    assert.equal(mnemonicAliases.get('jz'), 'je');
    assert.equal(mnemonicAliases.get('cmovnae'), 'cmovb');
    assert.ok(prefixMnemonics.includes('lock') && prefixMnemonics.includes('repne'));
    for (const r of ['al', 'spl', 'r15b', 'ah', 'r8w', 'r9d', 'rax', 'cs', 'cr8', 'dr7', 'rip']) assert.ok(registerNames.includes(r), r);
    assert.equal(parseReg('R12D'), parseReg('r12d'));
    const hover = describeMnemonic('jz');
    assert.ok(hover.some((h) => h.ins === 'JE rel8' && h.flags === 'r:z'));
    assert.ok(describeMnemonic('add').some((h) => h.ins === 'ADD r/m32, r32' && h.op === '01 /r' && h.flags === 'w:oszapc'));
  });
});
