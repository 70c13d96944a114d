// The linux environment: a user-mode (CPL 3) process running a static image, with the 64-bit
// `syscall` ABI and the 32-bit `int 0x80` ABI, a stack with argc/argv/envp/auxv, a brk heap, anonymous
// mmap, console stdio, virtual time, and faults ending the run like the matching signal.
// Imports the Machine and environment interface, the console type and the linux* helpers.
import type { Machine } from '../machine';
import { CONTINUE, DELIVER, type EnvResult, type Environment, type GuestException, type PortReadResult } from '../environment';
import type { GuestConsole } from '../console';
import type { Exit } from '../exit';
import { type Abi, ENOSYS, SYSCALLS_32, SYSCALLS_64, setResult, syscallNumber } from './linuxAbi';
import { SYSCALL_HANDLERS, type ProcessIdentity, type SyscallContext } from './linuxSyscalls';
import { LinuxAddressSpace, type LinuxLayout } from './linuxMemory';
import { FileTable } from './linuxFiles';
import { VirtualClock } from './virtualClock';
import { SIGNAL_NAMES, SIGSEGV, signalForException } from './signals';
import { DeterministicRandom } from './deterministicRandom';

/** How a linux guest is set up (the loader fills in the layout and image end). */
export interface LinuxOptions {
  console: GuestConsole;
  layout: LinuxLayout;
  /** First address after the loaded image (the heap starts on the next page). */
  imageEnd: number;
  /** Files the guest may open read-only, by the path it passes to open(2). Default: none. */
  files?: ReadonlyMap<string, Uint8Array>;
  identity?: Partial<ProcessIdentity>;
  /** Seed of getrandom / AT_RANDOM. */
  randomSeed?: number;
  /** One-line messages about the run (an unknown system call): default the console's stderr. */
  notice?: (message: string) => void;
}

const WAIT_INPUT: EnvResult = Object.freeze({ kind: 'stop', exit: Object.freeze({ reason: 'input' }) as Exit, retry: true });

export class LinuxEnvironment implements Environment {
  readonly space: LinuxAddressSpace;
  readonly files: FileTable;
  readonly clock: VirtualClock;
  readonly identity: ProcessIdentity;
  readonly random: DeterministicRandom;
  private readonly reported = new Set<string>();
  private readonly notice: (message: string) => void;
  private context: SyscallContext | null = null;

  constructor(private readonly m: Machine, readonly options: LinuxOptions) {
    this.space = new LinuxAddressSpace(m, options.layout, options.imageEnd);
    this.files = new FileTable(options.files);
    this.clock = new VirtualClock(() => m.icount);
    this.identity = { pid: 1000, ppid: 999, uid: 1000, gid: 1000, nodename: 'x86dbg', ...options.identity };
    this.random = new DeterministicRandom(options.randomSeed ?? 0x5eed);
    this.notice = options.notice ?? ((msg) => options.console.write('stderr', new TextEncoder().encode(`x86dbg: ${msg}\n`)));
  }

  softwareInterrupt(m: Machine, vector: number, kind: 'int' | 'int3' | 'into' | 'int1'): EnvResult {
    if (kind === 'int' && vector === 0x80) return this.dispatch(m, 32);
    return DELIVER;
  }

  systemCall(m: Machine, kind: 'syscall' | 'sysenter'): EnvResult {
    if (kind === 'syscall' && m.mode64) {
      const r = this.dispatch(m, 64);
      if (r === CONTINUE) {
        // The kernel returns with SYSRET: RCX = return RIP, R11 = RFLAGS (SDM Vol. 2 SYSCALL).
        m.set64(1, m.rip | 0, Math.floor(m.rip / 4294967296) | 0);
        m.set64(11, m.getRflags() & ~0x10000, 0);
      }
      return r;
    }
    return DELIVER;
  }

  portIn(m: Machine, port: number): PortReadResult {
    return this.stopWith(this.signalExit(m, SIGSEGV, 13, 0, `IN from port 0x${port.toString(16)} in user mode`));
  }

  portOut(m: Machine, port: number): EnvResult {
    return this.stopWith(this.signalExit(m, SIGSEGV, 13, 0, `OUT to port 0x${port.toString(16)} in user mode`));
  }

  halt(m: Machine): EnvResult {
    return this.stopWith(this.signalExit(m, SIGSEGV, 13, 0, 'HLT in user mode'));
  }

  exception(m: Machine, e: GuestException): EnvResult {
    const signal = signalForException(e.vector);
    const exit: Exit = { reason: 'fault', vector: e.vector, pc: e.pc, message: '', signal };
    if (e.errorCode !== undefined) exit.errorCode = e.errorCode;
    if (e.address !== undefined) exit.address = e.address;
    const where = e.address !== undefined ? ` (address 0x${e.address.toString(16)})` : '';
    exit.message = `${SIGNAL_NAMES[signal] ?? 'signal ' + signal}: ${e.message}${where} at pc 0x${e.pc.toString(16)}`;
    return { kind: 'stop', exit };
  }

  private stopWith(exit: Exit): { readonly kind: 'stop'; readonly exit: Exit } {
    return { kind: 'stop', exit };
  }

  private signalExit(m: Machine, signal: number, vector: number, errorCode: number, what: string): Exit {
    const pc = m.codeLinear(m.insnStart);
    return { reason: 'fault', vector, errorCode, pc, signal, message: `${SIGNAL_NAMES[signal]}: ${what} at pc 0x${pc.toString(16)}` };
  }

  private ctx(m: Machine, abi: Abi): SyscallContext {
    if (this.context === null) {
      this.context = { m, abi, console: this.options.console, space: this.space, files: this.files, clock: this.clock, identity: this.identity, random: (n) => this.random.bytes(n) };
    }
    this.context.abi = abi;
    return this.context;
  }

  private dispatch(m: Machine, abi: Abi): EnvResult {
    const nr = syscallNumber(m, abi);
    const name = (abi === 64 ? SYSCALLS_64 : SYSCALLS_32).get(nr);
    if (name === undefined) {
      const key = `${abi}:${nr}`;
      if (!this.reported.has(key)) {
        this.reported.add(key);
        this.notice(`unsupported ${abi === 64 ? 'x86-64' : 'i386'} system call ${nr} returns -ENOSYS`);
      }
      setResult(m, abi, -ENOSYS);
      return CONTINUE;
    }
    const out = SYSCALL_HANDLERS[name](this.ctx(m, abi));
    if (out.kind === 'wait') return WAIT_INPUT;
    if (out.kind === 'exit') return { kind: 'stop', exit: { reason: 'exited', code: out.code } };
    setResult(m, abi, out.value);
    return CONTINUE;
  }
}
