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
#include <fcntl.h>
#include <string.h>

#include "ns-ioctl.h"

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
    if (print_ns_relations("", line, fd) != 0) printf("%s\terror\t%s\n", line, strerrorname_np(errno) ? strerrorname_np(errno) : "EIO");
    close(fd);
  }
  return 0;
}
