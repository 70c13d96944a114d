// Recognises MOV to/from DRn (0F 21 /r, 0F 23 /r after any legacy prefixes and, in 64-bit mode, a
// REX prefix) from raw instruction bytes, so the debugger layer's general detect (DR7.GD in its own
// slots, KVM handle_dr style) can stop before such an instruction runs. Imports nothing.

/** Legacy prefix bytes (SDM Vol. 2 §2.1.1): operand/address size, LOCK, REP/REPNE, segment overrides. */
function isLegacyPrefix(b: number): boolean {
  return b === 0x66 || b === 0x67 || b === 0xf0 || b === 0xf2 || b === 0xf3 ||
    b === 0x26 || b === 0x2e || b === 0x36 || b === 0x3e || b === 0x64 || b === 0x65;
}

/**
 * The debug register a MOV DRn instruction at the start of `bytes` (first `length` valid) names
 * (ModRM.reg plus REX.R: 0–15), or -1 when the bytes are not MOV to/from a debug register.
 * `mode64` decides whether 40h–4Fh are REX prefixes (otherwise they are INC/DEC).
 */
export function movDrIndex(bytes: Uint8Array, length: number, mode64: boolean): number {
  let i = 0;
  let rexR = 0;
  while (i < length && isLegacyPrefix(bytes[i])) i++;
  if (mode64) {
    // Only a REX directly before the opcode counts; a legacy prefix after REX cancels it.
    while (i < length && (bytes[i] & 0xf0) === 0x40) {
      rexR = (bytes[i] & 4) << 1;
      i++;
      while (i < length && isLegacyPrefix(bytes[i])) { rexR = 0; i++; }
    }
  }
  if (i + 2 >= length || bytes[i] !== 0x0f) return -1;
  const op = bytes[i + 1];
  if (op !== 0x21 && op !== 0x23) return -1;
  return ((bytes[i + 2] >>> 3) & 7) | rexR;
}
