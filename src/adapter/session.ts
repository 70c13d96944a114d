// The DAP session: one thin method per request, delegating to the runtime (running, stepping),
// the breakpoint store (DR0–DR3), variables.ts, evaluate.ts and disassembly.ts. Never imports 'vscode',
// so it runs inline in the extension and stand-alone (`x86dbg dap`). Node APIs allowed.
import * as fs from 'fs';
import * as path from 'path';
import { LoggingDebugSession, InitializedEvent, TerminatedEvent, ExitedEvent, OutputEvent, StoppedEvent, Event, BreakpointEvent, Thread, logger, Logger } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { DEBUG_REGISTERS_REQUEST, INPUT_REQUEST, type DebugRegistersBody, type InputArguments, type X86LaunchArguments, type X86StoppedEventBody } from './protocol';
import { BreakpointStore, type BreakpointRecord } from './breakpoints';
import { Runtime } from './runtime';
import type { StopReport } from './runtimeTypes';
import { ExceptionPolicy, exceptionFilters, exceptionMnemonic } from './exceptions';
import { VariableTree } from './variables';
import { consoleCommand, evaluateRequestText, completionItems } from './console';
import { disassembleRange, decoderFor } from './disassembly';
import { buildCallStack } from './callStack';
import { formatTimings, launchProgram, type Launched } from './launch';
import * as bp from './breakpointRequests';

const THREAD_ID = 1;

/** Parse "0x401000" / "401000h" / decimal memory references; undefined when malformed. */
export function parseAddress(ref: unknown): number | undefined {
  if (typeof ref !== 'string' && typeof ref !== 'number') return undefined;
  const s = String(ref).trim();
  const v = /^0x[0-9a-f]+$/i.test(s) ? parseInt(s, 16) : /^[0-9a-f]+h$/i.test(s) ? parseInt(s.slice(0, -1), 16) : /^[0-9]+$/.test(s) ? parseInt(s, 10) : NaN;
  return Number.isSafeInteger(v) && v >= 0 ? v : undefined;
}

export class X86DebugSession extends LoggingDebugSession {
  private launched: Launched | null = null;
  private launchArgs: X86LaunchArguments | null = null;
  private store: BreakpointStore | null = null;
  private variables: VariableTree | null = null;
  private readonly exceptions = new ExceptionPolicy();
  private configured = false;
  private ended = false;
  /** The last request of each breakpoint group, replayed on restart. */
  private readonly lastRequests = new Map<string, { command: string; args: unknown }>();

  constructor() {
    super();
    this.setDebuggerLinesStartAt1(true);
    this.setDebuggerColumnsStartAt1(true);
    // A malformed message must not end the session (the base class shuts down on 'error').
    this.removeAllListeners('error');
    this.on('error', (e: unknown) => {
      const body = (e as { body?: unknown } | null)?.body;
      const text = e instanceof Error ? e.message : typeof body === 'string' ? body : String(e);
      this.sendEvent(new OutputEvent(`x86dbg: ignored a malformed message (${text})\n`, 'console'));
    });
  }

  private get runtime(): Runtime | null {
    return this.launched?.runtime ?? null;
  }

  /** Run a handler; any throw or rejection becomes an error response (the session lives on). */
  private guard(response: DebugProtocol.Response, fn: () => void | Promise<void>): void {
    const fail = (e: unknown): void => this.sendErrorResponse(response, 1100, `x86dbg: ${e instanceof Error ? e.message : String(e)}`);
    try {
      const r = fn();
      if (r instanceof Promise) r.catch(fail);
    } catch (e) {
      fail(e);
    }
  }

  private fail(response: DebugProtocol.Response, message: string, id = 1000): void {
    this.sendErrorResponse(response, { id, format: message, showUser: false });
  }

