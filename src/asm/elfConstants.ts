// Numeric constants of the ELF format (System V gABI and the x86 psABIs) shared by the ELF reader
// and writer. Data only; imports nothing.

/** e_ident[EI_CLASS] */
export const ELFCLASS32 = 1;
export const ELFCLASS64 = 2;
/** e_ident[EI_DATA]: little-endian */
export const ELFDATA2LSB = 1;
/** e_type */
export const ET_REL = 1;
export const ET_EXEC = 2;
export const ET_DYN = 3;
/** e_machine */
export const EM_386 = 3;
export const EM_X86_64 = 62;
/** p_type */
export const PT_LOAD = 1;
export const PT_INTERP = 3;
/** p_flags */
export const PF_X = 1;
export const PF_W = 2;
export const PF_R = 4;
/** sh_type */
export const SHT_NULL = 0;
export const SHT_PROGBITS = 1;
export const SHT_SYMTAB = 2;
export const SHT_STRTAB = 3;
export const SHT_NOBITS = 8;
/** sh_flags */
export const SHF_WRITE = 1;
export const SHF_ALLOC = 2;
export const SHF_EXECINSTR = 4;
export const SHF_COMPRESSED = 0x800;
/** Special section indexes */
export const SHN_UNDEF = 0;
export const SHN_ABS = 0xfff1;
export const SHN_COMMON = 0xfff2;
export const SHN_XINDEX = 0xffff;
/** Symbol binding (st_info >> 4) and type (st_info & 15) */
export const STB_LOCAL = 0;
export const STB_GLOBAL = 1;
export const STB_WEAK = 2;
export const STT_NOTYPE = 0;
export const STT_OBJECT = 1;
export const STT_FUNC = 2;
export const STT_SECTION = 3;
export const STT_FILE = 4;
export const STT_TLS = 6;

/** Sizes of the fixed headers per class. */
export const ELF32_EHDR_SIZE = 52;
export const ELF64_EHDR_SIZE = 64;
export const ELF32_PHDR_SIZE = 32;
export const ELF64_PHDR_SIZE = 56;
export const ELF32_SHDR_SIZE = 40;
export const ELF64_SHDR_SIZE = 64;
export const ELF32_SYM_SIZE = 16;
export const ELF64_SYM_SIZE = 24;

/** The four magic bytes every ELF file starts with. */
export const ELF_MAGIC = [0x7f, 0x45, 0x4c, 0x46] as const;
