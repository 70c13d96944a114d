// The VS Code extension entry: activate() only registers things — the x86dbg debugger (configuration
// providers, inline adapter factory, guest terminals), the Debug Registers view and bit map, the
// commands and the x86asm language features — all of which live in src/vscode/.
// Imports 'vscode' and src/vscode only.
import * as vscode from 'vscode';
import { GuestTerminals, X86AdapterFactory } from './vscode/adapterFactory';
import { BitMapPanel } from './vscode/bitMapPanel';
import { registerCommands } from './vscode/commands';
import { X86ConfigurationProvider, X86DynamicConfigurationProvider } from './vscode/configProvider';
import { DebugRegistersState } from './vscode/debugRegistersState';
import { DebugRegistersTreeProvider, registerDebugRegistersView } from './vscode/debugRegistersView';
import { AssemblerDiagnostics } from './vscode/language/diagnostics';
import { registerLanguageFeatures } from './vscode/language/languageFeatures';

/** What activate() returns: handles the integration tests read (the view's items, terminals, bit map). */
export interface X86dbgApi {
  debugRegisters: DebugRegistersTreeProvider;
  state: DebugRegistersState;
  terminals: GuestTerminals;
  bitMap: BitMapPanel;
  diagnostics: AssemblerDiagnostics;
}

/** Registers every contribution of the extension. */
export function activate(context: vscode.ExtensionContext): X86dbgApi {
  const state = new DebugRegistersState();
  const debugRegisters = new DebugRegistersTreeProvider(state);
  const terminals = new GuestTerminals();
  const bitMap = new BitMapPanel(state);
  const diagnostics = new AssemblerDiagnostics();
  context.subscriptions.push(
    state,
    debugRegisters,
    terminals,
    bitMap,
    diagnostics,
    vscode.debug.registerDebugConfigurationProvider('x86dbg', new X86ConfigurationProvider()),
    vscode.debug.registerDebugConfigurationProvider('x86dbg', new X86DynamicConfigurationProvider(), vscode.DebugConfigurationProviderTriggerKind.Dynamic),
    vscode.debug.registerDebugAdapterDescriptorFactory('x86dbg', new X86AdapterFactory(context, terminals)),
    ...registerDebugRegistersView(state, debugRegisters),
    ...registerCommands(bitMap),
    ...registerLanguageFeatures(),
  );
  return { debugRegisters, state, terminals, bitMap, diagnostics };
}

/** Nothing beyond the subscriptions, which VS Code disposes. */
export function deactivate(): void {
  // subscriptions are disposed by VS Code
}
