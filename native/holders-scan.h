/*
 * The fd and thread scan for namespace holders (namespaces(7) "Namespace lifetime"), shared by
 * isolens-holders (holders.c) and isolens-table (table.c). Prints, for one process directory:
 *   fd PID FD TYPE INODE        an open fd whose link names a namespace (proc(5) /proc/PID/fd)
 *   task PID TID TYPE INODE     a thread whose ns link differs from its leader's (/proc/PID/task/TID/ns)
 * Also the clock both helpers report their own time by. Include once per program: everything here is static.
 */
#ifndef ISOLENS_HOLDERS_SCAN_H
#define ISOLENS_HOLDERS_SCAN_H
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>

#define MAX_SAFE 9007199254740991ULL /* 2^53 - 1: the ids must fit a JavaScript number */

static const char *const KINDS[] = { "cgroup", "ipc", "mnt", "net", "pid", "time", "user", "uts" };
#define NKINDS (sizeof KINDS / sizeof KINDS[0])

/* The ns links a thread can change on its own (setns(2), unshare(2)), and the kind each names. */
static const struct { const char *link; const char *kind; } TASK_LINKS[] = {
  { "cgroup", "cgroup" }, { "ipc", "ipc" }, { "mnt", "mnt" }, { "net", "net" },
  { "pid_for_children", "pid" }, { "time", "time" }, { "user", "user" }, { "uts", "uts" },
};
#define NLINKS (sizeof TASK_LINKS / sizeof TASK_LINKS[0])

/* A decimal name of 1..10 digits (a pid, tid or fd). */
static int is_number(const char *s) {
  size_t n = 0;
  for (; s[n] != '\0'; n++) if (s[n] < '0' || s[n] > '9' || n >= 10) return 0;
  return n > 0;
}

/*
 * A link target `KIND:[INODE]` with a known kind: returns the kind (static) and sets *ino;
 * NULL for anything else (paths, sockets, pipes, anon inodes, malformed text).
 */
static const char *ns_target(const char *t, unsigned long long *ino) {
  if (t[0] == '/') return NULL; /* most fds are files: one byte decides */
  const char *colon = strchr(t, ':');
  if (colon == NULL || colon[1] != '[') return NULL;
  size_t klen = (size_t)(colon - t);
  const char *kind = NULL;
  for (size_t i = 0; i < NKINDS; i++) {
    if (strlen(KINDS[i]) == klen && strncmp(KINDS[i], t, klen) == 0) {
      kind = KINDS[i];
      break;
    }
  }
  if (kind == NULL) return NULL;
  const char *d = colon + 2;
  unsigned long long v = 0;
  size_t n = 0;
  for (; d[n] >= '0' && d[n] <= '9'; n++) {
    if (n >= 16) return NULL;
    v = v * 10 + (unsigned long long)(d[n] - '0');
  }
  if (n == 0 || d[n] != ']' || d[n + 1] != '\0' || v > MAX_SAFE) return NULL;
  *ino = v;
  return kind;
}

/* readlinkat into buf (NUL-terminated); -1 with errno set when unreadable or too long for buf (ENAMETOOLONG). */
static int read_link(int dirfd, const char *name, char *buf, size_t size) {
  ssize_t n = readlinkat(dirfd, name, buf, size - 1);
  if (n < 0) return -1;
  if ((size_t)n >= size - 1) {
    errno = ENAMETOOLONG;
    return -1;
  }
  buf[n] = '\0';
  return 0;
}

/* Prints fd PID FD KIND INODE when the link target names a namespace. */
static void fd_holder(const char *pid, const char *fd, const char *target) {
  unsigned long long ino;
  const char *kind = ns_target(target, &ino);
  if (kind != NULL) printf("fd %s %s %s %llu\n", pid, fd, kind, ino);
}

static int fd_dir_counts; /* set by note_root: the root is procfs (not a fixture tree) */

/* Call once with the fd of the proc root: only procfs sizes fd directories by their fds. */
static void note_root(int rootfd) {
  struct statfs fs;
  fd_dir_counts = fstatfs(rootfd, &fs) == 0 && fs.f_type == PROC_SUPER_MAGIC;
}

