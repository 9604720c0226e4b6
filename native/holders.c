/*
 * isolens-holders: what keeps namespaces alive besides their members (namespaces(7) "Namespace
 * lifetime"), the fd and thread part: every /proc/PID/fd/N whose link names a namespace, and every
 * /proc/PID/task/TID/ns/X of a multi-threaded process that differs from its leader's.
 *
 * Usage: isolens-holders [PROCROOT]   (default /proc; a fixture tree in tests)
 * Prints one line per holder, then a last line with the number of process directories scanned
 * and the time the scan took (CLOCK_MONOTONIC, microseconds):
 *   fd PID FD TYPE INODE
 *   task PID TID TYPE INODE
 *   done COUNT MICROSECONDS
 * TYPE is a namespace kind (pid_for_children names a "pid" namespace). Vanished or unreadable
 * processes, and link targets that are not namespaces, are skipped silently. Read-only: it only
 * reads directories and links.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "holders-scan.h"

int main(int argc, char **argv) {
  long long started = now_us();
  const char *root = argc > 1 ? argv[1] : "/proc";
  /* Node reads the output only once it is done with the process table: keep it in memory meanwhile. */
  static char out[1 << 20];
  setvbuf(stdout, out, _IOFBF, sizeof out);
  DIR *proc = opendir(root);
  if (proc == NULL) {
    perror(root);
    return 2;
  }
  int rootfd = dirfd(proc);
  note_root(rootfd);
  long scanned = 0;
  struct dirent *e;
  while ((e = readdir(proc)) != NULL) {
    if (!is_number(e->d_name)) continue;
    int pidfd = openat(rootfd, e->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (pidfd < 0) continue;
    scanned++;
    scan_fds(pidfd, e->d_name);
    scan_tasks(pidfd, e->d_name);
    close(pidfd);
  }
  closedir(proc);
  printf("done %ld %lld\n", scanned, now_us() - started);
  return fflush(stdout) == 0 ? 0 : 1;
}
