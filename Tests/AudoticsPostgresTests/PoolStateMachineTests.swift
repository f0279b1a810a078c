@testable import AudoticsPostgres
import Testing

@Suite("PoolStateMachine")
struct PoolStateMachineTests {
    @Test("creates workers up to capacity, then queues waiters, and hands releases to the oldest")
    func leaseAndWait() {
        var machine = PoolStateMachine(capacity: 2)
        let action1 = machine.requestLease(waiter: 1)
        #expect(action1 == .create(worker: 0))
        let action2 = machine.requestLease(waiter: 2)
        #expect(action2 == .create(worker: 1))
        let action3 = machine.requestLease(waiter: 3)
        #expect(action3 == .wait)
        let action4 = machine.requestLease(waiter: 4)
        #expect(action4 == .wait)
        let action5 = machine.release(worker: 1)
        #expect(action5 == .handOver(worker: 1, waiter: 3))
        let abandoned = machine.abandonWait(waiter: 4)
        let again = machine.abandonWait(waiter: 4)
        #expect(abandoned && !again)
        let action6 = machine.release(worker: 0)
        #expect(action6 == .makeFree)
        #expect(machine.leasedCount == 1)
        let action7 = machine.requestLease(waiter: 5)
        #expect(action7 == .lease(worker: 0))
    }

    @Test("free workers are reused most recently used first")
    func mostRecentlyUsedFirst() {
        var machine = PoolStateMachine(capacity: 3)
        for waiter in 1...3 { _ = machine.requestLease(waiter: UInt64(waiter)) }
        _ = machine.release(worker: 0)
        _ = machine.release(worker: 2)
        let action8 = machine.requestLease(waiter: 9)
        #expect(action8 == .lease(worker: 2))
    }

    @Test("shutting down fails waiters, stops free workers now and leased ones on release")
    func shutDown() {
        var machine = PoolStateMachine(capacity: 2)
        _ = machine.requestLease(waiter: 1)
        _ = machine.requestLease(waiter: 2)
        _ = machine.release(worker: 0)
        _ = machine.requestLease(waiter: 3)
        _ = machine.requestLease(waiter: 4)
        let (waiters, free) = machine.shutDown()
        #expect(waiters == [4])
        #expect(free == [])
        let action9 = machine.release(worker: 1)
        #expect(action9 == .stop(worker: 1))
        let action10 = machine.requestLease(waiter: 5)
        #expect(action10 == .fail)
    }
}
