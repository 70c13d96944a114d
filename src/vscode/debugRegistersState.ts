// What the Debug Registers view and the bit map show: fed by a DebugAdapterTracker that sees the
// real `stopped` event (with its x86dbg {dr6, dr7, pc, exception}) and the `x86dbg.debugRegisters`
// event after each stop; cleared when the session ends. Imports 'vscode' and adapter protocol types.
import * as vscode from 'vscode';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { DEBUG_REGISTERS_REQUEST, type DebugRegistersBody, type X86StopInfo, type X86StoppedEventBody } from '../adapter/protocol';

/** Where the session is, as far as the view is concerned. */
export type DebugRegistersPhase =
  | { kind: 'noSession' }
  | { kind: 'running'; session: vscode.DebugSession }
  | { kind: 'stopped'; session: vscode.DebugSession; body: DebugRegistersBody | undefined; stop: X86StopInfo | undefined; reason: string; description?: string }
  | { kind: 'ended'; exitCode?: number };

/** Holds the latest debug-register state of the active x86dbg session. */
export class DebugRegistersState implements vscode.Disposable {
  private phase: DebugRegistersPhase = { kind: 'noSession' };
  private readonly changed = new vscode.EventEmitter<DebugRegistersPhase>();
  /** Fires on every change (stop, new payload, continue, end). */
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];

  constructor() {
    this.disposables.push(
      vscode.debug.registerDebugAdapterTrackerFactory('x86dbg', { createDebugAdapterTracker: (session) => this.trackerFor(session) }),
      vscode.debug.onDidTerminateDebugSession((session) => {
        if (this.sessionOf(this.phase) === session) this.set({ kind: 'ended', exitCode: this.exitCode });
      }),
    );
  }

  private exitCode: number | undefined;

  /** The current phase. */
  get current(): DebugRegistersPhase {
    return this.phase;
  }

  private sessionOf(phase: DebugRegistersPhase): vscode.DebugSession | undefined {
    return phase.kind === 'running' || phase.kind === 'stopped' ? phase.session : undefined;
  }

  private set(phase: DebugRegistersPhase): void {
    this.phase = phase;
    this.changed.fire(phase);
  }

  private trackerFor(session: vscode.DebugSession): vscode.DebugAdapterTracker {
    return {
      onWillStartSession: () => {
        this.exitCode = undefined;
        this.set({ kind: 'running', session });
      },
      onDidSendMessage: (message: DebugProtocol.ProtocolMessage) => {
        if (message.type !== 'event') return;
        const event = message as DebugProtocol.Event;
        if (event.event === 'stopped') this.onStopped(session, event.body as X86StoppedEventBody);
        else if (event.event === DEBUG_REGISTERS_REQUEST) this.onRegisters(session, event.body as DebugRegistersBody);
        else if (event.event === 'continued') this.set({ kind: 'running', session });
        else if (event.event === 'exited') this.exitCode = (event.body as { exitCode?: number } | undefined)?.exitCode;
      },
    };
  }

  private onStopped(session: vscode.DebugSession, body: X86StoppedEventBody): void {
    const previous = this.phase.kind === 'stopped' && this.phase.session === session ? this.phase.body : undefined;
    this.set({ kind: 'stopped', session, body: previous, stop: body.x86dbg, reason: body.reason, description: body.description });
    // The adapter sends x86dbg.debugRegisters after every stop; ask for it if it does not come.
    setTimeout(() => {
      const phase = this.phase;
      if (phase.kind === 'stopped' && phase.session === session && phase.body === previous) {
        session.customRequest(DEBUG_REGISTERS_REQUEST).then(
          (response: DebugRegistersBody) => this.onRegisters(session, response),
          () => undefined,
        );
      }
    }, 300);
  }

  private onRegisters(session: vscode.DebugSession, body: DebugRegistersBody): void {
    const phase = this.phase;
    if (!body || !body.debugger) return;
    if (phase.kind === 'stopped' && phase.session === session) this.set({ ...phase, body });
    else this.set({ kind: 'stopped', session, body, stop: undefined, reason: 'unknown' });
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
