// Test helpers for the differential tests that build native programs: temporary directories under
// os.tmpdir(), running a tool synchronously, and probing what this machine can build and execute
// (32-bit executables cannot run on every x86-64 kernel). Node-only; used by tests, never by src.
import { spawnSync } from 'child_process';
import { mkdtempSync, rmSync, writeFileSync, chmodSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

/** The outcome of running a command to completion. */
export interface RunOutcome {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: string;
  /** Set when the process could not be started at all (ENOENT, ENOEXEC, ...). */
  spawnError?: string;
}

/** Runs a command synchronously (no shell), capturing output. */
export function runTool(command: string, args: string[], options: { cwd?: string; input?: Buffer | string; timeoutMs?: number } = {}): RunOutcome {
  const r = spawnSync(command, args, { cwd: options.cwd, input: options.input, timeout: options.timeoutMs ?? 60000, maxBuffer: 256 * 1024 * 1024 });
  return {
    status: r.status,
    signal: r.signal,
    stdout: r.stdout ?? Buffer.alloc(0),
    stderr: r.stderr ? r.stderr.toString() : '',
    ...(r.error ? { spawnError: (r.error as NodeJS.ErrnoException).code ?? r.error.message } : {}),
  };
}

/** Runs a build step and throws with its stderr if it fails (a broken toolchain is a test failure). */
export function mustRun(command: string, args: string[], cwd?: string): Buffer {
  const r = runTool(command, args, { cwd });
  if (r.spawnError || r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${r.spawnError ?? ''} ${r.stderr}`);
  return r.stdout;
}

/** true when `command` can be started (e.g. nasm, gcc, objdump). */
export function hasTool(command: string): boolean {
  const r = runTool(command, ['--version']);
  return !r.spawnError;
}

/** A fresh temporary directory and a function that removes it. */
export function makeTempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `x86dbg-${prefix}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

let exec32: boolean | undefined;

/**
 * Whether this kernel runs 32-bit x86 executables: builds the smallest static ELF32 with nasm + ld
 * and runs it. (Some VMs disable IA-32 compatibility mode: exec then fails with ENOEXEC.)
 */
export function canRun32BitExecutables(): boolean {
  if (exec32 !== undefined) return exec32;
  const { dir, cleanup } = makeTempDir('probe32');
  try {
    writeFileSync(join(dir, 'p.asm'), 'bits 32\nglobal _start\n_start: mov eax, 1\nmov ebx, 7\nint 0x80\n');
    mustRun('nasm', ['-f', 'elf32', 'p.asm', '-o', 'p.o'], dir);
    mustRun('ld', ['-m', 'elf_i386', 'p.o', '-o', 'p'], dir);
    chmodSync(join(dir, 'p'), 0o755);
    const r = runTool(join(dir, 'p'), []);
    exec32 = !r.spawnError && r.status === 7;
  } catch {
    exec32 = false;
  } finally {
    cleanup();
  }
  return exec32;
}
