// libFuzzer's driver, for the fuzz targets' entry points. libFuzzer has no header of its own for it;
// this is the declaration from compiler-rt's FuzzerInterface.h. SwiftPM links executables with `main`
// aliased to `<Module>_main`, so libFuzzer's own `main` never runs: each target's `<Module>_main` calls
// this driver instead, with its LLVMFuzzerTestOneInput.
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*UserCb)(const uint8_t *Data, size_t Size));
