// Umbrella header for the system library libnghttp2 (Debian package libnghttp2-dev).
#pragma once
#include <nghttp2/nghttp2.h>