  /** The live runtime in the stopped state, or an error response. */
  private stoppedRuntime(response: DebugProtocol.Response): Runtime | null {
    const rt = this.runtime;
    if (!rt || rt.state === 'ended') {
      this.fail(response, 'no program is running');
      return null;
    }
    if (rt.state !== 'stopped' && rt.state !== 'configuring') {
      this.fail(response, 'the program is running; pause it first');
      return null;
    }
    return rt;
  }

  protected override initializeRequest(response: DebugProtocol.InitializeResponse, _args: DebugProtocol.InitializeRequestArguments): void {
    response.body = {
      ...response.body,
      supportsConfigurationDoneRequest: true,
      supportsFunctionBreakpoints: true,
      supportsConditionalBreakpoints: true,
      supportsHitConditionalBreakpoints: true,
      supportsLogPoints: true,
      supportsDataBreakpoints: true,
      supportsDataBreakpointBytes: true,
      supportsInstructionBreakpoints: true,
      supportsBreakpointLocationsRequest: true,
      supportsEvaluateForHovers: true,
      supportsSetVariable: true,
      supportsCompletionsRequest: true,
      completionTriggerCharacters: ['-', '['],
      supportsGotoTargetsRequest: true,
      supportsRestartRequest: true,
      supportsTerminateRequest: true,
      supportsExceptionInfoRequest: true,
      supportsReadMemoryRequest: true,
      supportsWriteMemoryRequest: true,
      supportsDisassembleRequest: true,
      supportsSteppingGranularity: true,
      supportsValueFormattingOptions: true,
      supportsExceptionOptions: true,
      supportsExceptionFilterOptions: true,
      supportTerminateDebuggee: true,
      exceptionBreakpointFilters: exceptionFilters,
      breakpointModes: [
        { mode: 'hardware', label: 'Hardware (DR0–DR3)', description: 'Placed in a debug register slot, encoded in DR7', appliesTo: ['source', 'instruction', 'data'] },
        { mode: 'software', label: 'Software (emulator)', description: 'Kept by the emulator: unlimited, invisible to the guest, not in DR7', appliesTo: ['source', 'instruction'] },
      ],
    };
    this.sendResponse(response);
  }

  protected override launchRequest(response: DebugProtocol.LaunchResponse, args: DebugProtocol.LaunchRequestArguments): void {
    this.guard(response, () => {
      const a = (args ?? {}) as X86LaunchArguments;
      logger.setup(a.trace ? Logger.LogLevel.Verbose : Logger.LogLevel.Stop, false);
      this.launchArgs = a;
      const result = this.startProgram(a);
      if (!result.ok) {
        this.fail(response, result.message, 2001);
        this.sendEvent(new TerminatedEvent());
        return;
      }
      this.sendResponse(response);
      this.sendEvent(new InitializedEvent());
    });
  }

  /** Load, assemble and create the machine; the runtime waits for configurationDone. */
  private startProgram(a: X86LaunchArguments): { ok: true } | { ok: false; message: string } {
    const r = launchProgram(a, {
      output: (category, text) => this.sendEvent(new OutputEvent(text, category)),
      stopped: (stop) => this.onStopped(stop),
      ended: (code, message) => this.onEnded(code, message),
      faultPolicy: (fault, context) => this.exceptions.decide(fault, context),
      store: (maxLen) => {
        if (!this.store || this.store.slots.maxLen !== maxLen) this.store = new BreakpointStore(maxLen, a.breakpointMode === 'hybrid' ? 'hybrid' : 'hardware');
        return this.store;
      },
    });
    if (!r.ok) {
      for (const line of r.diagnostics) this.sendEvent(new OutputEvent(line + '\n', 'stderr'));
      return { ok: false, message: r.message };
    }
    this.launched = r.launched;
    if (a.trace === true) this.sendEvent(new OutputEvent(`x86dbg: launch steps: ${formatTimings(r.launched.timings)}\n`, 'console'));
    this.ended = false;
    this.variables = new VariableTree(r.launched.runtime);
    return { ok: true };
  }

