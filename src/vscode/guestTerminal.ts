// The guest console as an integrated terminal (a Pseudoterminal): guest stdout/stderr are written
// to it, and what the user types is echoed and sent line by line as `x86dbg.input` (Ctrl-D = end
// of input), like a cooked TTY. Imports 'vscode' only.
import * as vscode from 'vscode';

/** Sends a line of input (or end of input) to the guest. */
export type InputSink = (text: string, eof: boolean) => void;

/** One guest console terminal. */
export class GuestTerminal implements vscode.Pseudoterminal {
  private readonly writeEmitter = new vscode.EventEmitter<string>();
  private readonly closeEmitter = new vscode.EventEmitter<void>();
  readonly onDidWrite = this.writeEmitter.event;
  readonly onDidClose = this.closeEmitter.event;
  private opened = false;
  private pending = '';
  private line = '';
  /** Everything the guest wrote, as text (for the extension API and tests). */
  output = '';
  readonly terminal: vscode.Terminal;

  constructor(name: string, private readonly input: InputSink) {
    this.terminal = vscode.window.createTerminal({ name, pty: this, iconPath: new vscode.ThemeIcon('terminal') });
  }

  open(): void {
    this.opened = true;
    if (this.pending) this.writeEmitter.fire(this.pending);
    this.pending = '';
  }

  close(): void {
    this.opened = false;
  }

  /** Writes guest output (LF becomes CRLF for the terminal). */
  write(text: string): void {
    this.output += text;
    this.emit(text.replace(/\r?\n/g, '\r\n'));
  }

  /** Writes a status line in dim text (not part of the guest's output). */
  status(text: string): void {
    this.emit(`\r\n\x1b[2m${text}\x1b[0m\r\n`);
  }

  private emit(data: string): void {
    if (this.opened) this.writeEmitter.fire(data);
    else this.pending += data;
  }

  handleInput(data: string): void {
    for (const ch of data) {
      if (ch === '\r' || ch === '\n') {
        this.emit('\r\n');
        this.input(this.line + '\n', false);
        this.line = '';
      } else if (ch === '\x7f' || ch === '\b') {
        if (this.line.length > 0) {
          this.line = this.line.slice(0, -1);
          this.emit('\b \b');
        }
      } else if (ch === '\x04') {
        this.input(this.line, true);
        this.line = '';
      } else if (ch >= ' ') {
        this.line += ch;
        this.emit(ch);
      }
    }
  }

  dispose(): void {
    this.writeEmitter.dispose();
    this.closeEmitter.dispose();
  }
}
