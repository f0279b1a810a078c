// Umbrella header for the system library libprotobuf-c (Debian package libprotobuf-c-dev).
#pragma once
#include <protobuf-c/protobuf-c.h>
