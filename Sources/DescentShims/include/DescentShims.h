#ifndef DESCENT_SHIMS_H
#define DESCENT_SHIMS_H

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <stdbool.h>

/// The Swift runtime's decimal reader, what `Double(String)` calls (exported by libswiftCore, declared in the
/// stdlib's SwiftShims): parses the NUL-terminated `text` in the C locale into `*result` and returns where
/// it stopped, or NULL. Called directly on bytes, it reads a CSV cell without making a String first.
const char *_swift_stdlib_strtod_clocale(const char *text, double *result);

/// sin(x) and cos(x) from one argument reduction. The C library's `sincos` (a GNU extension, hence declared
/// here: the Glibc module is built without _GNU_SOURCE) shares its reduction and polynomials with `sin` and
/// `cos`, so it returns exactly their bits; a C compiler makes this call itself wherever sin and cos take
/// one argument (gcc does so in the C limit proxy of the benchmark). A test compares the bits.
#if defined(__APPLE__)
static inline void descent_sincos(double x, double *s, double *c) {
  *s = __builtin_sin(x);
  *c = __builtin_cos(x);
}
#else
extern void sincos(double x, double *s, double *c);
static inline __attribute__((always_inline)) void descent_sincos(double x, double *s, double *c) { sincos(x, s, c); }
#endif

/// Linux's O_TMPFILE and AT_EMPTY_PATH, which <fcntl.h> defines only under _GNU_SOURCE (the Glibc module
/// Swift imports is built without it); the values are the kernel's for every architecture Swift runs on.
#if defined(__linux__)
#include <fcntl.h>
#include <stdio.h>
#include <errno.h>
#include <unistd.h>
#define DESCENT_O_TMPFILE (020000000 | O_DIRECTORY)
#define DESCENT_AT_EMPTY_PATH 0x1000
#endif

/// Opens an unnamed regular file for reading and writing in `directory` (O_TMPFILE): it has no name until
/// `descent_link_anonymous` gives it one, and nothing is left behind if the process dies first. Returns the
/// descriptor, or -1 with errno set (EOPNOTSUPP or EISDIR where the file system or the kernel lacks it).
static inline int descent_open_anonymous(const char *directory, unsigned mode) {
#if defined(__linux__)
  return open(directory, DESCENT_O_TMPFILE | O_RDWR | O_CLOEXEC, (mode_t)mode);
#else
  (void)directory;
  (void)mode;
  errno = EOPNOTSUPP;
  return -1;
#endif
}

/// Gives the unnamed file open at `fd` the name `path`, which must not exist (errno EEXIST otherwise).
/// Returns 0, or -1 with errno set.
static inline int descent_link_anonymous(int fd, const char *path) {
#if defined(__linux__)
  char name[32];
  snprintf(name, sizeof name, "/proc/self/fd/%d", fd);
  if (linkat(AT_FDCWD, name, AT_FDCWD, path, AT_SYMLINK_FOLLOW) == 0) return 0;
  if (errno != ENOENT) return -1;
  // No /proc: linking the descriptor itself needs CAP_DAC_READ_SEARCH, which root has.
  return linkat(fd, "", AT_FDCWD, path, DESCENT_AT_EMPTY_PATH);
#else
  (void)fd;
  (void)path;
  errno = EOPNOTSUPP;
  return -1;
#endif
}

/// Reserves `length` bytes of disk for the file open at `fd` without changing its size (Linux's `fallocate`
/// with FALLOC_FL_KEEP_SIZE; declared here for the same reason as `sincos`). ext4 then writes each page into
/// blocks already allocated, instead of reserving delayed-allocation space (and quota) page by page. A
/// hint: returns 0, or -1 with errno set (EOPNOTSUPP where the file system lacks it), and the file's
/// contents and size are the same either way.
#if defined(__linux__)
extern int fallocate(int fd, int mode, off_t offset, off_t length);
#endif
static inline int descent_reserve(int fd, long long length) {
#if defined(__linux__)
  return fallocate(fd, 0x01 /* FALLOC_FL_KEEP_SIZE */, 0, (off_t)length);
#else
  (void)fd;
  (void)length;
  errno = EOPNOTSUPP;
  return -1;
#endif
}

/// Flushes stdout and says whether all that was written to it reached it: 0; the errno of the flush that
/// failed; or -1 where an earlier write failed (stdio keeps no errno for it). Swift's `print` goes through
/// stdio's buffer, where failed writes stay silent, and `stdout` is a C global that Swift 6 will not touch.
static inline int descent_flush_standard_output(void) {
  errno = 0;
  if (fflush(stdout) != 0) return errno != 0 ? errno : -1;
  return ferror(stdout) ? -1 : 0;
}

#endif