/*
 * Since Linux 6.2 the size of /proc/PID/fd is the number of open fds. When they are 0..N-1, as
 * in most processes, their links are read without listing the directory (saving an open, an
 * fstat, two getdents and a close). Returns -1 when that covered them all (or the process is
 * gone or not ours: the listing would find nothing either), else how many leading fds were read
 * (a gap, a kernel before 6.2, more fds than are worth trying): the listing does the rest.
 */
static int scan_dense_fds(int pidfd, const char *pid) {
  if (!fd_dir_counts) return 0;
  struct stat st;
  if (fstatat(pidfd, "fd", &st, 0) != 0) return -1;
  if (st.st_size <= 0 || st.st_size > 64) return 0;
  char path[16], target[256];
  for (int fd = 0; fd < (int)st.st_size; fd++) {
    snprintf(path, sizeof path, "fd/%d", fd);
    if (read_link(pidfd, path, target, sizeof target) != 0) {
      if (errno == ENAMETOOLONG) continue; /* too long to name a namespace */
      return errno == ENOENT ? fd : -1;
    }
    fd_holder(pid, path + 3, target);
  }
  return -1;
}

static void scan_fds(int pidfd, const char *pid) {
  int done = scan_dense_fds(pidfd, pid);
  if (done < 0) return;
  int dfd = openat(pidfd, "fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0) return; /* vanished, or not ours to read */
  DIR *dir = fdopendir(dfd);
  if (dir == NULL) {
    close(dfd);
    return;
  }
  char target[256];
  struct dirent *e;
  while ((e = readdir(dir)) != NULL) {
    if (!is_number(e->d_name) || atol(e->d_name) < done) continue;
    if (read_link(dfd, e->d_name, target, sizeof target) != 0) continue;
    fd_holder(pid, e->d_name, target);
  }
  closedir(dir);
}

/* The inode a thread's ns link names, if it is of the expected kind; 0 when unreadable or not. */
static unsigned long long task_ns(int taskfd, const char *tid, size_t i) {
  char path[64], target[256];
  int n = snprintf(path, sizeof path, "%s/ns/%s", tid, TASK_LINKS[i].link);
  if (n < 0 || (size_t)n >= sizeof path) return 0;
  if (read_link(taskfd, path, target, sizeof target) != 0) return 0;
  unsigned long long ino;
  const char *kind = ns_target(target, &ino);
  return kind != NULL && strcmp(kind, TASK_LINKS[i].kind) == 0 ? ino : 0;
}

static void scan_tasks(int pidfd, const char *pid) {
  struct stat st;
  /* procfs gives task/ 2 + (number of threads) links: one thread costs nothing more. A file
   * system that does not count subdirectories (st_nlink 1) is read anyway. */
  if (fstatat(pidfd, "task", &st, 0) != 0 || st.st_nlink == 3) return;
  int tfd = openat(pidfd, "task", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (tfd < 0) return;
  DIR *dir = fdopendir(tfd);
  if (dir == NULL) {
    close(tfd);
    return;
  }
  unsigned long long leader[NLINKS];
  int have_leader = 0;
  struct dirent *e;
  while ((e = readdir(dir)) != NULL) {
    if (!is_number(e->d_name) || strcmp(e->d_name, pid) == 0) continue;
    if (!have_leader) {
      for (size_t i = 0; i < NLINKS; i++) leader[i] = task_ns(tfd, pid, i);
      have_leader = 1;
    }
    for (size_t i = 0; i < NLINKS; i++) {
      unsigned long long ino = task_ns(tfd, e->d_name, i);
      if (ino != 0 && ino != leader[i]) printf("task %s %s %s %llu\n", pid, e->d_name, TASK_LINKS[i].kind, ino);
    }
  }
  closedir(dir);
}

/* CLOCK_MONOTONIC in microseconds, for the helper's last line (done COUNT MICROSECONDS). */
static long long now_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

#endif
