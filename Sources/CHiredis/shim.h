// Umbrella header for the system library hiredis (Debian package libhiredis-dev).
#pragma once
#include <hiredis/hiredis.h>
