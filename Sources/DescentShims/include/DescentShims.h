#ifndef DESCENT_SHIMS_H
#define DESCENT_SHIMS_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

/// The Swift runtime's shortest round-trip formatter: the exact text of `Double.description`, written into
/// `buffer` without allocating. Exported by libswiftCore (declared in the stdlib's SwiftShims); returns the
/// number of bytes written.
uint64_t swift_float64ToString(char *buffer, size_t length, double value, bool debug);

#endif
