// Declarations only: see include/DescentShims.h.
#include "DescentShims.h"
