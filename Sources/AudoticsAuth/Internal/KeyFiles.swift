internal import FoundationEssentials
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Small synchronous file helpers for key files (start-up and development only).
enum KeyFiles {
    /// The file's text; `keyLoadFailed` when it cannot be read.
    static func read(_ path: String) throws(AuthError) -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw AuthError(code: .keyLoadFailed, message: "cannot read the key file \(path)")
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// Creates `path` (and its parents) with mode 0700 if it does not exist.
    static func createFolder(_ path: String) throws(AuthError) {
        do {
            try FileManager.default.createDirectory(
                atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw AuthError(code: .keyLoadFailed, message: "cannot create the key folder \(path)", cause: error)
        }
    }

    /// The `.pem` files directly in `folder`, sorted by name descending (newest first for time-stamped names);
    /// none when the folder does not exist.
    static func pemFiles(in folder: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { $0.hasSuffix(".pem") }.sorted(by: >).map { folder + "/" + $0 }
    }

    /// Writes a new file with mode 0600 from the start (`O_CREAT | O_EXCL`), so a secret is never readable by others.
    static func writeNew(_ path: String, contents: String) throws(AuthError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw AuthError(code: .keyLoadFailed, message: "cannot create the key file \(path) (errno \(errno))")
        }
        defer { close(descriptor) }
        let bytes = Array(contents.utf8)
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { buffer in write(descriptor, buffer.baseAddress! + written, bytes.count - written) }
            if result < 0 && errno == EINTR { continue }
            guard result > 0 else { throw AuthError(code: .keyLoadFailed, message: "cannot write the key file \(path) (errno \(errno))") }
            written += result
        }
    }

    /// Creates `path` with `contents` unless it exists, atomically: the file is written in full under a private
    /// name and then hard-linked into place, so a concurrent reader never sees it half written, and of several
    /// processes creating it at once exactly one wins (the others return false and read the winner's).
    static func createIfAbsent(_ path: String, contents: String) throws(AuthError) -> Bool {
        let temporary = path + ".\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
        try writeNew(temporary, contents: contents)
        defer { unlink(temporary) }
        if link(temporary, path) == 0 { return true }
        if errno == EEXIST { return false }
        throw AuthError(code: .keyLoadFailed, message: "cannot create the key file \(path) (errno \(errno))")
    }

    /// Replaces `path` atomically: writes `path.new` (mode 0600) and renames it over `path`.
    static func replace(_ path: String, contents: String) throws(AuthError) {
        let temporary = path + ".new"
        unlink(temporary)
        try writeNew(temporary, contents: contents)
        guard rename(temporary, path) == 0 else {
            throw AuthError(code: .keyLoadFailed, message: "cannot replace the key file \(path) (errno \(errno))")
        }
    }
}
