// Shared helpers of the whole-program differential test: build a NASM program natively (nasm + ld),
// run it natively, and run ELF bytes or a Program in the emulator's linux environment. Node APIs are
// allowed here (test code). Imports the formats loader, the linux launcher and the console.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Program } from '../../src/asm/program';
import { loadBinary } from '../../src/asm/loadBinary';
import { BufferConsole } from '../../src/emu/console';
import { loadLinuxProgram } from '../../src/emu/env/loadLinux';

export const PROGRAM_DIR = path.join(__dirname, 'programs');

/** What a run printed and how it ended (exit status, or 128 + signal as a shell reports it). */
export interface RunOutcome {
  stdout: string;
  status: number;
  /** Fault description when the emulated run ended with a signal. */
  detail?: string;
}

export interface ProgramCase {
  name: string;
  bits: 32 | 64;
  source: string;
  stdin: Buffer;
  /** Hand-computed stdout and status (32-bit programs: this kernel cannot run them). */
  expected?: RunOutcome;
  /** Repository-relative paths the program may open (`; allow-file: PATH` lines). */
  allowFiles: string[];
}

/** The repository root: native runs use it as their working directory, so relative paths agree. */
export const REPO_ROOT = path.join(__dirname, '../..');

/** Every NN.asm in programs/ with its stdin and, when present, its expected output. */
export function listPrograms(): ProgramCase[] {
  return fs.readdirSync(PROGRAM_DIR).filter((f) => f.endsWith('.asm')).sort().map((f) => {
    const name = f.slice(0, -4);
    const source = fs.readFileSync(path.join(PROGRAM_DIR, f), 'utf8');
    const bits = /^bits 32/m.test(source) ? 32 : 64;
    const stdinPath = path.join(PROGRAM_DIR, name + '.stdin');
    const expectedPath = path.join(PROGRAM_DIR, name + '.expected');
    const status = /^; expected exit status: (\d+)/m.exec(source);
    const allowFiles = [...source.matchAll(/^; allow-file: (\S+)/gm)].map((m) => m[1]);
    const c: ProgramCase = { name, bits, source, stdin: fs.existsSync(stdinPath) ? fs.readFileSync(stdinPath) : Buffer.alloc(0), allowFiles };
    if (fs.existsSync(expectedPath) && status) c.expected = { stdout: fs.readFileSync(expectedPath, 'utf8'), status: Number(status[1]) };
    return c;
  });
}

export function toolsAvailable(): boolean {
  return spawnSync('nasm', ['-v']).status === 0 && spawnSync('ld', ['--version']).status === 0;
}

let workDir: string | null = null;
function tmp(): string {
  workDir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'x86dbg-programs-'));
  return workDir;
}

const built = new Map<string, string>();

/** nasm -f elfNN + ld (once per program): returns the executable's path or throws with the tools' messages. */
export function buildNative(c: ProgramCase): string {
  const done = built.get(c.name);
  if (done !== undefined) return done;
  const obj = path.join(tmp(), c.name + '.o');
  const exe = path.join(tmp(), c.name);
  const nasm = spawnSync('nasm', ['-f', c.bits === 64 ? 'elf64' : 'elf32', '-I', PROGRAM_DIR + '/', '-o', obj, path.join(PROGRAM_DIR, c.name + '.asm')], { encoding: 'utf8' });
  if (nasm.status !== 0) throw new Error(`nasm failed on ${c.name}: ${nasm.stderr}`);
  const ld = spawnSync('ld', [...(c.bits === 32 ? ['-m', 'elf_i386'] : []), '-o', exe, obj], { encoding: 'utf8' });
  if (ld.status !== 0) throw new Error(`ld failed on ${c.name}: ${ld.stderr}`);
  built.set(c.name, exe);
  return exe;
}

let native32: boolean | null = null;

/**
 * Whether this kernel runs 32-bit code: a probe (exit status 42 through int 0x80). An ELF the kernel
 * refuses with ENOEXEC is handed to /bin/sh by execvp, so the status alone cannot tell.
 */
export function native32Available(): boolean {
  if (native32 === null) {
    const src = path.join(tmp(), 'probe32.asm');
    fs.writeFileSync(src, 'bits 32\nglobal _start\n_start: mov eax, 1\n mov ebx, 42\n int 0x80\n');
    const obj = src.replace(/asm$/, 'o');
    const exe = src.replace(/\.asm$/, '');
    const ok = spawnSync('nasm', ['-f', 'elf32', '-o', obj, src]).status === 0 && spawnSync('ld', ['-m', 'elf_i386', '-o', exe, obj]).status === 0;
    native32 = ok && spawnSync(exe, []).status === 42;
  }
  return native32;
}

/** Run natively; null when this kernel cannot execute 32-bit code (checked with a probe). */
export function runNative(exe: string, stdin: Buffer, bits: 32 | 64): RunOutcome | null {
  if (bits === 32 && !native32Available()) return null;
  const r = spawnSync(exe, [], { input: stdin, timeout: 20000, cwd: REPO_ROOT });
  if (r.error) throw r.error;
  const status = r.status ?? 128 + (r.signal ? os.constants.signals[r.signal] : 0);
  return { stdout: r.stdout.toString('latin1'), status };
}

/** Run a Program in the emulator's linux environment. */
export function runEmulated(program: Program, bits: 32 | 64, stdin: Buffer, allowFiles: readonly string[] = [], budget = 200_000_000): RunOutcome {
  const con = new BufferConsole(new Uint8Array(stdin));
  const files = new Map(allowFiles.map((f) => [f, new Uint8Array(fs.readFileSync(path.join(REPO_ROOT, f)))]));
  const l = loadLinuxProgram(program, bits, { console: con, files });
  if (!l.ok) return { stdout: '', status: -1, detail: l.message };
  const exit = l.machine.run(budget);
  const stdout = Buffer.from(con.stdout).toString('latin1');
  switch (exit.reason) {
    case 'exited': return { stdout, status: exit.code };
    case 'fault': return { stdout, status: exit.signal !== undefined ? 128 + exit.signal : -1, detail: exit.message };
    default: return { stdout, status: -1, detail: `run ended with ${exit.reason}` };
  }
}

/** Load an executable's bytes with the formats loader and run them emulated. */
export function runElfEmulated(exe: string, bits: 32 | 64, stdin: Buffer, allowFiles: readonly string[] = []): RunOutcome {
  const r = loadBinary(new Uint8Array(fs.readFileSync(exe)), exe);
  if (!r.ok) return { stdout: '', status: -1, detail: r.message };
  return runEmulated(r.program, bits, stdin, allowFiles);
}

/** How to start the x86dbg command: the built bundle (npm test builds first), else the sources through tsx. */
export function cliCommand(): string[] {
  const bundle = path.join(__dirname, '../../dist/cli.js');
  if (fs.existsSync(bundle)) return [process.execPath, bundle];
  return [process.execPath, require.resolve('tsx/cli'), path.join(__dirname, '../../src/cli/main.ts')];
}

/** Run `x86dbg ARGS...` with `stdin`; returns status, stdout and stderr. */
export function runCli(args: readonly string[], stdin: Buffer | string = ''): { status: number; stdout: string; stderr: string } {
  const [exe, ...pre] = cliCommand();
  const r = spawnSync(exe, [...pre, ...args], { input: stdin, timeout: 60000, cwd: REPO_ROOT });
  if (r.error) throw r.error;
  return { status: r.status ?? -1, stdout: r.stdout.toString('latin1'), stderr: r.stderr.toString('utf8') };
}
