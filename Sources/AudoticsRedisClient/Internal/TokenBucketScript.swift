/// The token bucket as a Lua script, so that reading, refilling and taking tokens is one atomic step in Redis:
/// concurrent callers on any number of replicas can never take more than the bucket holds.
///
/// KEYS[1] is a hash {tokens, ts}; ARGV is capacity, refill per second, cost. Time is Redis's own clock (`TIME`, in
/// microseconds), so replicas with skewed clocks agree. Returns {1, whole tokens left} or {0, microseconds until
/// enough tokens}. The key expires once the bucket would be full again (a missing key is a full bucket).
/// Same arithmetic as `TokenBucketPolicy.take`.
enum TokenBucketScript {
    static let source = """
        local capacity = tonumber(ARGV[1])
        local rate = tonumber(ARGV[2])
        local cost = tonumber(ARGV[3])
        local clock = redis.call('TIME')
        local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
        local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
        local tokens = tonumber(state[1])
        local ts = tonumber(state[2])
        if tokens == nil or ts == nil then
          tokens = capacity
          ts = now
        end
        if now > ts then
          tokens = math.min(capacity, tokens + (now - ts) * rate / 1000000)
        end
        local allowed = 0
        local result = 0
        if tokens >= cost then
          tokens = tokens - cost
          allowed = 1
          result = math.floor(tokens)
        else
          result = math.ceil((cost - tokens) * 1000000 / rate)
        end
        redis.call('HSET', KEYS[1], 'tokens', string.format('%.17g', tokens), 'ts', string.format('%d', now))
        redis.call('PEXPIRE', KEYS[1], math.ceil((capacity - tokens) * 1000 / rate) + 1000)
        return {allowed, result}
        """

    /// The SHA-1 of `source`, for `EVALSHA` (a test checks it against Redis's `SCRIPT LOAD`).
    static let sha1 = "f2fdb9319c678ed5fe754a63aef87688821f0a6c"
}
