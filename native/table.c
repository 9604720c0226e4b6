/*
 * isolens-table: the reads of a full snapshot of the process table, done in C and handed to Node
 * raw, so that Node only parses (with the same parsers as its own reads). Node runs it with two
 * parts: two processes sharing out the pids as they go, one per core. For each pid it reads,
 * relative to an fd of the process's directory (proc(5)):
 *   - /proc/PID/stat, status, cmdline and cgroup, whole (up to the first short read), of status
 *     only the lines Node parses (STATUS_KEYS);
 *   - the ns links of /proc/PID/ns (namespaces(7)) with readlinkat(2);
 *   - the first time a namespace is seen, its type, parent and owner (ns-ioctl.h: ioctl_ns(2)),
 *     as isolens-nsinfo prints them, so that a full snapshot need not start that helper after;
 *   - the fd and thread holders of namespaces (holders-scan.h, as isolens-holders prints them);
 *     the threads only of a process whose status says it has more than one.
 *
 * Usage: isolens-table [--serve] PROCROOT [PARTS] < PIDS   (decimal pids, one per line; PARTS default 1)
 * With PARTS > 1, PARTS processes read at once, each taking the next CHUNK pids no one has taken
 * yet, so a core that is faster (or not shared with Node's parsing) reads more of them; what
 * process K read is printed on fd 2 + K (process 0 on stdout; see run), in the order of the
 * input. With --serve it stays for more runs (Node keeps it, so that a full read costs no fork of
 * Node): each run's pids end with a line ".", and the end of the input ends it. Output, for each
 * pid read:
 *   P PID
 *   F NAME LEN\n<LEN bytes>     a file read (NAME: stat, status, cmdline, cgroup)
 *   L NAME LEN\n<LEN bytes>     an ns link's target (NAME: cgroup, ipc, mnt, net, pid, ...)
 *   E F|L NAME ERRNO            a file or link that could not be read, errno by name (ENOENT, EACCES)
 *   R PATH\tINODE\tTYPE\tPARENT\tOWNER   after a link naming a namespace not seen before (ns-ioctl.h)
 *   fd PID FD TYPE INODE        holders (holders-scan.h)
 *   task PID TID TYPE INODE
 * When stat cannot be read, nothing more of that pid is read. Last line of each process's output
 * in a run: done COUNT MICROSECONDS (COUNT: the pids it read; together they read each pid once);
 * on stdout, printed once the forked processes exited, "fail REASON" instead when one of them did
 * not read its share and write it whole. Exits 0 only when every run was done whole.
 * Read-only: it opens files, directories and nsfs files for reading and reads links, nothing else.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>

#include "holders-scan.h"
#include "ns-ioctl.h"

/* The files a process record is parsed from, in the order Node reads them (procfs/process.ts). */
static const char *const FILES[] = { "stat", "status", "cmdline", "cgroup" };
#define NFILES (sizeof FILES / sizeof FILES[0])

/* shared/namespaces.ts PROCESS_NAMESPACE_LINKS; a link missing here is read by Node itself. */
static const char *const LINKS[] = { "cgroup", "ipc", "mnt", "net", "pid", "pid_for_children", "time", "user", "uts" };
#define NLINKS_READ (sizeof LINKS / sizeof LINKS[0])

static char *buf;
static size_t cap = 64 * 1024;

/* The namespaces whose relations were printed: an open-addressing set of inodes (0 = empty). */
static unsigned long long *seen;
static size_t seen_cap, seen_len;

/* Where ino is, or the empty slot it would take (seen_cap > 0). */
static size_t seen_slot(unsigned long long ino) {
  size_t i = (size_t)(ino * 0x9E3779B97F4A7C15ULL) & (seen_cap - 1);
  while (seen[i] != 0 && seen[i] != ino) i = (i + 1) & (seen_cap - 1);
  return i;
}

static int seen_has(unsigned long long ino) {
  return seen_cap > 0 && seen[seen_slot(ino)] == ino;
}

