#ifndef DESCENT_SHIMS_H
#define DESCENT_SHIMS_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

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

/// Opens an unnamed regular file for writing in `directory` (Linux's O_TMPFILE): it has no name until
/// `descent_link_anonymous` gives it one, and nothing is left behind if the process dies first. Returns the
/// descriptor, or -1 with errno set (EOPNOTSUPP or EISDIR where the file system or the kernel lacks it).
int descent_open_anonymous(const char *directory, unsigned mode);

/// Gives the unnamed file open at `fd` the name `path`, which must not exist (errno EEXIST otherwise).
/// Returns 0, or -1 with errno set.
int descent_link_anonymous(int fd, const char *path);

#endif
