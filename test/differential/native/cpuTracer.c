/*
 * cpuTracer.c — runs single x86-64 instructions on the real CPU for the per-instruction
 * differential test (test/differential/instructions*.test.ts).
 *
 * Design: the tracer forks one tracee that maps a code page (RWX) at CODE_ADDR and a data page
 * (RW) at DATA_ADDR — the page after it stays unmapped so accesses past it fault — and stops
 * itself under PTRACE_TRACEME. For each test vector read from stdin the tracer writes the
 * instruction bytes followed by INT3 into the code page and the 256-byte data window into the
 * last 256 bytes of the data page (process_vm_writev, falling back to PTRACE_POKEDATA), sets all
 * sixteen GPRs, RIP and RFLAGS with PTRACE_SETREGS, and resumes. The tracee either reaches the
 * INT3 (SIGTRAP with RIP past it: the instruction completed) or stops with the signal its fault
 * raised (SIGFPE for #DE, SIGILL for #UD, SIGSEGV for #GP/#PF, SIGBUS for #SS/#AC) with RIP on the
 * faulting instruction; the signal is then discarded. Registers, RFLAGS and the data window are
 * read back and printed as one text line. One process serves every vector (no fork per vector).
 *
 * Input  (one vector per line, all numbers hex):
 *   V <id> <code bytes> <rax> <rcx> <rdx> <rbx> <rsp> <rbp> <rsi> <rdi> <r8> ... <r15> <rflags> <window 256 bytes>
 * Output (one line per vector):
 *   R <id> <T|S> <signal> <si_code> <si_addr> <rip> <16 GPRs in the same order> <rflags> <window>
 *   T: the instruction completed (signal 0); S: it raised `signal`.
 * A line "READY <code addr> <data window addr>" is printed first.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#define CODE_ADDR 0x10000000UL
#define DATA_ADDR 0x20000000UL
#define PAGE 4096UL
#define WINDOW_SIZE 256UL
#define WINDOW_ADDR (DATA_ADDR + PAGE - WINDOW_SIZE)
#define MAX_CODE 32

static pid_t child;
static int use_vm_io = 1;

static void die(const char *what) {
  fprintf(stderr, "cpuTracer: %s: %s\n", what, strerror(errno));
  if (child > 0) kill(child, SIGKILL);
  exit(2);
}

static void tracee(void) {
  void *c = mmap((void *)CODE_ADDR, PAGE, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
  void *d = mmap((void *)DATA_ADDR, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
  if (c == MAP_FAILED || d == MAP_FAILED) _exit(3);
  munmap((void *)(DATA_ADDR + PAGE), PAGE);
  if (ptrace(PTRACE_TRACEME, 0, 0, 0) != 0) _exit(4);
  raise(SIGSTOP);
  _exit(0);
}

static void poke_bytes(unsigned long addr, const uint8_t *src, size_t len) {
  if (use_vm_io) {
    struct iovec local = {(void *)src, len}, remote = {(void *)addr, len};
    if (process_vm_writev(child, &local, 1, &remote, 1, 0) == (ssize_t)len) return;
    use_vm_io = 0;
  }
  for (size_t off = 0; off < len; off += 8) {
    unsigned long a = addr + off;
    errno = 0;
    long word = ptrace(PTRACE_PEEKDATA, child, (void *)a, 0);
    if (errno) die("PEEKDATA");
    size_t n = len - off < 8 ? len - off : 8;
    memcpy(&word, src + off, n);
    if (ptrace(PTRACE_POKEDATA, child, (void *)a, (void *)word) != 0) die("POKEDATA");
  }
}

static void peek_bytes(unsigned long addr, uint8_t *dst, size_t len) {
  if (use_vm_io) {
    struct iovec local = {dst, len}, remote = {(void *)addr, len};
    if (process_vm_readv(child, &local, 1, &remote, 1, 0) == (ssize_t)len) return;
    use_vm_io = 0;
  }
  for (size_t off = 0; off < len; off += 8) {
    errno = 0;
    long word = ptrace(PTRACE_PEEKDATA, child, (void *)(addr + off), 0);
    if (errno) die("PEEKDATA");
    size_t n = len - off < 8 ? len - off : 8;
    memcpy(dst + off, &word, n);
  }
}

static int hexval(int c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* Parses a hex byte string into out (max bytes); returns the count or -1. */
static int parse_bytes(const char *s, uint8_t *out, int max) {
  int n = 0;
  while (s[0] && s[1]) {
    int hi = hexval(s[0]), lo = hexval(s[1]);
    if (hi < 0 || lo < 0 || n >= max) return -1;
    out[n++] = (uint8_t)(hi * 16 + lo);
    s += 2;
  }
  return s[0] ? -1 : n;
}

