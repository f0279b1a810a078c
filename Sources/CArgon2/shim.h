// Umbrella header for the system library libargon2 (Debian package libargon2-dev).
#pragma once
#include <argon2.h>
