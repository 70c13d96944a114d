// Length facts for the opcodes the table does not execute (x87, MMX, SSE, 3DNow!, VMX and other
// system extensions) in the 0F map, so the decoder can measure them and never misread the bytes
// after them (SDM Vol. 2 Appendix A, Table A-3; AMD APM Vol. 3 for 3DNow!/XOP).
// Data only. Imports nothing.

/** Family codes stored in `twoByteMapInfo` (bits 4..7). */
export const MapFamily = { None: 0, MmxOrSse: 1, Sse: 2, Mmx: 3, Now3D: 4, Other: 5 } as const;

/** Bit 0: has ModRM; bits 1..3: immediate bytes; bits 4..7: MapFamily. 0 = no such opcode (#UD). */
export const twoByteMapInfo: Uint8Array = (() => {
  const info = new Uint8Array(256);
  const set = (from: number, to: number, modrm: boolean, imm: number, family: number): void => {
    for (let op = from; op <= to; op++) info[op] = (modrm ? 1 : 0) | (imm << 1) | (family << 4);
  };
  set(0x10, 0x17, true, 0, MapFamily.Sse);
  set(0x28, 0x2f, true, 0, MapFamily.Sse);
  set(0x50, 0x5f, true, 0, MapFamily.Sse);
  set(0x60, 0x6f, true, 0, MapFamily.MmxOrSse);
  set(0x70, 0x73, true, 1, MapFamily.MmxOrSse);
  set(0x74, 0x76, true, 0, MapFamily.MmxOrSse);
  set(0x77, 0x77, false, 0, MapFamily.Mmx);
  set(0x7c, 0x7f, true, 0, MapFamily.MmxOrSse);
  set(0xc2, 0xc2, true, 1, MapFamily.Sse);
  set(0xc3, 0xc3, true, 0, MapFamily.Sse);
  set(0xc4, 0xc6, true, 1, MapFamily.MmxOrSse);
  set(0xd0, 0xfe, true, 0, MapFamily.MmxOrSse);
  set(0x0e, 0x0e, false, 0, MapFamily.Now3D);
  set(0x0f, 0x0f, true, 1, MapFamily.Now3D);
  set(0x37, 0x37, false, 0, MapFamily.Other);
  set(0xaa, 0xaa, false, 0, MapFamily.Other);
  // Group forms whose other ModRM values the table has no row for (VMX, monitor, hints, RDRAND...).
  set(0x01, 0x01, true, 0, MapFamily.Other);
  set(0x18, 0x1f, true, 0, MapFamily.Other);
  set(0x78, 0x79, true, 0, MapFamily.Other);
  set(0xae, 0xae, true, 0, MapFamily.Other);
  set(0xc7, 0xc7, true, 0, MapFamily.Other);
  return info;
})();

/** x87 escape opcodes D8..DF of the one-byte map: always a ModRM, never an immediate. */
export function isX87Escape(opcode: number): boolean {
  return opcode >= 0xd8 && opcode <= 0xdf;
}
