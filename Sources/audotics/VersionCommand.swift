import ArgumentParser
import AudoticsCompression
import AudoticsHTTP2
import AudoticsPostgres
import AudoticsProtobuf
import AudoticsRedis
import AudoticsTLS

/// `audotics version`: this build and the C libraries it runs with.
struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "version", abstract: "Print the versions of Audotics and of the C libraries it uses.")

    /// The version of this build of Audotics.
    static let audoticsVersion = "0.1.0-dev"

    func run() {
        print("audotics \(Self.audoticsVersion)")
        print("protobuf-c \(ProtobufCLibrary.version)")
        print("nghttp2 \(HTTP2Library.version)")
        print("openssl \(OpenSSLLibrary.version)")
        print("libpq \(LibPQLibrary.version)")
        print("hiredis \(HiredisLibrary.version)")
        print("zlib \(ZlibLibrary.version)")
    }
}
