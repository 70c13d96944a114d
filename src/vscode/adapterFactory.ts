// Creates the debug adapter for an x86dbg session: inline (X86DebugSession in the extension host,
// through DebugAdapterInlineImplementation) or `x86dbg dap` as a child process when the setting
// `x86dbg.adapter` is "external". With `console: "integratedTerminal"` (the default) the guest's
// stdout/stderr go to a Pseudoterminal instead of the Debug Console. Imports 'vscode' and src/adapter.
import * as vscode from 'vscode';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { X86DebugSession } from '../adapter/session';
import { INPUT_REQUEST, type InputArguments } from '../adapter/protocol';
import { GuestTerminal } from './guestTerminal';

/** An inline adapter that hands guest stdout/stderr `output` events to a terminal instead of VS Code. */
export class ConsoleRoutingAdapter implements vscode.DebugAdapter {
  private readonly emitter = new vscode.EventEmitter<vscode.DebugProtocolMessage>();
  readonly onDidSendMessage = this.emitter.event;
  private readonly subscription: { dispose(): void };

  constructor(
    private readonly inner: X86DebugSession,
    private readonly terminal: GuestTerminal | undefined,
  ) {
    this.subscription = inner.onDidSendMessage((message) => {
      const m = message as DebugProtocol.ProtocolMessage;
      if (this.terminal && m.type === 'event') {
        const event = m as DebugProtocol.OutputEvent;
        if (event.event === 'output' && (event.body.category === 'stdout' || event.body.category === 'stderr')) {
          this.terminal.write(event.body.output);
          return;
        }
        if (event.event === 'exited') this.terminal.status(`[program exited with code ${(m as DebugProtocol.ExitedEvent).body.exitCode}]`);
      }
      this.emitter.fire(message);
    });
  }

  handleMessage(message: vscode.DebugProtocolMessage): void {
    this.inner.handleMessage(message as DebugProtocol.ProtocolMessage);
  }

  dispose(): void {
    this.subscription.dispose();
    this.emitter.dispose();
    this.inner.dispose();
  }
}

/** Keeps the guest terminals of sessions (one per session, left open after the session ends). */
export class GuestTerminals implements vscode.Disposable {
  private readonly bySession = new Map<string, GuestTerminal>();

  /** Creates the terminal for a session; input goes to the session as x86dbg.input. */
  create(session: vscode.DebugSession): GuestTerminal {
    const terminal = new GuestTerminal(session.name.startsWith('x86dbg') ? session.name : `x86dbg: ${session.name}`, (text, eof) => {
      const args: InputArguments = { text, eof };
      session.customRequest(INPUT_REQUEST, args).then(undefined, () => undefined);
    });
    this.bySession.set(session.id, terminal);
    terminal.terminal.show(true);
    return terminal;
  }

  /** The terminal of a session, if it has one. */
  get(sessionId: string): GuestTerminal | undefined {
    return this.bySession.get(sessionId);
  }

  dispose(): void {
    for (const t of this.bySession.values()) t.dispose();
    this.bySession.clear();
  }
}

/** The descriptor factory registered for debug type x86dbg. */
export class X86AdapterFactory implements vscode.DebugAdapterDescriptorFactory {
  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly terminals: GuestTerminals,
  ) {}

  createDebugAdapterDescriptor(session: vscode.DebugSession): vscode.DebugAdapterDescriptor {
    const mode = vscode.workspace.getConfiguration('x86dbg').get<string>('adapter', 'inline');
    const useTerminal = (session.configuration.console ?? 'integratedTerminal') === 'integratedTerminal';
    if (mode === 'external') {
      const cli = this.context.asAbsolutePath('dist/cli.js');
      return new vscode.DebugAdapterExecutable(process.execPath, [cli, 'dap'], { env: { ELECTRON_RUN_AS_NODE: '1' } });
    }
    const terminal = useTerminal ? this.terminals.create(session) : undefined;
    return new vscode.DebugAdapterInlineImplementation(new ConsoleRoutingAdapter(new X86DebugSession(), terminal));
  }
}
