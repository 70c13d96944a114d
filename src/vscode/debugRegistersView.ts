// The "Debug Registers" tree view in the Run and Debug container: DR0–DR3, DR7 and DR6 of the
// debugger layer with the slot that fired lit, and the guest's own registers; says why it is empty.
// Imports 'vscode', the state holder and the pure tree model (registerNodes).
import * as vscode from 'vscode';
import type { DebugRegistersPhase, DebugRegistersState } from './debugRegistersState';
import { buildRegisterTree, childrenOf, fieldBits, type DebugRegisterTreeNode, type SectionNode } from './registerNodes';

/** Command a slot's owner row runs: reveals the breakpoint's source line or the disassembly. */
export const REVEAL_SLOT_OWNER = 'x86dbg.revealSlotOwner';

/** Why the view is empty (or what it shows), in words. */
export function phaseMessage(phase: DebugRegistersPhase): string | undefined {
  switch (phase.kind) {
    case 'noSession':
      return 'No x86dbg debug session: start one (F5 on an .asm file) to see DR0–DR3, DR6 and DR7.';
    case 'running':
      return 'The program is running: the debug registers are shown when it stops.';
    case 'ended':
      return `The debug session ended${phase.exitCode !== undefined ? ` (exit code ${phase.exitCode})` : ''}: registers cleared.`;
    case 'stopped':
      if (!phase.body) return 'Stopped: waiting for the adapter\'s x86dbg.debugRegisters event…';
      return phase.description ?? undefined;
  }
}

/** Tree data for the view (also returned by the extension API so tests can read the items). */
export class DebugRegistersTreeProvider implements vscode.TreeDataProvider<DebugRegisterTreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<DebugRegisterTreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private roots: SectionNode[] = [];
  private readonly subscription: vscode.Disposable;

  constructor(private readonly state: DebugRegistersState) {
    this.subscription = state.onDidChange(() => this.refresh());
    this.refresh();
  }

  private refresh(): void {
    const phase = this.state.current;
    this.roots = phase.kind === 'stopped' && phase.body ? buildRegisterTree(phase.body, phase.stop) : [];
    this.changed.fire(undefined);
  }

  /** The message the view shows above its tree. */
  get message(): string | undefined {
    return phaseMessage(this.state.current);
  }

  getChildren(node?: DebugRegisterTreeNode): DebugRegisterTreeNode[] {
    return node ? childrenOf(node) : this.roots;
  }

  getTreeItem(node: DebugRegisterTreeNode): vscode.TreeItem {
    switch (node.kind) {
      case 'section': {
        const item = new vscode.TreeItem(node.name, vscode.TreeItemCollapsibleState.Expanded);
        item.description = node.summary;
        item.id = `section:${node.id}`;
        item.contextValue = 'x86dbg.section';
        return item;
      }
      case 'register': {
        const item = new vscode.TreeItem(
          { label: `${node.name} ${node.hex}`, highlights: node.lit ? [[0, node.name.length]] : [] },
          node.children.length ? (node.lit ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed) : vscode.TreeItemCollapsibleState.None,
        );
        item.description = node.summary;
        item.tooltip = `${node.name} = ${node.hex}${node.lit ? ' (part of the last stop)' : ''}\n${node.summary}`;
        item.iconPath = node.lit ? new vscode.ThemeIcon('debug-breakpoint-data', new vscode.ThemeColor('debugIcon.breakpointCurrentStackframeForeground')) : new vscode.ThemeIcon('symbol-variable');
        item.contextValue = node.lit ? 'x86dbg.register.hit' : 'x86dbg.register';
        return item;
      }
      case 'field': {
        const label = `${node.name} = ${fieldBits(node)}`;
        const item = new vscode.TreeItem({ label, highlights: node.lit && node.value !== 0 ? [[0, label.length]] : [] }, vscode.TreeItemCollapsibleState.None);
        item.description = `${node.meaning} · bit${node.width > 1 ? `s ${node.bit}–${node.bit + node.width - 1}` : ` ${node.bit}`}`;
        item.iconPath = node.lit && node.value !== 0 ? new vscode.ThemeIcon('circle-filled', new vscode.ThemeColor('debugIcon.breakpointForeground')) : new vscode.ThemeIcon(node.value ? 'circle-filled' : 'circle-outline');
        item.contextValue = 'x86dbg.field';
        return item;
      }
      case 'info': {
        const item = new vscode.TreeItem(node.name, vscode.TreeItemCollapsibleState.None);
        item.description = node.text;
        if (node.reveal) {
          item.command = { command: REVEAL_SLOT_OWNER, title: 'Reveal Breakpoint', arguments: [node.reveal] };
          item.tooltip = 'Click to reveal the breakpoint that owns this slot';
          item.iconPath = new vscode.ThemeIcon('go-to-file');
        }
        return item;
      }
    }
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

/** Creates the view and keeps its message and the visibility context key current. */
export function registerDebugRegistersView(state: DebugRegistersState, provider: DebugRegistersTreeProvider): vscode.Disposable[] {
  const view = vscode.window.createTreeView('x86dbg.debugRegisters', { treeDataProvider: provider, showCollapseAll: true });
  const update = (): void => {
    const phase = state.current;
    view.message = phase.kind === 'noSession' ? undefined : provider.message;
    void vscode.commands.executeCommand('setContext', 'x86dbg.debugRegistersVisible', phase.kind !== 'noSession' || vscode.window.activeTextEditor?.document.languageId === 'x86asm');
  };
  update();
  return [view, state.onDidChange(update), vscode.window.onDidChangeActiveTextEditor(update)];
}
