// Assembler diagnostics in the Problems panel as you type: each x86asm document is assembled with
// the built-in assembler after a pause in typing (setting x86dbg.diagnostics.delay, default 300 ms).
// A clean assembly of a saved file is offered to the next launch of it (src/adapter/sourceAssembly),
// which reuses it when the file on disk still has that text. Imports 'vscode', Node path, src/asm
// and src/adapter/sourceAssembly.
import * as path from 'path';
import * as vscode from 'vscode';
import type { Diagnostic } from '../../asm/diagnostics';
import { assembleRecordingReads, offerAssembly } from '../../adapter/sourceAssembly';

/** Converts an assembler diagnostic (1-based, end exclusive) into a VS Code one. */
export function toVscodeDiagnostic(d: Diagnostic): vscode.Diagnostic {
  const range = new vscode.Range(Math.max(0, d.line - 1), Math.max(0, d.column - 1), Math.max(0, d.endLine - 1), Math.max(0, d.endColumn - 1));
  const diagnostic = new vscode.Diagnostic(range, d.message, d.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning);
  diagnostic.source = 'x86dbg';
  return diagnostic;
}

/** Keeps the x86dbg diagnostic collection in step with open x86asm documents. */
export class AssemblerDiagnostics implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('x86dbg');
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly disposables: vscode.Disposable[] = [this.collection];

  constructor() {
    this.disposables.push(
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0)),
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document)),
      vscode.workspace.onDidCloseTextDocument((d) => {
        this.collection.delete(d.uri);
        this.cancel(d.uri.toString());
      }),
    );
    for (const d of vscode.workspace.textDocuments) this.schedule(d, 0);
  }

  private cancel(key: string): void {
    const timer = this.timers.get(key);
    if (timer) clearTimeout(timer);
    this.timers.delete(key);
  }

  private schedule(document: vscode.TextDocument, delay?: number): void {
    if (document.languageId !== 'x86asm') return;
    const config = vscode.workspace.getConfiguration('x86dbg.diagnostics', document.uri);
    if (!config.get<boolean>('enabled', true)) return;
    const key = document.uri.toString();
    this.cancel(key);
    this.timers.set(key, setTimeout(() => this.update(document), delay ?? config.get<number>('delay', 300)));
  }

  /** Assembles a document now and publishes its diagnostics (for this file only). */
  update(document: vscode.TextDocument): void {
    this.timers.delete(document.uri.toString());
    if (document.isClosed) return;
    const fileName = document.uri.scheme === 'file' ? document.uri.fsPath : document.fileName;
    const text = document.getText();
    const { result, reads } = assembleRecordingReads(fileName, text);
    if (result.ok && document.uri.scheme === 'file' && !document.isDirty) offerAssembly(fileName, text, reads, result.program);
    const own = result.diagnostics.filter((d) => path.resolve(d.file) === path.resolve(fileName) || d.file === fileName);
    this.collection.set(document.uri, own.map(toVscodeDiagnostic));
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const d of this.disposables) d.dispose();
  }
}
