// Declarations only: see include/DescentShims.h. (Code here would be compiled by the toolchain's clang with
// debug information that valgrind 3.19 cannot read, which would stop `valgrind --tool=callgrind` profiles.)
#include "DescentShims.h"