static unsigned long long *gpr_slot(struct user_regs_struct *r, int i) {
  switch (i) {
    case 0: return &r->rax; case 1: return &r->rcx; case 2: return &r->rdx; case 3: return &r->rbx;
    case 4: return &r->rsp; case 5: return &r->rbp; case 6: return &r->rsi; case 7: return &r->rdi;
    case 8: return &r->r8; case 9: return &r->r9; case 10: return &r->r10; case 11: return &r->r11;
    case 12: return &r->r12; case 13: return &r->r13; case 14: return &r->r14; default: return &r->r15;
  }
}

int main(void) {
  child = fork();
  if (child < 0) die("fork");
  if (child == 0) tracee();
  int status;
  if (waitpid(child, &status, 0) != child || !WIFSTOPPED(status)) die("tracee did not stop");
  ptrace(PTRACE_SETOPTIONS, child, 0, (void *)PTRACE_O_EXITKILL);
  struct user_regs_struct base;
  if (ptrace(PTRACE_GETREGS, child, 0, &base) != 0) die("GETREGS");
  printf("READY %lx %lx\n", CODE_ADDR, WINDOW_ADDR);
  fflush(stdout);

  static char line[8192];
  static char tok_code[256], tok_window[1024];
  while (fgets(line, sizeof line, stdin)) {
    if (line[0] != 'V') continue;
    char id[64];
    unsigned long long v[17];
    int got = sscanf(line, "V %63s %255s %llx %llx %llx %llx %llx %llx %llx %llx %llx %llx %llx %llx %llx %llx %llx %llx %llx %1023s",
                     id, tok_code, &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7], &v[8], &v[9], &v[10], &v[11],
                     &v[12], &v[13], &v[14], &v[15], &v[16], tok_window);
    uint8_t code[MAX_CODE + 1], window[WINDOW_SIZE];
    int codeLen = got == 20 ? parse_bytes(tok_code, code, MAX_CODE) : -1;
    if (codeLen <= 0 || parse_bytes(tok_window, window, WINDOW_SIZE) != (int)WINDOW_SIZE) {
      printf("E %s bad vector line\n", got >= 1 ? id : "?");
      fflush(stdout);
      continue;
    }
    code[codeLen++] = 0xCC; /* INT3 ends the vector */
    struct iovec local[2] = {{code, (size_t)codeLen}, {window, WINDOW_SIZE}};
    struct iovec remote[2] = {{(void *)CODE_ADDR, (size_t)codeLen}, {(void *)WINDOW_ADDR, WINDOW_SIZE}};
    if (!use_vm_io || process_vm_writev(child, local, 2, remote, 2, 0) != (ssize_t)(codeLen + WINDOW_SIZE)) {
      poke_bytes(CODE_ADDR, code, (size_t)codeLen);
      poke_bytes(WINDOW_ADDR, window, WINDOW_SIZE);
    }
    struct user_regs_struct r = base;
    for (int i = 0; i < 16; i++) *gpr_slot(&r, i) = v[i];
    r.rip = CODE_ADDR;
    /* CF PF AF ZF SF DF OF from the vector; IF and bit 1 as the kernel requires. */
    r.eflags = (v[16] & 0xCD5ULL) | 0x202ULL;
    if (ptrace(PTRACE_SETREGS, child, 0, &r) != 0) die("SETREGS");
    if (ptrace(PTRACE_CONT, child, 0, 0) != 0) die("CONT");
    if (waitpid(child, &status, 0) != child) die("waitpid");
    if (!WIFSTOPPED(status)) {
      printf("X %s tracee ended (status %d)\n", id, status);
      return 3;
    }
    int sig = WSTOPSIG(status);
    if (ptrace(PTRACE_GETREGS, child, 0, &r) != 0) die("GETREGS");
    peek_bytes(WINDOW_ADDR, window, WINDOW_SIZE);
    int completed = sig == SIGTRAP && r.rip == CODE_ADDR + (unsigned long)codeLen;
    siginfo_t si;
    memset(&si, 0, sizeof si);
    if (!completed) ptrace(PTRACE_GETSIGINFO, child, 0, &si);
    printf("R %s %c %d %d %lx %llx", id, completed ? 'T' : 'S', completed ? 0 : sig, completed ? 0 : si.si_code,
           completed ? 0UL : (unsigned long)si.si_addr, r.rip);
    for (int i = 0; i < 16; i++) printf(" %llx", *gpr_slot(&r, i));
    printf(" %llx ", r.eflags);
    for (unsigned i = 0; i < WINDOW_SIZE; i++) printf("%02x", window[i]);
    putchar('\n');
  }
  fflush(stdout);
  kill(child, SIGKILL);
  waitpid(child, &status, 0);
  return 0;
}