  protected override configurationDoneRequest(response: DebugProtocol.ConfigurationDoneResponse): void {
    this.guard(response, () => {
      this.sendResponse(response);
      this.configured = true;
      this.runtime?.start(this.launchArgs?.stopOnEntry === true);
    });
  }

  private onStopped(stop: StopReport): void {
    this.variables?.reset();
    const ev = new StoppedEvent(stop.reason, THREAD_ID) as DebugProtocol.StoppedEvent;
    const pc = Number.isSafeInteger(stop.pc) ? stop.pc : '0x' + BigInt(stop.pc).toString(16);
    const body: X86StoppedEventBody = {
      reason: stop.reason,
      threadId: THREAD_ID,
      description: stop.description,
      text: stop.text,
      allThreadsStopped: true,
      hitBreakpointIds: stop.hitBreakpointIds,
      x86dbg: { dr6: stop.dr6, dr7: stop.dr7, pc, exception: stop.exception },
    };
    ev.body = body;
    this.sendEvent(ev);
    this.sendEvent(new Event(DEBUG_REGISTERS_REQUEST, this.debugRegisters()));
  }

  private onEnded(code: number, message: string): void {
    if (this.ended) return;
    this.ended = true;
    this.sendEvent(new OutputEvent(`${message}\n`, 'console'));
    this.sendEvent(new ExitedEvent(code));
    this.sendEvent(new TerminatedEvent());
  }

  private debugRegisters(): DebugRegistersBody {
    const store = this.store;
    const rt = this.runtime;
    return {
      debugger: {
        dr: store ? store.slots.addresses() : [0, 0, 0, 0],
        dr6: rt ? rt.lastDr6 : 0xffff0ff0,
        dr7: rt ? rt.hostDr7() : store ? (store.slots.dr7() | 0x400) >>> 0 : 0x400,
        slots: store ? store.slots.info() : [],
      },
      guest: rt ? rt.target.guestDebugRegisters() : null,
    };
  }

  /** Tell the client about breakpoints that changed on their own (a waiting one got a slot). */
  private announce(changed: BreakpointRecord[]): void {
    for (const r of changed) this.sendEvent(new BreakpointEvent('changed', bp.toDap(r, this.runtime?.symbols ?? null)));
  }

  protected override setBreakPointsRequest(response: DebugProtocol.SetBreakpointsResponse, args: DebugProtocol.SetBreakpointsArguments): void {
    this.guard(response, () => {
      this.lastRequests.set('source:' + String(args?.source?.path), { command: 'setBreakpoints', args });
      const r = bp.setSourceBreakpoints(this.store, this.runtime?.symbols ?? null, args);
      response.body = { breakpoints: r.breakpoints };
      this.sendResponse(response);
      this.afterBreakpointChange(r.changed);
    });
  }

  protected override setFunctionBreakPointsRequest(response: DebugProtocol.SetFunctionBreakpointsResponse, args: DebugProtocol.SetFunctionBreakpointsArguments): void {
    this.guard(response, () => {
      this.lastRequests.set('function', { command: 'setFunctionBreakpoints', args });
      const r = bp.setFunctionBreakpoints(this.store, this.runtime?.symbols ?? null, args);
      response.body = { breakpoints: r.breakpoints };
      this.sendResponse(response);
      this.afterBreakpointChange(r.changed);
    });
  }

  protected override setInstructionBreakpointsRequest(response: DebugProtocol.SetInstructionBreakpointsResponse, args: DebugProtocol.SetInstructionBreakpointsArguments): void {
    this.guard(response, () => {
      this.lastRequests.set('instruction', { command: 'setInstructionBreakpoints', args });
      const r = bp.setInstructionBreakpoints(this.store, this.runtime?.symbols ?? null, args);
      response.body = { breakpoints: r.breakpoints };
      this.sendResponse(response);
      this.afterBreakpointChange(r.changed);
    });
  }

