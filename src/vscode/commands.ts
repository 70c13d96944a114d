// The x86dbg commands: Run File / Debug File (editor title), the bit map, and revealing the
// breakpoint that owns a DR0–DR3 slot (its source line, or the Disassembly view at its address).
// Imports 'vscode' and sibling modules.
import * as vscode from 'vscode';
import type { BitMapPanel } from './bitMapPanel';
import { configurationFor } from './configProvider';
import { REVEAL_SLOT_OWNER } from './debugRegistersView';

/** What a slot's owner row carries (see registerNodes InfoNode.reveal). */
export interface SlotOwner {
  slot: number;
  breakpointId: number;
  label: string;
  address: number;
}

function startFile(uri: vscode.Uri | undefined, noDebug: boolean): Thenable<boolean> {
  const target = uri ?? vscode.window.activeTextEditor?.document.uri;
  if (!target) {
    void vscode.window.showInformationMessage('x86dbg: open an assembly file first.');
    return Promise.resolve(false);
  }
  return vscode.debug.startDebugging(vscode.workspace.getWorkspaceFolder(target), configurationFor(target.fsPath, noDebug), { noDebug });
}

/** Reveals the breakpoint that owns a slot: its source line, else the Disassembly view. */
export async function revealSlotOwner(owner: SlotOwner): Promise<void> {
  const session = vscode.debug.activeDebugSession;
  if (session) {
    for (const bp of vscode.debug.breakpoints) {
      const dap = await session.getDebugProtocolBreakpoint(bp);
      if (dap && (dap as { id?: number }).id === owner.breakpointId && bp instanceof vscode.SourceBreakpoint) {
        const editor = await vscode.window.showTextDocument(bp.location.uri, { preview: true });
        editor.selection = new vscode.Selection(bp.location.range.start, bp.location.range.start);
        editor.revealRange(bp.location.range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
        return;
      }
    }
  }
  await vscode.commands.executeCommand('debug.action.openDisassemblyView');
}

/** Registers the commands. */
export function registerCommands(bitMap: BitMapPanel): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('x86dbg.runFile', (uri?: vscode.Uri) => startFile(uri, true)),
    vscode.commands.registerCommand('x86dbg.debugFile', (uri?: vscode.Uri) => startFile(uri, false)),
    vscode.commands.registerCommand('x86dbg.showBitMap', () => bitMap.show()),
    vscode.commands.registerCommand(REVEAL_SLOT_OWNER, (owner: SlotOwner) => revealSlotOwner(owner)),
  ];
}
