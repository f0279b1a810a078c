@testable import AudoticsRedisClient
import AudoticsRedis
import Testing

@Suite("SharedConnectionRules")
struct SharedConnectionRulesTests {
    @Test("commands that change or hold a shared connection are refused", arguments: [
        ["SELECT", "1"], ["subscribe", "c"], ["BLPOP", "k", "0"], ["CLIENT", "reply", "off"], ["XREAD", "BLOCK", "0", "STREAMS", "s", "$"],
        ["MULTI"], ["EXEC"], ["WATCH", "k"],
    ])
    func refused(arguments: [String]) {
        let refusal = SharedConnectionRules.refusal(for: [RESPCommand(arguments.map { Array($0.utf8) })])
        #expect(refusal?.code == .invalidCommand)
    }

    @Test("ordinary commands, a complete MULTI…EXEC pipeline, and a stream named BLOCK pass")
    func allowed() {
        #expect(SharedConnectionRules.refusal(for: [RESPCommand("GET", "k"), RESPCommand("CLIENT", "SETNAME", "x")]) == nil)
        #expect(SharedConnectionRules.refusal(for: [RESPCommand("MULTI"), RESPCommand("INCR", "k"), RESPCommand("EXEC")]) == nil)
        #expect(SharedConnectionRules.refusal(for: [RESPCommand("XREAD", "STREAMS", "BLOCK", "0")]) == nil)
    }
}
