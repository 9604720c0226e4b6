// The floor: what a full snapshot reads from /proc, done in plain C with nothing else.
// For every /proc/PID (proc(5)): stat, status, cmdline and cgroup read whole into one reused
// buffer, then the 9 ns links (namespaces(7)) with readlink(2), in the collector's order
// (electron/collector/procfs/process.ts). Prints "<processes> <elapsed ms>" and exits 0.
// With MODE "stat", reads only /proc/PID/stat: the floor of a steady tick.
// usage: floor [PROCROOT [all|stat]]   (compiled by bench/floor.ts: gcc -O2)
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static char *buf;
static size_t cap = 16 * 1024;
static volatile size_t sink; // keeps the reads from being optimised away

// Reads a whole file (proc(5) files report size 0), stopping at the first read that does not
// fill the buffer, as the collector does for a process's stat, status, cmdline and cgroup (the
// kernel renders them whole before the first read returns); -1 when it cannot be opened.
static long read_whole(const char *path) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  size_t len = 0;
  for (;;) {
    if (len == cap) {
      cap *= 2;
      buf = realloc(buf, cap);
      if (!buf) abort();
    }
    size_t room = cap - len;
    ssize_t n = read(fd, buf + len, room);
    if (n <= 0) break;
    len += (size_t)n;
    if ((size_t)n < room) break;
  }
  close(fd);
  sink += len;
  return (long)len;
}

static const char *const FILES[] = {"stat", "status", "cmdline", "cgroup"};
static const char *const LINKS[] = {"cgroup", "ipc", "mnt", "net", "pid", "pid_for_children", "time", "user", "uts"};

int main(int argc, char **argv) {
  const char *root = argc > 1 ? argv[1] : "/proc";
  int stat_only = argc > 2 && strcmp(argv[2], "stat") == 0;
  buf = malloc(cap);
  if (!buf) return 2;
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  DIR *d = opendir(root);
  if (!d) {
    perror(root);
    return 1;
  }
  long processes = 0;
  char path[512];
  char target[256];
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] < '1' || e->d_name[0] > '9') continue;
    snprintf(path, sizeof path, "%s/%s/stat", root, e->d_name);
    if (read_whole(path) < 0) continue; // vanished
    processes++;
    if (stat_only) continue;
    for (size_t i = 1; i < sizeof FILES / sizeof FILES[0]; i++) {
      snprintf(path, sizeof path, "%s/%s/%s", root, e->d_name, FILES[i]);
      read_whole(path);
    }
    for (size_t i = 0; i < sizeof LINKS / sizeof LINKS[0]; i++) {
      snprintf(path, sizeof path, "%s/%s/ns/%s", root, e->d_name, LINKS[i]);
      ssize_t n = readlink(path, target, sizeof target);
      if (n > 0) sink += (size_t)n;
    }
  }
  closedir(d);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
  printf("%ld %.3f\n", processes, ms);
  free(buf);
  return 0;
}
