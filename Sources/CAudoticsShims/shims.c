// The shims are `static inline` in the header; this file gives SwiftPM a translation unit to build.
#include "CAudoticsShims.h"
