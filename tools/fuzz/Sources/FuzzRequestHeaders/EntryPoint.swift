internal import CLibFuzzer

/// This executable's entry point: SwiftPM aliases `main` to `FuzzRequestHeaders_main`, so libFuzzer's own `main`
/// is never linked in; hand the command line to libFuzzer's driver with this target's test function.
@_cdecl("FuzzRequestHeaders_main")
func runFuzzer(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv) { data, size in
        guard let data else { return 0 }
        return fuzzRequestHeaders(data, size)
    }
}
