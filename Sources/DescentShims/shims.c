// Declarations are in include/DescentShims.h; what needs _GNU_SOURCE is defined here, where the C library's
// headers see it (the Glibc module Swift imports is built without it).
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
#include "DescentShims.h"

int descent_open_anonymous(const char *directory, unsigned mode) {
#ifdef O_TMPFILE
  return open(directory, O_TMPFILE | O_WRONLY | O_CLOEXEC, (mode_t)mode);
#else
  (void)directory;
  (void)mode;
  errno = EOPNOTSUPP;
  return -1;
#endif
}

int descent_link_anonymous(int fd, const char *path) {
#if defined(O_TMPFILE) && defined(AT_EMPTY_PATH)
  char name[32];
  snprintf(name, sizeof name, "/proc/self/fd/%d", fd);
  if (linkat(AT_FDCWD, name, AT_FDCWD, path, AT_SYMLINK_FOLLOW) == 0) return 0;
  if (errno != ENOENT) return -1;
  // No /proc: linking the descriptor itself needs CAP_DAC_READ_SEARCH, which root has.
  return linkat(fd, "", AT_FDCWD, path, AT_EMPTY_PATH);
#else
  (void)fd;
  (void)path;
  errno = EOPNOTSUPP;
  return -1;
#endif
}
