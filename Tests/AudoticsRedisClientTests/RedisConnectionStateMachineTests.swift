@testable import AudoticsRedisClient
import AudoticsRedis
import NIOCore
import Testing

@Suite("RedisConnectionStateMachine")
struct RedisConnectionStateMachineTests {
    typealias Machine = RedisConnectionStateMachine<String>
    let later = NIODeadline.now() + .seconds(60)

    @Test("replies answer requests in order; a pipeline completes with all its replies")
    func fifo() {
        var machine = Machine(maximumPendingCommands: 10)
        guard case .write(let timer) = machine.enqueue(id: 1, commandCount: 1, waiter: "a", deadline: later) else {
            Issue.record("refused")
            return
        }
        #expect(timer == later)
        guard case .write(nil) = machine.enqueue(id: 2, commandCount: 3, waiter: "b", deadline: later + .seconds(1)) else {
            Issue.record("expected no new timer for a later deadline")
            return
        }
        #expect(machine.pendingCommands == 4)
        guard case .complete("a", [.integer(1)]) = machine.replyReceived(.integer(1)) else { Issue.record("a"); return }
        guard case .none = machine.replyReceived(.status("OK")) else { Issue.record("b early"); return }
        guard case .none = machine.replyReceived(.null) else { Issue.record("b early"); return }
        guard case .complete("b", [.status("OK"), .null, .integer(3)]) = machine.replyReceived(.integer(3)) else { Issue.record("b"); return }
        guard case .protocolViolation = machine.replyReceived(.integer(4)) else { Issue.record("unsolicited reply accepted"); return }
    }

    @Test("the pipeline depth is a hard limit")
    func depth() {
        var machine = Machine(maximumPendingCommands: 3)
        guard case .write = machine.enqueue(id: 1, commandCount: 2, waiter: "a", deadline: later) else { Issue.record(); return }
        guard case .fail(let error) = machine.enqueue(id: 2, commandCount: 2, waiter: "b", deadline: later) else {
            Issue.record("accepted past the limit")
            return
        }
        #expect(error.code == .limitExceeded)
        guard case .write = machine.enqueue(id: 3, commandCount: 1, waiter: "c", deadline: later) else { Issue.record(); return }
    }

    @Test("an expired request closes the connection and fails every waiter")
    func timeout() {
        var machine = Machine(maximumPendingCommands: 10)
        let soon = NIODeadline.now() + .milliseconds(10)
        _ = machine.enqueue(id: 1, commandCount: 1, waiter: "slow", deadline: later)
        guard case .write(soon) = machine.enqueue(id: 2, commandCount: 1, waiter: "short", deadline: soon) else {
            Issue.record("an earlier deadline must rearm the timer")
            return
        }
        guard case .rearm(soon) = machine.timerFired(now: soon - .milliseconds(5)) else { Issue.record("fired early"); return }
        guard case .timedOut(let waiters, let error) = machine.timerFired(now: soon) else { Issue.record("no timeout"); return }
        #expect(waiters == ["slow", "short"])
        #expect(error.code == .timedOut)
        guard case .fail(let refusal) = machine.enqueue(id: 3, commandCount: 1, waiter: "after", deadline: later) else {
            Issue.record("a timed-out connection took a request")
            return
        }
        #expect(refusal.code == .timedOut)
    }

    @Test("a cancelled request still absorbs its replies, so later requests get theirs")
    func cancelled() {
        var machine = Machine(maximumPendingCommands: 10)
        _ = machine.enqueue(id: 1, commandCount: 2, waiter: "gone", deadline: later)
        _ = machine.enqueue(id: 2, commandCount: 1, waiter: "next", deadline: later)
        let value1 = machine.cancel(id: 1)
        #expect(value1 == "gone")
        let value2 = machine.cancel(id: 1)
        #expect(value2 == nil)
        guard case .none = machine.replyReceived(.integer(1)) else { Issue.record(); return }
        guard case .none = machine.replyReceived(.integer(2)) else { Issue.record(); return }
        guard case .complete("next", [.integer(3)]) = machine.replyReceived(.integer(3)) else { Issue.record("misaligned"); return }
    }
}
