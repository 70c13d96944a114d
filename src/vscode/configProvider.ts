// The x86dbg DebugConfigurationProvider: F5 on an assembly file with no launch.json debugs it (the
// configuration is filled in and the environment and bits inferred by assembling the source),
// initial configurations for a new launch.json, and dynamic configurations (one per .asm file).
// Imports 'vscode', Node's path and src/adapter/sourceAssembly (the assembly a launch reuses).
import * as path from 'path';
import * as vscode from 'vscode';
import { assembleSourceFile } from '../adapter/sourceAssembly';
import { fillInferredLaunch } from './launchInference';

/** Language ids whose files x86dbg can debug (ours and other assembly extensions'). */
export const assemblyLanguageIds = ['x86asm', 'asm', 'nasm', 'asm-collection', 'assembly'];

const sourceExtensions = new Set(['.asm', '.nasm', '.s', '.inc']);

/**
 * Environment and bits as the assembler infers them from a source file; undefined when unknown.
 * The assembly goes through the launch's process-wide cache, so the inline adapter's launch that
 * follows F5 reuses it instead of assembling the same file a second time.
 */
export function inferFromSource(file: string): { environment?: string; bits?: number } | undefined {
  if (!sourceExtensions.has(path.extname(file).toLowerCase())) return undefined;
  const result = assembleSourceFile(file);
  if (!result.ok) return undefined;
  return { environment: result.program.environment, bits: result.program.bits };
}

/** A launch configuration that debugs one file. */
export function configurationFor(file: string, noDebug = false): vscode.DebugConfiguration {
  return { type: 'x86dbg', request: 'launch', name: `x86dbg: ${noDebug ? 'Run' : 'Debug'} ${path.basename(file)}`, program: file, stopOnEntry: false, ...(noDebug ? { noDebug: true } : {}) };
}

/** Provider for initial configurations (launch.json), F5 without launch.json, and environment inference. */
export class X86ConfigurationProvider implements vscode.DebugConfigurationProvider {
  provideDebugConfigurations(): vscode.DebugConfiguration[] {
    return [{ type: 'x86dbg', request: 'launch', name: 'x86dbg: debug the current file', program: '${file}', stopOnEntry: false }];
  }

  resolveDebugConfiguration(folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration): vscode.DebugConfiguration | undefined {
    if (!config.type && !config.request && !config.name) {
      const editor = vscode.window.activeTextEditor;
      if (!editor || !assemblyLanguageIds.includes(editor.document.languageId)) {
        void vscode.window.showInformationMessage('x86dbg: open an assembly (.asm) file to debug it, or add a launch configuration.');
        return undefined;
      }
      return this.resolveDebugConfiguration(folder, configurationFor(editor.document.fileName));
    }
    if (!config.program) {
      void vscode.window.showErrorMessage('x86dbg: the launch configuration has no "program".');
      return undefined;
    }
    config.type = 'x86dbg';
    config.request = config.request ?? 'launch';
    config.name = config.name ?? 'x86dbg';
    config.console = config.console ?? 'integratedTerminal';
    // The guest's terminal carries the program's I/O: keep the Debug Console from taking the panel.
    if (config.console === 'integratedTerminal' && config.internalConsoleOptions === undefined) config.internalConsoleOptions = 'neverOpen';
    return config;
  }

  resolveDebugConfigurationWithSubstitutedVariables(folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration): vscode.DebugConfiguration {
    const base = typeof config.cwd === 'string' ? config.cwd : folder?.uri.fsPath;
    const program = typeof config.program === 'string' && base && !path.isAbsolute(config.program) ? path.join(base, config.program) : config.program;
    if (typeof program === 'string' && (config.environment === undefined || config.bits === undefined)) {
      fillInferredLaunch(config, inferFromSource(program));
    }
    return config;
  }
}

/** Dynamic configurations: one per assembly source in the workspace (the "x86dbg" entry of the F5 picker). */
export class X86DynamicConfigurationProvider implements vscode.DebugConfigurationProvider {
  async provideDebugConfigurations(folder: vscode.WorkspaceFolder | undefined): Promise<vscode.DebugConfiguration[]> {
    const pattern = folder ? new vscode.RelativePattern(folder, '**/*.{asm,nasm}') : '**/*.{asm,nasm}';
    const files = await vscode.workspace.findFiles(pattern, '**/node_modules/**', 50);
    return files.map((uri) => uri.fsPath).sort().map((file) => configurationFor(file));
  }
}
