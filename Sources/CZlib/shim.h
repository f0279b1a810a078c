// Umbrella header for the system library zlib (Debian package zlib1g-dev).
#pragma once
#include <zlib.h>
