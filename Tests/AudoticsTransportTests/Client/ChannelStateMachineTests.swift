@testable import AudoticsTransport
import AudoticsRPC
import Testing

/// The channel's connection state machine, without sockets: lazy connects, round robin, waiting, fail-fast,
/// backoff and replacement of lost connections.
@Suite("Channel state machine")
struct ChannelStateMachineTests {
    final class Connection: Identifiable, Sendable {
        let id: UInt64
        init(_ id: UInt64) { self.id = id }
    }

    typealias Machine = ChannelStateMachine<Connection, String>

    static let refused = RPCError(code: .unavailable, message: "refused")

    func connectionID(_ outcome: ChannelPickOutcome<Connection>?) -> UInt64? {
        if case .use(let connection) = outcome { return connection.id }
        return nil
    }

    @Test("the first call connects every endpoint and waits; calls then go round robin")
    func lazyConnectAndRoundRobin() {
        var machine = Machine(endpointCount: 2)
        let first = machine.pick(waitForReady: false, waiterID: 1, waiter: "first")
        #expect(first.outcome == nil)
        #expect(first.connect == [0, 1])
        let woken = machine.connected(1, Connection(11))
        #expect(woken.wake == ["first"])
        #expect(!woken.close)
        let again = machine.pick(waitForReady: false, waiterID: 1, waiter: "first")
        #expect(connectionID(again.outcome) == 11)
        _ = machine.connected(0, Connection(10))
        let picked = (0..<4).map { _ in connectionID(machine.pick(waitForReady: false, waiterID: 2, waiter: "x").outcome) }
        #expect(Set(picked) == [10, 11])
        #expect(picked[0] != picked[1] && picked[1] != picked[2] && picked[2] != picked[3])
    }

    @Test("without a reachable endpoint, calls fail fast unless they wait for readiness")
    func failFastAndWaitForReady() {
        var machine = Machine(endpointCount: 1)
        _ = machine.pick(waitForReady: false, waiterID: 1, waiter: "a")
        let failed = machine.connectFailed(0, error: Self.refused)
        #expect(failed.wake == ["a"])
        #expect(failed.failures == 1)
        if case .fail(let error) = machine.pick(waitForReady: false, waiterID: 1, waiter: "a").outcome {
            #expect(error.code == .unavailable)
        } else {
            Issue.record("expected a fast failure")
        }
        let waiting = machine.pick(waitForReady: true, waiterID: 2, waiter: "b")
        #expect(waiting.outcome == nil)
        // The backoff passes with a call waiting: reconnect at once.
        let reconnect = machine.backoffElapsed(0)
        #expect(reconnect)
        let secondFailure = machine.connectFailed(0, error: Self.refused)
        #expect(secondFailure.failures == 2)
    }

    @Test("a backoff passing with nobody waiting leaves the endpoint idle for the next call")
    func backoffToIdle() {
        var machine = Machine(endpointCount: 1)
        _ = machine.pick(waitForReady: false, waiterID: 1, waiter: "a")
        _ = machine.connectFailed(0, error: Self.refused)
        let reconnectNow = machine.backoffElapsed(0)
        #expect(!reconnectNow)
        let nextCall = machine.pick(waitForReady: false, waiterID: 2, waiter: "b")
        #expect(nextCall.connect == [0])
    }

    @Test("a lost connection is replaced; a stale one's events are ignored")
    func connectionLost() {
        var machine = Machine(endpointCount: 1)
        _ = machine.pick(waitForReady: false, waiterID: 1, waiter: "a")
        _ = machine.connected(0, Connection(1))
        let staleLost = machine.connectionLost(0, id: 99)
        #expect(!staleLost)
        let stillUsed = machine.pick(waitForReady: false, waiterID: 2, waiter: "b")
        #expect(connectionID(stillUsed.outcome) == 1)
        let reconnectNow = machine.connectionLost(0, id: 1)
        #expect(!reconnectNow)
        let next = machine.pick(waitForReady: false, waiterID: 3, waiter: "c")
        #expect(next.outcome == nil)
        #expect(next.connect == [0])
    }

    @Test("a call abandoned before it waits fails on its next pick")
    func abandonBeforeWaiting() {
        var machine = Machine(endpointCount: 1)
        let waiter = machine.abandon(waiterID: 7, error: RPCError(code: .cancelled, message: "cancelled"))
        #expect(waiter == nil)
        if case .fail(let error) = machine.pick(waitForReady: true, waiterID: 7, waiter: "a").outcome {
            #expect(error.code == .cancelled)
        } else {
            Issue.record("expected the abandoned call to fail")
        }
        let waiting = machine.pick(waitForReady: true, waiterID: 8, waiter: "b")
        #expect(waiting.outcome == nil)
        let abandoned = machine.abandon(waiterID: 8, error: RPCError(code: .cancelled, message: "cancelled"))
        #expect(abandoned == "b")
    }

    @Test("closing wakes waiters, returns ready connections and fails later calls")
    func close() {
        var machine = Machine(endpointCount: 2)
        _ = machine.pick(waitForReady: true, waiterID: 1, waiter: "a")
        _ = machine.connected(0, Connection(1))
        _ = machine.pick(waitForReady: true, waiterID: 2, waiter: "b")
        let closed = machine.close()
        #expect(closed.connections.map(\.id) == [1])
        let late = machine.connected(1, Connection(2))
        #expect(late.close)
        if case .fail(let error) = machine.pick(waitForReady: true, waiterID: 3, waiter: "c").outcome {
            #expect(error.code == .unavailable)
        } else {
            Issue.record("expected a closed channel to fail calls")
        }
    }

    @Test("backoff grows, is capped and jittered")
    func backoff() {
        let backoff = ConnectionBackoff(initial: .seconds(1), multiplier: 2, maximum: .seconds(10), jitter: 0)
        #expect(backoff.delay(afterFailures: 1) == .seconds(1))
        #expect(backoff.delay(afterFailures: 3) == .seconds(4))
        #expect(backoff.delay(afterFailures: 50) == .seconds(10))
        let jittered = ConnectionBackoff(initial: .seconds(1), jitter: 0.2)
        for _ in 0..<20 {
            let delay = jittered.delay(afterFailures: 1)
            #expect(delay >= .milliseconds(800) && delay <= .milliseconds(1200))
        }
    }
}
