@testable import AudoticsRedisClient
import Testing

@Suite("RedisPoolStateMachine")
struct RedisPoolStateMachineTests {
    typealias Pool = RedisPoolStateMachine<String, Int>
    let now = ContinuousClock.now

    @Test("connects lazily: a second connection only while the first is busy, never more than the slots")
    func lazy() {
        var pool = Pool(slotCount: 2)
        var loads = ["first": 0, "second": 0]
        var nextPending = 100
        func pick() -> Pool.Pick {
            pool.pick(now: now, load: { loads[$0] }, makePending: { nextPending += 1; return nextPending })
        }
        guard case .connect(0, let attempt, 101, nil) = pick() else { Issue.record("first pick must connect slot 0"); return }
        guard case .wait(101) = pick() else { Issue.record("must wait for the connect in progress"); return }
        let value1 = pool.connected(slot: 0, attempt: attempt, connection: "first")
        #expect(value1)
        guard case .use("first") = pick() else { Issue.record("idle connection not used"); return }
        loads["first"] = 5
        guard case .connect(1, let second, 102, "first") = pick() else { Issue.record("busy: open a second, use the first meanwhile"); return }
        let value2 = pool.connected(slot: 1, attempt: second, connection: "second")
        #expect(value2)
        loads["second"] = 7
        guard case .use("first") = pick() else { Issue.record("the least loaded connection wins"); return }
        #expect(pool.readyCount == 2)
    }

    @Test("a failed connect backs off: commands fail at once until the backoff has passed")
    func backoff() {
        var pool = Pool(slotCount: 1)
        guard case .connect(0, let attempt, _, nil) = pool.pick(now: now, load: { _ in 0 }, makePending: { 1 }) else {
            Issue.record()
            return
        }
        pool.connectFailed(slot: 0, attempt: attempt, now: now) { failures in
            #expect(failures == 1)
            return .seconds(1)
        }
        guard case .unavailable(let error) = pool.pick(now: now + .milliseconds(500), load: { _ in 0 }, makePending: { 2 }) else {
            Issue.record("connected during the backoff")
            return
        }
        #expect(error.code == .unavailable)
        guard case .connect(0, let retry, _, nil) = pool.pick(now: now + .seconds(1), load: { _ in 0 }, makePending: { 3 }) else {
            Issue.record("no reconnect after the backoff")
            return
        }
        pool.connectFailed(slot: 0, attempt: retry, now: now + .seconds(1)) { failures in
            #expect(failures == 2)
            return .seconds(2)
        }
    }

    @Test("a lost or closed connection frees its slot for a reconnect; shutdown refuses everything")
    func lostAndShutdown() {
        var pool = Pool(slotCount: 1)
        guard case .connect(0, let attempt, _, _) = pool.pick(now: now, load: { _ in 0 }, makePending: { 1 }) else { Issue.record(); return }
        let value3 = pool.connected(slot: 0, attempt: attempt, connection: "c")
        #expect(value3)
        pool.lost(slot: 0, attempt: attempt)
        guard case .connect(0, let again, _, _) = pool.pick(now: now, load: { _ in 0 }, makePending: { 2 }) else { Issue.record(); return }
        let value4 = pool.connected(slot: 0, attempt: again, connection: "d")
        #expect(value4)
        guard case .connect = pool.pick(now: now, load: { _ in nil }, makePending: { 3 }) else {
            Issue.record("a closed connection must be replaced")
            return
        }
        #expect(pool.shutDown().isEmpty)
        guard case .unavailable = pool.pick(now: now, load: { _ in 0 }, makePending: { 4 }) else { Issue.record(); return }
        let value5 = pool.connected(slot: 0, attempt: 99, connection: "late")
        #expect(!value5)
    }
}
