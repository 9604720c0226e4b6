/*
 * The bench's command runner: runs the reference commands (lsns -J, ps, the C floor, the CLI) from
 * a process of its own, small, instead of from the bench's Node process. A fork of Node costs
 * milliseconds that the command's time would include (its heap's page tables copied), and leaves
 * Node's pages copy-on-write: whatever Node measured next paid a page fault per page it wrote.
 * Read-only: it runs what it is asked to, with stdin from /dev/null.
 *
 * Input: one command per line, its fields separated by tabs: CAPTURE (1: keep its stdout, 0: send
 * it to /dev/null), then the program (looked up in PATH) and its arguments. For each command:
 *   STATUS MICROSECONDS LEN\n<LEN bytes of its stdout>
 * STATUS: its exit status, 128 + the signal that killed it, or 127 when it could not be started;
 * MICROSECONDS: from before the fork to its end (CLOCK_MONOTONIC). Its stderr goes to this
 * program's stderr. Exits at the end of its input.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_ARGS 64

static long long now_us(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (long long)t.tv_sec * 1000000 + t.tv_nsec / 1000;
}

int main(void) {
  static char line[1 << 16];
  char *out = NULL;
  size_t cap = 0;
  while (fgets(line, sizeof line, stdin) != NULL) {
    line[strcspn(line, "\n")] = '\0';
    char *argv[MAX_ARGS + 1];
    int argc = 0;
    for (char *f = strtok(line, "\t"); f != NULL && argc < MAX_ARGS; f = strtok(NULL, "\t")) argv[argc++] = f;
    argv[argc] = NULL;
    if (argc < 2) {
      printf("127 0 0\n");
      fflush(stdout);
      continue;
    }
    int capture = strcmp(argv[0], "1") == 0;
    int pipefd[2] = { -1, -1 };
    if (capture && pipe2(pipefd, O_CLOEXEC) != 0) {
      perror("runner: pipe");
      return 2;
    }
    long long started = now_us();
    pid_t pid = fork();
    if (pid < 0) {
      perror("runner: fork");
      return 2;
    }
    if (pid == 0) {
      int null = open("/dev/null", O_RDWR);
      if (null < 0) _exit(127);
      dup2(null, STDIN_FILENO);
      dup2(capture ? pipefd[1] : null, STDOUT_FILENO);
      execvp(argv[1], argv + 1);
      _exit(127);
    }
    size_t len = 0;
    if (capture) {
      close(pipefd[1]);
      for (;;) {
        if (len == cap) {
          cap = cap == 0 ? 1 << 16 : cap * 2;
          out = realloc(out, cap);
          if (out == NULL) return 2;
        }
        ssize_t n = read(pipefd[0], out + len, cap - len);
        if (n <= 0) break;
        len += (size_t)n;
      }
      close(pipefd[0]);
    }
    int w = 0;
    waitpid(pid, &w, 0);
    long long us = now_us() - started;
    int status = WIFEXITED(w) ? WEXITSTATUS(w) : WIFSIGNALED(w) ? 128 + WTERMSIG(w) : 127;
    printf("%d %lld %zu\n", status, us, len);
    fwrite(out, 1, len, stdout);
    fflush(stdout);
  }
  return 0;
}