static void seen_add(unsigned long long ino) {
  if (seen_len * 2 >= seen_cap) {
    size_t old_cap = seen_cap;
    unsigned long long *old = seen;
    seen_cap = old_cap == 0 ? 1024 : old_cap * 2;
    seen = calloc(seen_cap, sizeof *seen);
    if (seen == NULL) abort();
    for (size_t i = 0; i < old_cap; i++) if (old[i] != 0) seen[seen_slot(old[i])] = old[i];
    free(old);
  }
  size_t i = seen_slot(ino);
  if (seen[i] == 0) {
    seen[i] = ino;
    seen_len++;
  }
}

/* Forgets the namespaces seen (a new run tells them all again). */
static void seen_clear(void) {
  if (seen_cap > 0) memset(seen, 0, seen_cap * sizeof *seen);
  seen_len = 0;
}

/* The first time a namespace is seen: its type, parent and owner (ns-ioctl.h) on an R line. */
static void relations_once(const char *root, const char *pid, int pidfd, const char *link, const char *target) {
  unsigned long long ino;
  if (ns_target(target, &ino) == NULL || seen_has(ino)) return;
  char rel[64], path[4200];
  snprintf(rel, sizeof rel, "ns/%s", link);
  int fd = openat(pidfd, rel, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return; /* gone (the next member is asked), or not ours: isolens-nsinfo would fail the same way */
  snprintf(path, sizeof path, "%s/%s/%s", root, pid, rel);
  if (print_ns_relations("R ", path, fd) == 0) seen_add(ino);
  close(fd);
}

static const char *errno_name(int e) {
#if defined(__GLIBC__) && (__GLIBC__ > 2 || __GLIBC_MINOR__ >= 32)
  const char *name = strerrorname_np(e);
  if (name != NULL) return name;
#endif
  switch (e) {
    case ENOENT: return "ENOENT";
    case ESRCH: return "ESRCH";
    case EACCES: return "EACCES";
    case EPERM: return "EPERM";
    default: return "EIO";
  }
}

/* Reads NAME under dirfd to the first short read (procfs renders these files whole); -errno on failure. */
static long read_file(int dirfd, const char *name) {
  int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -errno;
  size_t len = 0;
  for (;;) {
    if (len == cap) {
      char *bigger = realloc(buf, cap * 2);
      if (bigger == NULL) {
        close(fd);
        return -ENOMEM;
      }
      buf = bigger;
      cap *= 2;
    }
    size_t room = cap - len;
    ssize_t n = read(fd, buf + len, room);
    if (n < 0) {
      int e = errno;
      close(fd);
      return -e;
    }
    if (n == 0) break;
    len += (size_t)n;
    if ((size_t)n < room) break;
  }
  close(fd);
  return (long)len;
}

/*
 * The status keys Node parses (procfs/status.ts KEYS): the other lines (about two thirds of the
 * file: memory, signals, cpus) are dropped here, so Node neither receives nor scans them.
 */
static const char *const STATUS_KEYS[] = {
  "Name", "Umask", "State", "Tgid", "Pid", "PPid", "Uid", "Gid", "NStgid", "NSpid", "NSpgid", "NSsid", "Threads",
  "CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb", "NoNewPrivs", "Seccomp", "Seccomp_filters", "VmRSS",
};
#define NSTATUS_KEYS (sizeof STATUS_KEYS / sizeof STATUS_KEYS[0])

static int status_key(const char *line, size_t klen) {
  for (size_t i = 0; i < NSTATUS_KEYS; i++)
    if (strlen(STATUS_KEYS[i]) == klen && memcmp(STATUS_KEYS[i], line, klen) == 0) return 1;
  return 0;
}

/*
 * Keeps, in place, the lines of buf[0, len) whose "Key:" Node parses, and any line without a
 * colon (Node skips those itself); returns the new length. Sets *threads from "Threads:" (0 if absent).
 */
static size_t filter_status(char *b, size_t len, long *threads) {
  size_t out = 0, at = 0;
  *threads = 0;
  while (at < len) {
    char *nl = memchr(b + at, '\n', len - at);
    size_t end = nl == NULL ? len : (size_t)(nl - b) + 1;
    char *colon = memchr(b + at, ':', end - at);
    if (colon == NULL || status_key(b + at, (size_t)(colon - (b + at)))) {
      if (colon != NULL && colon - (b + at) == 7 && memcmp(b + at, "Threads", 7) == 0) *threads = strtol(colon + 1, NULL, 10);
      memmove(b + out, b + at, end - at);
      out += end - at;
    }
    at = end;
  }
  return out;
}

static void put_bytes(char kind, const char *name, const char *bytes, size_t len) {
  printf("%c %s %zu\n", kind, name, len);
  fwrite(bytes, 1, len, stdout);
}

static void read_process(const char *root, int rootfd, const char *pid) {
  printf("P %s\n", pid);
  int pidfd = openat(rootfd, pid, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (pidfd < 0) {
    printf("E F stat %s\n", errno_name(errno));
    return;
  }
  long threads = 0; /* from status; 0: unknown */
  for (size_t i = 0; i < NFILES; i++) {
    long n = read_file(pidfd, FILES[i]);
    if (n < 0) {
      printf("E F %s %s\n", FILES[i], errno_name((int)-n));
      if (i == 0) {
        close(pidfd);
        return;
      }
      continue;
    }
    if (i == 1) n = (long)filter_status(buf, (size_t)n, &threads);
    put_bytes('F', FILES[i], buf, (size_t)n);
  }
  char path[64], target[256];
  for (size_t i = 0; i < NLINKS_READ; i++) {
    snprintf(path, sizeof path, "ns/%s", LINKS[i]);
    ssize_t n = readlinkat(pidfd, path, target, sizeof target);
    if (n < 0) printf("E L %s %s\n", LINKS[i], errno_name(errno));
    else if ((size_t)n < sizeof target) {
      put_bytes('L', LINKS[i], target, (size_t)n);
      target[n] = '\0';
      relations_once(root, pid, pidfd, LINKS[i], target);
    }
    /* a target that fills the buffer may be cut: Node reads that one itself */
  }
  scan_fds(pidfd, pid);
  if (threads != 1) scan_tasks(pidfd, pid); /* one thread: the leader, whose links are read above */
  close(pidfd);
}

/*
 * The pids of one run on stdin (decimal, one per line; other lines skipped), as strings, up to a
 * line "." or the end of the input (*eof set: no more runs follow).
 */
static char **read_pids(size_t *count, int *eof) {
  size_t n = 0, room = 4096;
  char **pids = malloc(room * sizeof *pids);
  char line[32];
  *eof = 1;
  if (pids == NULL) return NULL;
  while (fgets(line, sizeof line, stdin) != NULL) {
    line[strcspn(line, "\n")] = '\0';
    if (strcmp(line, ".") == 0) {
      *eof = 0;
      break;
    }
    if (!is_number(line)) continue;
    if (n == room) {
      char **more = realloc(pids, (room *= 2) * sizeof *pids);
      if (more == NULL) return NULL;
      pids = more;
    }
    if ((pids[n++] = strdup(line)) == NULL) return NULL;
  }
  *count = n;
  return pids;
}

static void free_pids(char **pids, size_t count) {
  for (size_t i = 0; i < count; i++) free(pids[i]);
  free(pids);
}

/* Pids a process takes at once: small enough that the cores finish together, large enough that
 * taking them costs nothing (one atomic add per CHUNK processes read). */
#define CHUNK 32

/* The next pid index no process has taken, shared by the processes of one run (MAP_SHARED). */
static size_t *next_pid;

/* Reads chunks of CHUNK pids taken from next_pid until none is left; returns how many it read. */
static long read_share(const char *root, int rootfd, char **pids, size_t count) {
  long done = 0;
  for (;;) {
    size_t from = __atomic_fetch_add(next_pid, CHUNK, __ATOMIC_RELAXED);
    if (from >= count) break;
    size_t to = from + CHUNK < count ? from + CHUNK : count;
    for (size_t i = from; i < to; i++, done++) read_process(root, rootfd, pids[i]);
  }
  return done;
}

/*
 * One run over these pids in PARTS processes: this one, printing on stdout, and PARTS - 1 forked
 * for it (a fork of Node costs it milliseconds; one of this, microseconds), process K printing on
 * fd 2 + K (Node's extra pipes), each taking its share as it goes (read_share). A forked process
 * ends its output with its done line and exits; this one prints its done line last, once the
 * others exited, or a "fail" line if one of them did not read its share and write it whole.
 * Keeps fds 2 + K open when another run may follow (KEEP_FDS). Returns 0 when all did.
 */
static int run(const char *root, int rootfd, char **pids, size_t count, long parts, int keep_fds) {
  long long started = now_us();
  pid_t children[16];
  pid_t self = getpid();
  int status = 0;
  seen_clear(); /* each run tells the relations of every namespace it sees */
  *next_pid = 0;
  long forked = 1;
  for (; forked < parts; forked++) {
    pid_t c = fork();
    if (c < 0) {
      status = 1;
      break;
    }
    if (c == 0) {
      prctl(PR_SET_PDEATHSIG, SIGKILL); /* stopped with its parent (Node kills only that one) */
      if (getppid() != self || dup2(2 + (int)forked, STDOUT_FILENO) < 0) _exit(2); /* it died before the prctl */
      for (long j = 1; j < parts; j++) close(2 + (int)j);
      long done = read_share(root, rootfd, pids, count);
      printf("done %ld %lld\n", done, now_us() - started);
      _exit(fflush(stdout) == 0 ? 0 : 1);
    }
    children[forked] = c;
  }
  if (!keep_fds) for (long j = 1; j < parts; j++) close(2 + (int)j);
  long done = status == 0 ? read_share(root, rootfd, pids, count) : 0;
  for (long k = 1; k < forked; k++) {
    int w;
    if (waitpid(children[k], &w, 0) < 0 || !WIFEXITED(w) || WEXITSTATUS(w) != 0) status = 1;
  }
  if (status == 0) printf("done %ld %lld\n", done, now_us() - started);
  else printf("fail a process could not be forked or did not read its share whole\n");
  if (fflush(stdout) != 0) status = 1;
  return status;
}

int main(int argc, char **argv) {
  int serve = argc > 1 && strcmp(argv[1], "--serve") == 0;
  if (serve) {
    argc--;
    argv++;
    prctl(PR_SET_PDEATHSIG, SIGKILL); /* kept by a Node thread: gone with it */
  }
  const char *root = argc > 1 ? argv[1] : "/proc";
  long parts = argc > 2 ? strtol(argv[2], NULL, 10) : 1;
  if (parts < 1 || parts > 16) {
    fprintf(stderr, "isolens-table: PARTS must be 1 to 16\n");
    return 2;
  }
  /* A pipe's worth (pipe(7): 64 KiB): Node parses each piece while the next is read, and little is
   * left to parse once the last process is read. */
  static char out[64 * 1024];
  setvbuf(stdout, out, _IOFBF, sizeof out);
  buf = malloc(cap);
  if (buf == NULL) return 2;
  int rootfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (rootfd < 0) {
    perror(root);
    return 2;
  }
  note_root(rootfd);
  next_pid = mmap(NULL, sizeof *next_pid, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (next_pid == MAP_FAILED) {
    perror("isolens-table: mmap");
    return 2;
  }
  for (;;) {
    size_t count = 0;
    int eof = 1;
    char **pids = read_pids(&count, &eof);
    if (pids == NULL) {
      perror("isolens-table: pids");
      return 2;
    }
    /* Serving, the end of the input (Node closed the pipe) is the end: no run, even of pids before it. */
    int status = serve && eof ? 0 : run(root, rootfd, pids, count, parts, serve);
    free_pids(pids, count);
    if (!serve || eof || status != 0) {
      close(rootfd);
      return status;
    }
  }
}
