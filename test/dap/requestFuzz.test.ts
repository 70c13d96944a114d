// Robustness of the built adapter against a client that sends nonsense: every request the adapter
// advertises (and some it does not), with arguments of random shapes and types (numbers huge and
// negative, strings that look like addresses and labels, nulls, arrays where objects belong), sent
// while the guest is stopped and while it runs. Each request must get a response within a bound, the
// adapter process must stay up, and afterwards the session must still pause, answer and step.
import * as assert from 'assert';
import { fixture, TestSession } from './harness';

const COMMANDS = [
  'threads', 'stackTrace', 'scopes', 'variables', 'setVariable', 'evaluate', 'completions', 'source', 'setBreakpoints', 'setFunctionBreakpoints',
  'setInstructionBreakpoints', 'setDataBreakpoints', 'dataBreakpointInfo', 'setExceptionBreakpoints', 'exceptionInfo', 'breakpointLocations',
  'readMemory', 'writeMemory', 'disassemble', 'gotoTargets', 'goto', 'stepIn', 'stepOut', 'next', 'stepBack', 'continue', 'pause', 'loadedSources',
  'modules', 'setExpression', 'x86dbg.debugRegisters', 'x86dbg.input', 'cancel', 'restartFrame', 'reverseContinue', 'stepInTargets', 'nosuchrequest',
];

/** Argument keys the DAP requests above use; a random subset gets random values. */
const KEYS = [
  'threadId', 'frameId', 'variablesReference', 'name', 'value', 'expression', 'context', 'memoryReference', 'offset', 'count', 'data', 'instructionCount',
  'instructionOffset', 'resolveSymbols', 'source', 'breakpoints', 'lines', 'line', 'column', 'endLine', 'targetId', 'text', 'format', 'filters',
  'filterOptions', 'exceptionOptions', 'granularity', 'dataId', 'accessType', 'bytes', 'asAddress', 'mode', 'startFrame', 'levels', 'sourceReference',
];

function rng(seed: number): (n: number) => number {
  let s = seed;
  return (n) => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s % n;
  };
}

/** A random JSON value; depth bounds nesting. */
function randomValue(r: (n: number) => number, depth: number): unknown {
  switch (r(depth > 0 ? 12 : 9)) {
    case 0:
      return null;
    case 1:
      return [0, 1, -1, 2 ** 31, 2 ** 53, -(2 ** 63), 0x401000, 1e300][r(8)];
    case 2:
      return r(1000);
    case 3:
      return ['', 'x', '0x401000', '0xffffffffffffffff', 'counter', 'n', 'rax', 'eflags', 'byte [n]', '-dr', '-help', '%', '1/0', 'main.asm:3', ')', 'AAAA', '\u0000'][r(17)];
    case 4:
      return r(2) === 0;
    case 5:
      return fixture('loop64.asm');
    case 6:
      return { path: r(2) ? fixture('loop64.asm') : '/no/such/file.asm' };
    case 7:
      return 'read write readWrite'.split(' ')[r(3)];
    case 8:
      return -r(100000);
    case 9:
    case 10:
      return Array.from({ length: r(4) }, () => randomValue(r, depth - 1));
    default:
      return randomArgs(r, depth - 1);
  }
}

/** The keys each request reads, so half of the probes get past the first missing-argument check. */
const RELEVANT: Record<string, string[]> = {
  stackTrace: ['threadId', 'startFrame', 'levels'],
  scopes: ['frameId'],
  variables: ['variablesReference', 'format', 'count'],
  setVariable: ['variablesReference', 'name', 'value', 'format'],
  evaluate: ['expression', 'context', 'frameId', 'format'],
  completions: ['text', 'column', 'frameId'],
  setBreakpoints: ['source', 'breakpoints', 'lines'],
  setFunctionBreakpoints: ['breakpoints'],
  setInstructionBreakpoints: ['breakpoints'],
  setDataBreakpoints: ['breakpoints'],
  dataBreakpointInfo: ['name', 'variablesReference', 'bytes', 'asAddress', 'frameId', 'mode'],
  setExceptionBreakpoints: ['filters', 'filterOptions', 'exceptionOptions'],
  breakpointLocations: ['source', 'line', 'endLine', 'column'],
  readMemory: ['memoryReference', 'offset', 'count'],
  writeMemory: ['memoryReference', 'offset', 'data'],
  disassemble: ['memoryReference', 'offset', 'instructionOffset', 'instructionCount', 'resolveSymbols'],
  gotoTargets: ['source', 'line', 'column'],
  goto: ['threadId', 'targetId'],
  stepIn: ['threadId', 'granularity'],
  next: ['threadId', 'granularity'],
  'x86dbg.input': ['text'],
};

/** Breakpoint-like elements: the fields setBreakpoints and its siblings read, with random values. */
function randomBreakpoint(r: (n: number) => number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of ['line', 'condition', 'hitCondition', 'logMessage', 'mode', 'instructionReference', 'offset', 'dataId', 'accessType', 'name']) if (r(3) === 0) out[k] = randomValue(r, 1);
  return out;
}

function randomArgs(r: (n: number) => number, depth: number, command?: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const relevant = command !== undefined && r(2) === 0 ? RELEVANT[command] : undefined;
  if (relevant) {
    for (const k of relevant) if (r(4) !== 0) out[k] = k === 'breakpoints' ? Array.from({ length: r(6) }, () => randomBreakpoint(r)) : randomValue(r, depth);
    return out;
  }
  const n = r(6);
  for (let i = 0; i < n; i++) out[KEYS[r(KEYS.length)]] = randomValue(r, depth);
  return out;
}

/** A request that must be answered (success or error) within `ms`. */
async function answered(s: TestSession, command: string, args: unknown, ms = 3000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no response to '${command}' ${JSON.stringify(args)} within ${ms} ms`)), ms);
  });
  try {
    await Promise.race([s.request(command, args), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

describe('adapter: random requests never crash it', function () {
  this.timeout(120_000);
  let s: TestSession | undefined;

  afterEach(async () => {
    await s?.stop();
    s = undefined;
  });

  it('600 random requests, stopped and running: each answered, then pause, threads and a step still work', async () => {
    s = new TestSession();
    await s.start();
    const launched = await s.launch({ program: fixture('loop64.asm'), environment: 'bare', stopOnEntry: true });
    assert.ok(launched.success, launched.message);
    await s.request('configurationDone');
    await s.stopped();
    const r = rng(20261126);
    for (let i = 0; i < 600; i++) {
      const command = COMMANDS[r(COMMANDS.length)];
      const args = r(10) === 0 ? randomValue(r, 2) : randomArgs(r, 2, command);
      await answered(s, command, args);
    }
    // whatever state the requests left: it pauses, answers and steps
    await answered(s, 'pause', { threadId: 1 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    await answered(s, 'setBreakpoints', { source: { path: fixture('loop64.asm') }, breakpoints: [] });
    await answered(s, 'setDataBreakpoints', { breakpoints: [] });
    await answered(s, 'setInstructionBreakpoints', { breakpoints: [] });
    await answered(s, 'setFunctionBreakpoints', { breakpoints: [] });
    const threads = await s.request<import('@vscode/debugprotocol').DebugProtocol.ThreadsResponse>('threads');
    assert.ok(threads.success, threads.message);
    assert.equal(threads.body.threads.length, 1);
    s.clear('stopped');
    const step = await s.request('stepIn', { threadId: 1, granularity: 'instruction' });
    assert.ok(step.success, step.message);
    await s.stopped();
    const top = await s.topFrame();
    assert.ok(top.instructionPointerReference);
  });
});
