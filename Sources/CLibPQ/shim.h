// Umbrella header for the system library libpq (Debian package libpq-dev).
#pragma once
#include <libpq-fe.h>
