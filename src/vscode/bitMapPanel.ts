// The "DR7/DR6 Bit Map" webview panel: redrawn from the debug-register state on every change.
// Imports 'vscode', the state holder and the pure HTML builder.
import * as vscode from 'vscode';
import type { DebugRegistersState } from './debugRegistersState';
import { bitMapHtml } from './bitMapHtml';
import { phaseMessage } from './debugRegistersView';

/** Shows (or reveals) the single bit-map panel. */
export class BitMapPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private subscription: vscode.Disposable | undefined;

  constructor(private readonly state: DebugRegistersState) {}

  /** Opens the panel beside the editor, or reveals it. */
  show(): void {
    if (this.panel) {
      this.panel.reveal(undefined, true);
      return;
    }
    this.panel = vscode.window.createWebviewPanel('x86dbg.bitMap', 'DR7 / DR6 Bit Map', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, { enableScripts: false });
    this.subscription = this.state.onDidChange(() => this.render());
    this.panel.onDidDispose(() => {
      this.subscription?.dispose();
      this.panel = undefined;
    });
    this.render();
  }

  /** The HTML currently shown (for tests). */
  get html(): string | undefined {
    return this.panel?.webview.html;
  }

  private render(): void {
    if (!this.panel) return;
    const phase = this.state.current;
    const nonce = Math.random().toString(36).slice(2);
    const body = phase.kind === 'stopped' ? phase.body : undefined;
    const stop = phase.kind === 'stopped' ? phase.stop : undefined;
    this.panel.webview.html = bitMapHtml(body, stop, phaseMessage(phase) ?? '', this.panel.webview.cspSource, nonce);
  }

  dispose(): void {
    this.subscription?.dispose();
    this.panel?.dispose();
  }
}
