/*
 * A namespace's type, parent and owning user namespace by ioctl_ns(2) (NS_GET_NSTYPE,
 * NS_GET_PARENT, NS_GET_USERNS), printed as isolens-nsinfo prints them, tab-separated:
 *   path  inode  type  parent  owner
 * parent, owner: an inode; 0 when the namespace has none (NS_GET_PARENT on a non-hierarchical
 * type: EINVAL; the initial user namespace: EPERM); -1 when it exists but is out of reach (EPERM
 * for a parent outside the caller's namespaces). Shared by nsinfo.c and table.c; include once.
 * Read-only: it opens nsfs files O_RDONLY and never calls setns(2).
 */
#ifndef ISOLENS_NS_IOCTL_H
#define ISOLENS_NS_IOCTL_H
#include <errno.h>
#include <linux/nsfs.h>
#include <sched.h>
#include <stdio.h>
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

/* Prints PREFIX path inode type parent owner for the open nsfs file fd; -1 (errno set) when fstat fails. */
static int print_ns_relations(const char *prefix, const char *path, int fd) {
  struct stat st;
  if (fstat(fd, &st) != 0) return -1;
  int type = ioctl(fd, NS_GET_NSTYPE);
  long long parent = (type == CLONE_NEWPID || type == CLONE_NEWUSER) ? related(fd, NS_GET_PARENT) : 0;
  long long owner = related(fd, NS_GET_USERNS);
  printf("%s%s\t%llu\t%s\t%lld\t%lld\n", prefix, path, (unsigned long long)st.st_ino, type_name(type), parent, owner);
  return 0;
}

#endif
