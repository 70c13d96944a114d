// Test harness for the debug adapter: a DebugClient (@vscode/debugadapter-testsupport) over stdio
// against the built adapter (dist/adapter.js, built by `npm test` before mocha), with every event
// queued (no event is lost between requests) and a transcript of the whole session for golden files.
import * as path from 'path';
import * as fs from 'fs';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';

/** The built adapter; X86DBG_ADAPTER names another build (e.g. one made from a snapshot while the tree is busy). */
export const ADAPTER = process.env.X86DBG_ADAPTER ?? path.resolve(__dirname, '../../dist/adapter.js');
export const FIXTURES = path.resolve(__dirname, 'fixtures');

export function fixture(name: string): string {
  return path.join(FIXTURES, name);
}

/** The 1-based line of the first line of a fixture that contains `text` (tests name lines by content). */
export function lineOf(file: string, text: string, occurrence = 1): number {
  const lines = fs.readFileSync(fixture(file), 'utf8').split('\n');
  let seen = 0;
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].includes(text) && ++seen === occurrence) return i + 1;
  }
  throw new Error(`'${text}' not in ${file}`);
}

export type TranscriptEntry = { kind: 'request'; command: string; arguments: unknown } | { kind: 'response'; command: string; success: boolean; message?: string; body?: unknown } | { kind: 'event'; event: string; body?: unknown };

/** A DebugClient with an event queue and a transcript. */
export class TestSession {
  readonly dc: DebugClient;
  readonly transcript: TranscriptEntry[] = [];
  private readonly queues = new Map<string, DebugProtocol.Event[]>();
  private readonly waiters = new Map<string, ((e: DebugProtocol.Event) => void)[]>();

  constructor() {
    this.dc = new DebugClient('node', ADAPTER, 'x86dbg', { stdio: ['pipe', 'pipe', 'pipe'] }, true);
    const emit = this.dc.emit.bind(this.dc);
    this.dc.emit = (name: string | symbol, ...args: unknown[]): boolean => {
      const ev = args[0] as DebugProtocol.Event | undefined;
      if (typeof name === 'string' && ev && (ev as { type?: string }).type === 'event') {
        this.transcript.push({ kind: 'event', event: ev.event, body: ev.body });
        const waiting = this.waiters.get(ev.event);
        if (waiting && waiting.length > 0) waiting.shift()!(ev);
        else {
          const q = this.queues.get(ev.event) ?? [];
          q.push(ev);
          this.queues.set(ev.event, q);
        }
      }
      return emit(name, ...args);
    };
  }

  async start(): Promise<void> {
    await this.dc.start();
  }

  async stop(): Promise<void> {
    try {
      await this.dc.stop();
    } catch {
      // the adapter may already have exited
    }
  }

  /** The next event of a type (queued ones first). */
  next(event: string, timeoutMs = 5000): Promise<DebugProtocol.Event> {
    const q = this.queues.get(event);
    if (q && q.length > 0) return Promise.resolve(q.shift()!);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const list = this.waiters.get(event) ?? [];
        const i = list.indexOf(done);
        if (i >= 0) list.splice(i, 1);
        reject(new Error(`no '${event}' event within ${timeoutMs} ms`));
      }, timeoutMs);
      const done = (e: DebugProtocol.Event): void => {
        clearTimeout(timer);
        resolve(e);
      };
      const list = this.waiters.get(event) ?? [];
      list.push(done);
      this.waiters.set(event, list);
    });
  }

  /** Events of a type received so far and not consumed. */
  pending(event: string): DebugProtocol.Event[] {
    return this.queues.get(event) ?? [];
  }

  clear(event: string): void {
    this.queues.delete(event);
  }

  /** Send any request; resolves with the response (success or not), never rejects on failure. */
  async request<T extends DebugProtocol.Response = DebugProtocol.Response>(command: string, args?: unknown): Promise<T> {
    this.transcript.push({ kind: 'request', command, arguments: args });
    let response: DebugProtocol.Response;
    try {
      response = await this.dc.customRequest(command, args);
    } catch (e) {
      response = e as DebugProtocol.Response;
      if (!response || typeof response !== 'object' || !('success' in response)) response = { seq: 0, type: 'response', request_seq: 0, command, success: false, message: String(e) };
    }
    this.transcript.push({ kind: 'response', command, success: response.success, message: response.success ? undefined : response.message, body: response.body });
    return response as T;
  }

  async stopped(timeoutMs = 5000): Promise<DebugProtocol.StoppedEvent> {
    return (await this.next('stopped', timeoutMs)) as DebugProtocol.StoppedEvent;
  }

  /** initialize + launch (waits for `initialized`), without configurationDone. */
  async launch(args: Record<string, unknown>): Promise<DebugProtocol.Response> {
    await this.request('initialize', { adapterID: 'x86dbg', pathFormat: 'path', linesStartAt1: true, columnsStartAt1: true, supportsMemoryReferences: true });
    const r = await this.request('launch', args);
    if (r.success) await this.next('initialized');
    return r;
  }

  async topFrame(): Promise<DebugProtocol.StackFrame> {
    const st = await this.request<DebugProtocol.StackTraceResponse>('stackTrace', { threadId: 1 });
    if (!st.success) throw new Error(`stackTrace failed: ${st.message}`);
    return st.body.stackFrames[0];
  }

  async evaluate(expression: string, context = 'watch'): Promise<DebugProtocol.EvaluateResponse> {
    return this.request<DebugProtocol.EvaluateResponse>('evaluate', { expression, context, frameId: 0 });
  }

  /** evaluate that must succeed; returns the result as a bigint parsed from hex or decimal. */
  async value(expression: string): Promise<bigint> {
    const r = await this.evaluate(expression);
    if (!r.success) throw new Error(`evaluate ${expression}: ${r.message}`);
    const m = /^(0x[0-9a-f]+|\d+)/i.exec(r.body.result);
    if (!m) throw new Error(`evaluate ${expression}: unexpected '${r.body.result}'`);
    return BigInt(m[1]);
  }

  /** Scopes of frame 0 by name → variables. */
  async scope(name: string): Promise<DebugProtocol.Variable[]> {
    const sc = await this.request<DebugProtocol.ScopesResponse>('scopes', { frameId: 0 });
    const s = sc.body.scopes.find((x) => x.name === name);
    if (!s) throw new Error(`no scope ${name}`);
    const v = await this.request<DebugProtocol.VariablesResponse>('variables', { variablesReference: s.variablesReference });
    return v.body.variables;
  }
}

/** Replace ids, seq numbers, absolute paths and timings so transcripts compare across runs. */
export function normaliseTranscript(entries: TranscriptEntry[], root: string): string {
  const text = JSON.stringify(entries, null, 1);
  return text.split(root).join('<fixtures>').replace(/"(seq|request_seq|id|threadId)": \d+/g, '"$1": <n>').replace(/\d+ ms\b/g, '<t> ms');
}
