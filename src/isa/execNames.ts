// The semantic operations the emulator binds table rows to. `ExecName` is the key type of the
// emulator's `Record<ExecName, Handler>`, so a row whose operation has no handler fails to compile.
// Size, condition code and operand shape come from the decoded Instruction, not from the name.
// Imports nothing.

/** Every semantic operation, grouped as the emulator's ops/ files are. */
export const execNames = [
  // Data movement
  'mov', 'movsx', 'movzx', 'movsxd', 'movbe', 'movToSeg', 'movFromSeg', 'movToCr', 'movFromCr', 'movToDr', 'movFromDr',
  'xchg', 'xadd', 'cmpxchg', 'cmpxchg8b', 'cmpxchg16b', 'bswap', 'lea', 'cmov', 'setcc', 'xlat',
  'cbw', // CBW / CWDE / CDQE by operand size
  'cwd', // CWD / CDQ / CQO by operand size
  'lds', 'les', 'lfs', 'lgs', 'lss',
  // Stack
  'push', 'pop', 'pushSeg', 'popSeg', 'pusha', 'popa', 'pushf', 'popf', 'enter', 'leave',
  // Arithmetic and logic
  'add', 'adc', 'sub', 'sbb', 'cmp', 'and', 'or', 'xor', 'test', 'inc', 'dec', 'neg', 'not',
  'mul', 'imul1', 'imul2', 'imul3', 'div', 'idiv',
  'daa', 'das', 'aaa', 'aas', 'aam', 'aad',
  // Shifts and rotates
  'rol', 'ror', 'rcl', 'rcr', 'shl', 'shr', 'sar', 'shld', 'shrd',
  // Bit operations
  'bt', 'bts', 'btr', 'btc', 'bsf', 'bsr', 'lzcnt', 'tzcnt', 'popcnt', 'crc32', 'adcx', 'adox', 'rdrand', 'rdseed',
  // BMI1 / BMI2 (VEX-encoded general-purpose forms)
  'andn', 'bextr', 'blsi', 'blsmsk', 'blsr', 'bzhi', 'mulx', 'pdep', 'pext', 'rorx', 'sarx', 'shlx', 'shrx',
  // Control transfer
  'jmpRel', 'jmpIndirect', 'jmpFar', 'jmpFarIndirect',
  'callRel', 'callIndirect', 'callFar', 'callFarIndirect',
  'ret', 'retFar', 'jcc',
  'jcxz', // JCXZ / JECXZ / JRCXZ by address size
  'loop', 'loope', 'loopne',
  'int', 'int3', 'into', 'int1', 'iret', 'bound',
  // String instructions (REP/REPE/REPNE in Instruction.prefixes)
  'movs', 'cmps', 'stos', 'lods', 'scas', 'ins', 'outs',
  // Flags
  'clc', 'stc', 'cmc', 'cld', 'std', 'cli', 'sti', 'lahf', 'sahf',
  // I/O
  'in', 'out',
  // System
  'hlt', 'nop', 'pause', 'ud', 'cpuid', 'rdtsc', 'rdtscp', 'rdpid', 'rdpmc', 'rdmsr', 'wrmsr',
  'xgetbv', 'monitor', 'mwait',
  'syscall', 'sysret', 'sysenter', 'sysexit', 'swapgs',
  'lgdt', 'lidt', 'sgdt', 'sidt', 'lldt', 'ltr', 'sldt', 'str', 'lmsw', 'smsw', 'clts', 'invlpg',
  'lar', 'lsl', 'verr', 'verw', 'arpl', 'invd', 'wbinvd', 'wait', 'fence', 'clflush', 'prefetch',
  // Recognised x87 / MMX / SSE / AVX / other forms: decoded for their length, never executed.
  'unsupported',
] as const;

/** A semantic operation name. */
export type ExecName = (typeof execNames)[number];
