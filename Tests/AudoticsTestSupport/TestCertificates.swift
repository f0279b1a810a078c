public import Foundation

/// A throwaway PKI made with the `openssl` CLI: a CA, a server certificate for `localhost` and
/// 127.0.0.1, and a client certificate, all in a temporary folder removed when the value is dropped.
public final class TestCertificates: Sendable {
    public let folder: String
    public var caFile: String { folder + "/ca.pem" }
    public var serverCertificateFile: String { folder + "/server.pem" }
    public var serverKeyFile: String { folder + "/server.key" }
    public var clientCertificateFile: String { folder + "/client.pem" }
    public var clientKeyFile: String { folder + "/client.key" }

    public init() throws {
        folder = NSTemporaryDirectory() + "audotics-pki-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try "subjectAltName=DNS:localhost,IP:127.0.0.1\n".write(toFile: folder + "/server.ext", atomically: false, encoding: .utf8)
        try run(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "ca.key",
                 "-out", "ca.pem", "-days", "2", "-subj", "/CN=Audotics Test CA"])
        for (name, subject) in [("server", "/CN=localhost"), ("client", "/CN=audotics-test-client")] {
            try run(["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "\(name).key",
                     "-out", "\(name).csr", "-subj", subject])
            var arguments = ["x509", "-req", "-in", "\(name).csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                             "-out", "\(name).pem", "-days", "2"]
            if name == "server" { arguments += ["-extfile", "server.ext"] }
            try run(arguments)
        }
    }

    deinit { try? FileManager.default.removeItem(atPath: folder) }

    private func run(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "openssl \(arguments.first ?? "") failed"])
        }
    }
}