  protected override dataBreakpointInfoRequest(response: DebugProtocol.DataBreakpointInfoResponse, args: DebugProtocol.DataBreakpointInfoArguments): void {
    this.guard(response, () => {
      response.body = bp.dataBreakpointInfo(this.runtime, this.variables, args);
      this.sendResponse(response);
    });
  }

  protected override setDataBreakpointsRequest(response: DebugProtocol.SetDataBreakpointsResponse, args: DebugProtocol.SetDataBreakpointsArguments): void {
    this.guard(response, () => {
      this.lastRequests.set('data', { command: 'setDataBreakpoints', args });
      const r = bp.setDataBreakpoints(this.store, this.runtime?.symbols ?? null, args);
      response.body = { breakpoints: r.breakpoints };
      this.sendResponse(response);
      this.afterBreakpointChange(r.changed);
    });
  }

  private afterBreakpointChange(changed: BreakpointRecord[]): void {
    this.announce(changed);
    const rt = this.runtime;
    if (rt && rt.state !== 'ended') rt.programSlots(false);
    if (this.configured && rt && rt.state === 'stopped') this.sendEvent(new Event(DEBUG_REGISTERS_REQUEST, this.debugRegisters()));
  }

  protected override breakpointLocationsRequest(response: DebugProtocol.BreakpointLocationsResponse, args: DebugProtocol.BreakpointLocationsArguments): void {
    this.guard(response, () => {
      response.body = { breakpoints: bp.breakpointLocations(this.runtime?.symbols ?? null, args) };
      this.sendResponse(response);
    });
  }

  protected override setExceptionBreakPointsRequest(response: DebugProtocol.SetExceptionBreakpointsResponse, args: DebugProtocol.SetExceptionBreakpointsArguments): void {
    this.guard(response, () => {
      response.body = { breakpoints: this.exceptions.set(args, this.runtime ? this.runtime.evalContext() : null) };
      this.sendResponse(response);
    });
  }

  protected override exceptionInfoRequest(response: DebugProtocol.ExceptionInfoResponse, _args: DebugProtocol.ExceptionInfoArguments): void {
    this.guard(response, () => {
      const ex = this.runtime?.lastException;
      if (!ex) return this.fail(response, 'not stopped on an exception');
      const parts = [`vector ${ex.vector} (${ex.name})`];
      if (ex.errorCode !== undefined) parts.push(`error code 0x${ex.errorCode.toString(16)}`);
      if (ex.address !== undefined) parts.push(`faulting address 0x${ex.address.toString(16)}`);
      parts.push(`at 0x${ex.pc.toString(16)}`);
      response.body = {
        exceptionId: exceptionMnemonic(ex.vector),
        description: ex.message,
        breakMode: 'always',
        details: { message: parts.join(', '), typeName: ex.name, fullTypeName: `x86 exception ${ex.vector}` },
      };
      this.sendResponse(response);
    });
  }

