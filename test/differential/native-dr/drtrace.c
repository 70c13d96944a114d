/* drtrace: runs a static x86-64 program under ptrace with the real DR0-DR7 armed (PTRACE_POKEUSER
 * into u_debugreg) or single-stepped, and prints one line per SIGTRAP: the DR6 the kernel reports
 * and RIP, so test/differential/hwdebug.test.ts can compare the emulator's debugger layer with the
 * hardware.
 * Usage: drtrace --probe                       exit 0 if a hardware watchpoint fires on this machine
 *        drtrace STEP DR7 DR0 DR1 DR2 DR3 PROG  (numbers in hex; STEP 1 = PTRACE_SINGLESTEP)
 * Output: "trap DR6 RIP" lines (hex), then "exit CODE" or "signal N". At most 100000 traps. */
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#define DR_OFFSET(n) (offsetof(struct user, u_debugreg) + (n) * sizeof(long))

static volatile int probe_target;

static int set_dr(pid_t pid, int n, unsigned long value) {
  if (ptrace(PTRACE_POKEUSER, pid, (void *)DR_OFFSET(n), (void *)value) != 0) {
    fprintf(stderr, "drtrace: POKEUSER DR%d=%lx: errno %d\n", n, value, errno);
    return -1;
  }
  return 0;
}

static int probe(void) {
  pid_t pid = fork();
  if (pid == 0) {
    ptrace(PTRACE_TRACEME, 0, 0, 0);
    raise(SIGSTOP);
    probe_target = 1;
    _exit(0);
  }
  int status;
  waitpid(pid, &status, 0);
  if (set_dr(pid, 0, (unsigned long)&probe_target) || set_dr(pid, 7, 0xd0001)) return 2;
  ptrace(PTRACE_CONT, pid, 0, 0);
  waitpid(pid, &status, 0);
  if (WIFSTOPPED(status) && WSTOPSIG(status) == SIGTRAP) {
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    printf("hardware watchpoints fire\n");
    return 0;
  }
  printf("hardware watchpoints do not fire on this machine\n");
  return 1;
}

int main(int argc, char **argv) {
  if (argc == 2 && argv[1][0] == '-') return probe();
  if (argc != 8) {
    fprintf(stderr, "usage: drtrace --probe | drtrace STEP DR7 DR0 DR1 DR2 DR3 PROG\n");
    return 2;
  }
  int step = atoi(argv[1]);
  unsigned long dr7 = strtoul(argv[2], 0, 16);
  pid_t pid = fork();
  if (pid == 0) {
    ptrace(PTRACE_TRACEME, 0, 0, 0);
    execl(argv[7], argv[7], (char *)0);
    _exit(127);
  }
  int status;
  waitpid(pid, &status, 0); /* the SIGTRAP after execve: the new image is mapped */
  if (!WIFSTOPPED(status)) return 3;
  for (int n = 0; n < 4; n++)
    if (set_dr(pid, n, strtoul(argv[3 + n], 0, 16))) return 3;
  if (dr7 && set_dr(pid, 7, dr7)) return 3;
  for (int traps = 0; traps < 100000; traps++) {
    ptrace(step ? PTRACE_SINGLESTEP : PTRACE_CONT, pid, 0, 0);
    waitpid(pid, &status, 0);
    if (WIFEXITED(status)) {
      printf("exit %d\n", WEXITSTATUS(status));
      return 0;
    }
    if (WIFSIGNALED(status)) {
      printf("signal %d\n", WTERMSIG(status));
      return 0;
    }
    if (WSTOPSIG(status) != SIGTRAP) {
      printf("signal %d\n", WSTOPSIG(status));
      kill(pid, SIGKILL);
      return 0;
    }
    unsigned long dr6 = (unsigned long)ptrace(PTRACE_PEEKUSER, pid, (void *)DR_OFFSET(6), 0);
    struct user_regs_struct regs;
    ptrace(PTRACE_GETREGS, pid, 0, &regs);
    printf("trap %lx %llx\n", dr6, regs.rip);
    set_dr(pid, 6, 0);
  }
  kill(pid, SIGKILL);
  printf("too many traps\n");
  return 0;
}
