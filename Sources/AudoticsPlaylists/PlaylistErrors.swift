import AudoticsRPC
import AudoticsServiceSupport
import AudoticsWellKnownTypes

/// The errors PlaylistService answers with, in one place so their wording and details stay consistent.
enum PlaylistErrors {
    static func notFound(_ id: String) -> RPCError {
        RPCError(code: .notFound, message: "no playlist with ID \(id)")
    }

    static func notOwner() -> RPCError {
        RPCError(code: .permissionDenied, message: "only the playlist's owner may do this")
    }

    static func cannotEdit() -> RPCError {
        RPCError(code: .permissionDenied, message: "only the owner (or, in a collaborative playlist, its viewers) may edit its tracks")
    }

    /// ABORTED with a google.rpc.ErrorInfo (reason SNAPSHOT_MISMATCH, metadata current_snapshot_id).
    static func snapshotMismatch(current: String) -> RPCError {
        var info = ErrorInfo()
        info.reason = "SNAPSHOT_MISMATCH"
        info.domain = "audotics.v1.PlaylistService"
        info.metadata = ["current_snapshot_id": current]
        return RPCError.withDetails(
            code: .aborted, message: "the playlist changed: its snapshot is now \(current)", details: [StatusDetail(info)])
    }

    /// ABORTED (TRACK_MISMATCH) with a google.rpc.PreconditionFailure naming each position.
    static func trackMismatch(_ positions: [(position: Int32, expected: String, actual: String)]) -> RPCError {
        var info = ErrorInfo()
        info.reason = "TRACK_MISMATCH"
        info.domain = "audotics.v1.PlaylistService"
        var failure = PreconditionFailure()
        failure.violations = positions.map { item in
            .with {
                $0.type = "TRACK_MISMATCH"
                $0.subject = "items[position=\(item.position)]"
                $0.description = "expected track \(item.expected), found \(item.actual)"
            }
        }
        return RPCError.withDetails(
            code: .aborted, message: "\(positions.count) position(s) hold other tracks than expected",
            details: [StatusDetail(info), StatusDetail(failure)])
    }

    /// FAILED_PRECONDITION with a google.rpc.ErrorInfo reason.
    static func precondition(_ reason: String, _ message: String) -> RPCError {
        var info = ErrorInfo()
        info.reason = reason
        info.domain = "audotics.v1.PlaylistService"
        return RPCError.withDetails(code: .failedPrecondition, message: message, details: [StatusDetail(info)])
    }

    static func outOfRange(_ message: String) -> RPCError {
        RPCError(code: .outOfRange, message: message)
    }
}
