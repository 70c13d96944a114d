// Test helper inside the extension host: records every DAP message an x86dbg session sends (through
// a DebugAdapterTracker, as the Debug Registers view sees them) and the requests sent to it, and waits
// for the events a test expects.
import * as vscode from 'vscode';
import type { DebugProtocol } from '@vscode/debugprotocol';

/** A DAP event with a typed body. */
export type TypedEvent<T> = Omit<DebugProtocol.Event, 'body'> & { body: T };

/** Messages of all x86dbg sessions started while the recorder lives. */
export class SessionRecorder implements vscode.Disposable {
  readonly messages: DebugProtocol.ProtocolMessage[] = [];
  /** Requests VS Code (or the extension) sent to the adapters. */
  readonly sent: DebugProtocol.Request[] = [];
  private waiters: (() => void)[] = [];
  private readonly registration: vscode.Disposable;

  constructor() {
    this.registration = vscode.debug.registerDebugAdapterTrackerFactory('x86dbg', {
      createDebugAdapterTracker: () => ({
        onDidSendMessage: (m: DebugProtocol.ProtocolMessage) => {
          this.messages.push(m);
          for (const w of this.waiters.splice(0)) w();
        },
        onWillReceiveMessage: (m: DebugProtocol.ProtocolMessage) => {
          if (m.type === 'request') this.sent.push(m as DebugProtocol.Request);
        },
      }),
    });
  }

  /** Events named `name` seen so far. */
  events<T = unknown>(name: string): TypedEvent<T>[] {
    return this.messages.filter((m) => m.type === 'event' && (m as DebugProtocol.Event).event === name) as unknown as TypedEvent<T>[];
  }

  /** Requests named `command` sent to the adapter so far. */
  requests(command: string): DebugProtocol.Request[] {
    return this.sent.filter((r) => r.command === command);
  }

  /** Resolves with the `count`-th event named `name` (1-based), waiting up to `timeoutMs`. */
  async waitForEvent<T = unknown>(name: string, count = 1, timeoutMs = 20_000): Promise<TypedEvent<T>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const seen = this.events<T>(name);
      if (seen.length >= count) return seen[count - 1];
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no ${count}. '${name}' event within ${timeoutMs} ms; saw: ${this.messages.filter((m) => m.type === 'event').map((m) => (m as DebugProtocol.Event).event).join(', ')}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  dispose(): void {
    this.registration.dispose();
  }
}

/** Waits until `predicate` holds (polling), or throws with `what`. */
export async function until<T>(what: string, predicate: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await predicate();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Starts a session and resolves with it once VS Code reports it started. */
export async function startSession(config: vscode.DebugConfiguration, folder?: vscode.WorkspaceFolder): Promise<vscode.DebugSession> {
  const started = new Promise<vscode.DebugSession>((resolve) => {
    const sub = vscode.debug.onDidStartDebugSession((s) => {
      if (s.type === 'x86dbg') {
        sub.dispose();
        resolve(s);
      }
    });
  });
  const ok = await vscode.debug.startDebugging(folder ?? vscode.workspace.workspaceFolders?.[0], config);
  if (!ok) throw new Error('startDebugging returned false');
  return started;
}

/** Stops a session and waits until it has terminated. */
export async function stopSession(session: vscode.DebugSession): Promise<void> {
  const ended = new Promise<void>((resolve) => {
    const sub = vscode.debug.onDidTerminateDebugSession((s) => {
      if (s.id === session.id) {
        sub.dispose();
        resolve();
      }
    });
  });
  await vscode.debug.stopDebugging(session);
  await Promise.race([ended, new Promise((r) => setTimeout(r, 5000))]);
}
