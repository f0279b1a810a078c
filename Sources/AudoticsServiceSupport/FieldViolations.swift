public import AudoticsRPC
import AudoticsWellKnownTypes

/// Collects every invalid field of a request, then fails the call once with INVALID_ARGUMENT listing them all:
/// the message names each field, and `grpc-status-details-bin` carries a `google.rpc.Status` with a
/// `google.rpc.BadRequest` (field path, reason, description per violation), as Google's API design guide asks.
///
/// ```swift
/// var violations = FieldViolations()
/// violations.check(!request.trackID.isEmpty, "track_id", .required, "is required")
/// try violations.throwIfAny()
/// ```
public struct FieldViolations: Sendable {
    /// Stable, machine-readable reasons (UPPER_SNAKE_CASE on the wire).
    public enum Reason: String, Sendable {
        case required = "REQUIRED"
        case tooLong = "TOO_LONG"
        case tooShort = "TOO_SHORT"
        case outOfRange = "OUT_OF_RANGE"
        case invalidFormat = "INVALID_FORMAT"
        case tooMany = "TOO_MANY"
        case duplicate = "DUPLICATE"
        case invalidValue = "INVALID_VALUE"
    }

    /// One violation.
    public struct Violation: Sendable, Hashable {
        /// The field path in proto names, e.g. `track_ids[3]`.
        public var field: String
        /// The reason.
        public var reason: Reason
        /// What is wrong, for developers (never quoting secrets).
        public var description: String
    }

    /// The violations found so far.
    public private(set) var violations: [Violation] = []

    /// Creates an empty collection.
    public init() {}

    /// Whether nothing was found.
    public var isEmpty: Bool { violations.isEmpty }

    /// Records a violation.
    public mutating func add(_ field: String, _ reason: Reason, _ description: String) {
        violations.append(Violation(field: field, reason: reason, description: description))
    }

    /// Records a violation unless `condition` holds.
    public mutating func check(_ condition: Bool, _ field: String, _ reason: Reason, _ description: @autoclosure () -> String) {
        if !condition { add(field, reason, description()) }
    }

    /// Checks a required identifier: non-empty, at most `maxLength` UTF-8 bytes, no control characters.
    public mutating func checkID(_ value: String, _ field: String, maxLength: Int = 64) {
        if value.isEmpty {
            add(field, .required, "is required")
        } else if value.utf8.count > maxLength {
            add(field, .tooLong, "is longer than \(maxLength) bytes")
        } else if value.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            add(field, .invalidFormat, "contains control characters")
        }
    }

    /// Checks a text's length in characters (`minLength...maxLength`) and that it has no control characters.
    public mutating func checkText(_ value: String, _ field: String, length: ClosedRange<Int>) {
        let count = value.count
        if count < length.lowerBound {
            add(field, length.lowerBound == 1 ? .required : .tooShort,
                length.lowerBound == 1 ? "is required" : "must have at least \(length.lowerBound) characters")
        } else if count > length.upperBound {
            add(field, .tooLong, "must have at most \(length.upperBound) characters")
        } else if value.unicodeScalars.contains(where: { ($0.value < 0x20 && $0 != "\n" && $0 != "\t") || $0.value == 0x7F }) {
            add(field, .invalidFormat, "contains control characters")
        }
    }

    /// Throws INVALID_ARGUMENT listing every violation, if there are any.
    public func throwIfAny() throws(RPCError) {
        guard !violations.isEmpty else { return }
        throw error
    }

    /// The INVALID_ARGUMENT error for the violations.
    public var error: RPCError {
        let summary = violations.prefix(5).map { "\($0.field) \($0.description)" }.joined(separator: "; ")
        let more = violations.count > 5 ? " (and \(violations.count - 5) more)" : ""
        let message = "invalid request: " + summary + more
        var badRequest = BadRequest()
        badRequest.fieldViolations = violations.map { violation in
            .with {
                $0.field = violation.field
                $0.reason = violation.reason.rawValue
                $0.description = violation.description
            }
        }
        return RPCError.withDetails(code: .invalidArgument, message: message, details: [StatusDetail(badRequest)])
    }
}