  protected override threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    response.body = { threads: [new Thread(THREAD_ID, 'vCPU 0')] };
    this.sendResponse(response);
  }

  protected override continueRequest(response: DebugProtocol.ContinueResponse, _args: DebugProtocol.ContinueArguments): void {
    this.guard(response, () => {
      const rt = this.stoppedRuntime(response);
      if (!rt) return;
      response.body = { allThreadsContinued: true };
      this.sendResponse(response);
      rt.continue();
    });
  }

  protected override nextRequest(response: DebugProtocol.NextResponse, args: DebugProtocol.NextArguments): void {
    this.guard(response, () => {
      const rt = this.stoppedRuntime(response);
      if (!rt) return;
      this.sendResponse(response);
      if (args?.granularity === 'instruction') rt.stepInstruction(true);
      else rt.stepLine(true);
    });
  }

  protected override stepInRequest(response: DebugProtocol.StepInResponse, args: DebugProtocol.StepInArguments): void {
    this.guard(response, () => {
      const rt = this.stoppedRuntime(response);
      if (!rt) return;
      this.sendResponse(response);
      if (args?.granularity === 'instruction') rt.stepInstruction(false);
      else rt.stepLine(false);
    });
  }

  protected override stepOutRequest(response: DebugProtocol.StepOutResponse, _args: DebugProtocol.StepOutArguments): void {
    this.guard(response, () => {
      const rt = this.stoppedRuntime(response);
      if (!rt) return;
      const frames = buildCallStack(rt);
      const caller = frames[1];
      this.sendResponse(response);
      rt.stepOut(caller?.address, caller?.slot !== undefined ? caller.slot + 1 : 0);
    });
  }

  protected override pauseRequest(response: DebugProtocol.PauseResponse, _args: DebugProtocol.PauseArguments): void {
    this.guard(response, () => {
      const rt = this.runtime;
      if (!rt || rt.state === 'ended') return this.fail(response, 'no program is running');
      this.sendResponse(response);
      rt.pause();
    });
  }

  protected override gotoTargetsRequest(response: DebugProtocol.GotoTargetsResponse, args: DebugProtocol.GotoTargetsArguments): void {
    this.guard(response, () => {
      response.body = { targets: bp.gotoTargets(this.runtime?.symbols ?? null, args) };
      this.sendResponse(response);
    });
  }

  protected override gotoRequest(response: DebugProtocol.GotoResponse, args: DebugProtocol.GotoArguments): void {
    this.guard(response, () => {
      const rt = this.stoppedRuntime(response);
      if (!rt) return;
      const target = typeof args?.targetId === 'number' ? args.targetId : NaN;
      if (!Number.isSafeInteger(target) || target < 0) return this.fail(response, 'invalid goto target');
      this.sendResponse(response);
      if (!rt.goto(target)) this.sendEvent(new OutputEvent(`x86dbg: cannot set the instruction pointer to 0x${target.toString(16)}\n`, 'console'));
    });
  }

  protected override stackTraceRequest(response: DebugProtocol.StackTraceResponse, args: DebugProtocol.StackTraceArguments): void {
    this.guard(response, () => {
      const rt = this.stoppedRuntime(response);
      if (!rt) return;
      const frames = buildCallStack(rt);
      const start = typeof args?.startFrame === 'number' && args.startFrame > 0 ? args.startFrame : 0;
      const levels = typeof args?.levels === 'number' && args.levels > 0 ? args.levels : frames.length;
      response.body = { stackFrames: frames.slice(start, start + levels).map((f) => f.frame), totalFrames: frames.length };
      this.sendResponse(response);
    });
  }

  protected override scopesRequest(response: DebugProtocol.ScopesResponse, args: DebugProtocol.ScopesArguments): void {
    this.guard(response, () => {
      if (!this.stoppedRuntime(response) || !this.variables) return;
      response.body = { scopes: this.variables.scopes(typeof args?.frameId === 'number' ? args.frameId : 0) };
      this.sendResponse(response);
    });
  }

  protected override variablesRequest(response: DebugProtocol.VariablesResponse, args: DebugProtocol.VariablesArguments): void {
    this.guard(response, () => {
      if (!this.stoppedRuntime(response) || !this.variables) return;
      const r = this.variables.variables(args);
      if (!r.ok) return this.fail(response, r.message);
      response.body = { variables: r.variables };
      this.sendResponse(response);
    });
  }

  protected override setVariableRequest(response: DebugProtocol.SetVariableResponse, args: DebugProtocol.SetVariableArguments): void {
    this.guard(response, () => {
      if (!this.stoppedRuntime(response) || !this.variables) return;
      const r = this.variables.setVariable(args);
      if (!r.ok) return this.fail(response, r.message);
      response.body = r.body;
      this.sendResponse(response);
      this.sendEvent(new Event(DEBUG_REGISTERS_REQUEST, this.debugRegisters()));
    });
  }

  protected override evaluateRequest(response: DebugProtocol.EvaluateResponse, args: DebugProtocol.EvaluateArguments): void {
    this.guard(response, () => {
      const text = typeof args?.expression === 'string' ? args.expression : '';
      if (args?.context === 'repl' && text.trim().startsWith('-')) {
        response.body = { result: consoleCommand(text.trim(), this.debugRegisters(), this.store, this.runtime), variablesReference: 0 };
        this.sendResponse(response);
        return;
      }
      const rt = this.runtime;
      if (!rt || rt.state === 'ended') return this.fail(response, 'no program is running');
      if (rt.state === 'running' || rt.state === 'waiting-input') return this.fail(response, 'the program is running; pause it first');
      const r = evaluateRequestText(rt, text, args?.format?.hex !== false);
      if (!r.ok) return this.fail(response, r.message);
      response.body = r.body;
      this.sendResponse(response);
    });
  }

  protected override completionsRequest(response: DebugProtocol.CompletionsResponse, args: DebugProtocol.CompletionsArguments): void {
    this.guard(response, () => {
      response.body = { targets: completionItems(this.runtime, typeof args?.text === 'string' ? args.text : '', typeof args?.column === 'number' ? args.column : 1) };
      this.sendResponse(response);
    });
  }

  protected override readMemoryRequest(response: DebugProtocol.ReadMemoryResponse, args: DebugProtocol.ReadMemoryArguments): void {
    this.guard(response, () => {
      const rt = this.stoppedRuntime(response);
      if (!rt) return;
      const base = parseAddress(args?.memoryReference);
      const count = typeof args?.count === 'number' ? Math.max(0, Math.min(args.count, 1 << 20)) : NaN;
      if (base === undefined || !Number.isFinite(count)) return this.fail(response, 'readMemory needs a memoryReference and a count');
      const address = base + (typeof args.offset === 'number' ? args.offset : 0);
      let readable = 0;
      const chunk = 256;
      const parts: Uint8Array[] = [];
      while (readable < count) {
        const n = Math.min(chunk, count - readable);
        const b = rt.target.read(address + readable, n);
        if (!b || b.length < n) {
          for (let k = 0; k < n; k++) {
            const one = rt.target.read(address + readable, 1);
            if (!one || one.length < 1) break;
            parts.push(one);
            readable++;
          }
          break;
        }
        parts.push(b);
        readable += n;
      }
      response.body = { address: '0x' + address.toString(16), data: Buffer.concat(parts.map((p) => Buffer.from(p))).toString('base64'), unreadableBytes: count - readable };
      this.sendResponse(response);
    });
  }

  protected override writeMemoryRequest(response: DebugProtocol.WriteMemoryResponse, args: DebugProtocol.WriteMemoryArguments): void {
    this.guard(response, () => {
      const rt = this.stoppedRuntime(response);
      if (!rt) return;
      const base = parseAddress(args?.memoryReference);
      if (base === undefined || typeof args.data !== 'string') return this.fail(response, 'writeMemory needs a memoryReference and base64 data');
      const address = base + (typeof args.offset === 'number' ? args.offset : 0);
      const bytes = new Uint8Array(Buffer.from(args.data, 'base64'));
      if (!rt.target.write(address, bytes)) return this.fail(response, `cannot write ${bytes.length} bytes at 0x${address.toString(16)}`);
      response.body = { offset: 0, bytesWritten: bytes.length };
      this.sendResponse(response);
      this.sendEvent(new Event('memory', { memoryReference: '0x' + address.toString(16), offset: 0, count: bytes.length }));
    });
  }

  protected override disassembleRequest(response: DebugProtocol.DisassembleResponse, args: DebugProtocol.DisassembleArguments): void {
    this.guard(response, () => {
      const rt = this.stoppedRuntime(response);
      if (!rt) return;
      const base = parseAddress(args?.memoryReference);
      const count = typeof args?.instructionCount === 'number' ? Math.max(0, Math.min(args.instructionCount, 4096)) : NaN;
      if (base === undefined || !Number.isFinite(count)) return this.fail(response, 'disassemble needs a memoryReference and an instructionCount');
      const start = base + (typeof args.offset === 'number' ? args.offset : 0);
      response.body = { instructions: disassembleRange(rt, decoderFor(rt.target), start, typeof args.instructionOffset === 'number' ? args.instructionOffset : 0, count) };
      this.sendResponse(response);
    });
  }

  protected override customRequest(command: string, response: DebugProtocol.Response, args: unknown): void {
    this.guard(response, () => {
      if (command === DEBUG_REGISTERS_REQUEST) {
        response.body = this.debugRegisters();
        this.sendResponse(response);
        return;
      }
      if (command === INPUT_REQUEST) {
        const a = (args ?? {}) as Partial<InputArguments>;
        const rt = this.runtime;
        if (!rt || rt.state === 'ended') return this.fail(response, 'no program is running');
        if (typeof a.text !== 'string') return this.fail(response, 'x86dbg.input needs { text: string }');
        rt.input(new TextEncoder().encode(a.text), a.eof === true);
        this.sendResponse(response);
        return;
      }
      this.fail(response, `unrecognized request '${String(command)}'`, 1014);
    });
  }

  protected override restartRequest(response: DebugProtocol.RestartResponse, args: DebugProtocol.RestartArguments): void {
    this.guard(response, () => {
      const a = ((args?.arguments as X86LaunchArguments | undefined) ?? this.launchArgs) as X86LaunchArguments | null;
      if (!a) return this.fail(response, 'nothing to restart');
      this.runtime?.dispose();
      this.launched = null;
      const before = new Set((this.store?.all() ?? []).map((r) => r.id));
      const result = this.startProgram(a);
      if (!result.ok) {
        this.fail(response, result.message, 2001);
        return;
      }
      this.launchArgs = a;
      // Re-resolve every breakpoint on the new program; unchanged ones keep their ids and slots.
      const changed: BreakpointRecord[] = [];
      for (const { command, args: reqArgs } of this.lastRequests.values()) changed.push(...bp.replay(command, reqArgs, this.store, this.runtime?.symbols ?? null));
      this.sendResponse(response);
      this.announce(changed);
      // Breakpoints whose address moved got new ids: tell the client which appeared and which went.
      const after = this.store?.all() ?? [];
      for (const r of after) if (!before.has(r.id)) this.sendEvent(new BreakpointEvent('new', bp.toDap(r, this.runtime?.symbols ?? null)));
      const afterIds = new Set(after.map((r) => r.id));
      for (const id of before) if (!afterIds.has(id)) this.sendEvent(new BreakpointEvent('removed', { id, verified: false } as DebugProtocol.Breakpoint));
      this.runtime?.start(a.stopOnEntry === true);
    });
  }

  protected override terminateRequest(response: DebugProtocol.TerminateResponse, _args: DebugProtocol.TerminateArguments): void {
    this.guard(response, () => {
      this.runtime?.dispose();
      this.sendResponse(response);
      if (!this.ended) {
        this.ended = true;
        this.sendEvent(new TerminatedEvent());
      }
    });
  }

  protected override disconnectRequest(response: DebugProtocol.DisconnectResponse, _args: DebugProtocol.DisconnectArguments): void {
    this.guard(response, () => {
      this.runtime?.dispose();
      this.launched = null;
      this.sendResponse(response);
    });
  }
}

/** Read a launch's stdin file into bytes, or a message. */
export function readStdinFile(file: string, cwd: string | undefined): Uint8Array | string {
  try {
    return new Uint8Array(fs.readFileSync(path.resolve(cwd ?? process.cwd(), file)));
  } catch (e) {
    return `cannot read stdin file ${file}: ${e instanceof Error ? e.message : String(e)}`;
  }
}
