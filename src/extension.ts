// The VS Code extension entry: activate() only registers things. Placeholder until the extension lands.
import type * as vscode from 'vscode';

export function activate(_context: vscode.ExtensionContext): void {
  // registrations arrive with the VS Code layer
}

export function deactivate(): void {
  // nothing to release yet
}
