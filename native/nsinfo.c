/*
 * isolens-nsinfo: the parent and owning user namespace of namespaces, by ioctl_ns(2)
 * (NS_GET_PARENT, NS_GET_USERNS, NS_GET_NSTYPE), which Node cannot call.
 *
 * Reads paths (one per line: /proc/PID/ns/X or an nsfs bind mount) on stdin and prints, per
 * path, one tab-separated line:  path  inode  type  parent  owner
 *   parent, owner: an inode; 0 when the namespace has none (NS_GET_PARENT on a non-hierarchical
 *   type: EINVAL; the initial user namespace: EPERM); -1 when it exists but is out of reach (EPERM
 *   for a parent outside the caller's namespaces); an error line "path\terror\tERRNO-NAME" when
 *   the path itself cannot be opened.
 * Read-only: it opens nsfs files O_RDONLY and never calls setns(2).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/nsfs.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *type_name(int t) {
  switch (t) {
  case CLONE_NEWCGROUP: return "cgroup";
  case CLONE_NEWIPC: return "ipc";
  case CLONE_NEWNS: return "mnt";
  case CLONE_NEWNET: return "net";
  case CLONE_NEWPID: return "pid";
#ifdef CLONE_NEWTIME
  case CLONE_NEWTIME: return "time";
#else
  case 0x00000080: return "time";
#endif
  case CLONE_NEWUSER: return "user";
  case CLONE_NEWUTS: return "uts";
  default: return "unknown";
  }
}

/* inode of the namespace an ioctl returns as a new fd; 0 = none, -1 = out of reach */
static long long related(int fd, unsigned long request) {
  int other = ioctl(fd, request);
  if (other < 0) return errno == EPERM && request == NS_GET_PARENT ? -1 : 0;
  struct stat st;
  long long ino = fstat(other, &st) == 0 ? (long long)st.st_ino : 0;
  close(other);
  return ino;
}

int main(void) {
  char line[4096];
  while (fgets(line, sizeof line, stdin)) {
    size_t n = strcspn(line, "\n");
    line[n] = '\0';
    if (n == 0) continue;
    int fd = open(line, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      printf("%s\terror\t%s\n", line, strerrorname_np(errno) ? strerrorname_np(errno) : "EIO");
      continue;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
      printf("%s\terror\t%s\n", line, strerrorname_np(errno) ? strerrorname_np(errno) : "EIO");
      close(fd);
      continue;
    }
    int type = ioctl(fd, NS_GET_NSTYPE);
    long long parent = (type == CLONE_NEWPID || type == CLONE_NEWUSER) ? related(fd, NS_GET_PARENT) : 0;
    long long owner = related(fd, NS_GET_USERNS);
    printf("%s\t%llu\t%s\t%lld\t%lld\n", line, (unsigned long long)st.st_ino, type_name(type), parent, owner);
    close(fd);
  }
  return 0;
}
