import NIOCore

/// The one timeout a connection waits on at a time (idle, head, body), checked lazily: setting a deadline
/// only stores it, and the single timer, when it fires early, sleeps again until the deadline. A keep-alive
/// connection thus schedules no timer per request. A value: the handler owns the timer and asks this what to do.
struct ConnectionDeadline<Kind: Equatable> {
    /// What the connection waits for, and until when.
    private(set) var current: (kind: Kind, at: NIODeadline)?
    /// When the scheduled timer fires, if one is scheduled.
    private var timerAt: NIODeadline?

    /// What the handler must do with its timer.
    enum TimerAction: Equatable {
        /// Nothing: the timer already fires early enough (or nothing is due).
        case none
        /// (Re)schedule the timer for this instant, cancelling the current one.
        case schedule(NIODeadline)
        /// The deadline passed: act on it (the deadline is cleared).
        case expired(Kind)
    }

    /// Waits for `kind` until `at`.
    mutating func set(_ kind: Kind, at: NIODeadline) -> TimerAction {
        current = (kind, at)
        if let timerAt, timerAt <= at { return .none }
        timerAt = at
        return .schedule(at)
    }

    /// Waits for nothing; a scheduled timer fires and finds nothing due.
    mutating func clear() {
        current = nil
    }

    /// The kind waited for now, if any.
    var kind: Kind? { current?.kind }

    /// The timer fired at `now`.
    mutating func timerFired(now: NIODeadline) -> TimerAction {
        timerAt = nil
        guard let current else { return .none }
        guard now >= current.at else {
            timerAt = current.at
            return .schedule(current.at)
        }
        self.current = nil
        return .expired(current.kind)
    }
}
