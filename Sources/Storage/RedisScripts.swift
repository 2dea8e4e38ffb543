/// The Lua scripts behind the Redis state store. Each runs atomically inside Redis, stays
/// O(number of keys it is given), and takes the time from Redis (`TIME`) so replicas with
/// skewed clocks still share one rate-limit timeline. Mirrors `GCRA` and `BudgetLedger`.
enum RedisScripts {
    /// KEYS: rate keys, then budget keys. ARGV: #rates, #budgets, amount, then per rate
    /// (emission_ms, period_ms, cost), then per budget (limit or -1, ttl_seconds).
    /// Returns {0, remaining…, reset_ms…, before…} | {1, index, retry_ms, remaining, reset_ms} | {2, index, spent}.
    static let preflight = """
    local nr = tonumber(ARGV[1])
    local nb = tonumber(ARGV[2])
    local amount = tonumber(ARGV[3])
    local t = redis.call('TIME')
    local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
    local tats = {}
    local remaining = {}
    local resets = {}
    for i = 1, nr do
      local b = 3 + (i - 1) * 3
      local em, period, cost = tonumber(ARGV[b + 1]), tonumber(ARGV[b + 2]), tonumber(ARGV[b + 3])
      local tat = math.max(tonumber(redis.call('GET', KEYS[i]) or now), now)
      local inc = cost * em
      local new = tat + inc
      if inc > period or now < new - period then
        local retry = period
        if inc <= period then retry = new - period - now end
        return {1, i - 1, tostring(retry), math.max(0, math.floor((now + period - tat) / em)), tostring(tat - now)}
      end
      tats[i] = new
      remaining[i] = math.max(0, math.floor((now + period - new) / em))
      resets[i] = tostring(new - now)
    end
    local bb = 3 + nr * 3
    local before = {}
    for j = 1, nb do
      local limit = tonumber(ARGV[bb + (j - 1) * 2 + 1])
      local spent = tonumber(redis.call('GET', KEYS[nr + j]) or '0')
      if limit >= 0 and spent + amount > limit then return {2, j - 1, spent} end
      before[j] = spent
    end
    local out = {0}
    for i = 1, nr do
      redis.call('SET', KEYS[i], string.format('%.3f', tats[i]), 'PX', math.ceil(tats[i] - now) + 1000)
      table.insert(out, remaining[i])
    end
    for i = 1, nr do table.insert(out, resets[i]) end
    for j = 1, nb do
      redis.call('INCRBY', KEYS[nr + j], ARGV[3])
      redis.call('EXPIRE', KEYS[nr + j], tonumber(ARGV[bb + (j - 1) * 2 + 2]))
      table.insert(out, before[j])
    end
    return out
    """

    /// KEYS: budget keys. ARGV: per key (amount, ttl_seconds). Adds without checking limits;
    /// sets the TTL only on counters that have none (a new one).
    static let addSpend = """
    for i = 1, #KEYS do
      redis.call('INCRBY', KEYS[i], ARGV[2 * i - 1])
      redis.call('EXPIRE', KEYS[i], tonumber(ARGV[2 * i]), 'NX')
    end
    return 0
    """

    /// KEYS: budget keys, then rate keys. ARGV: #budgets, delta, then per rate key its
    /// correction in ms (may be negative). Keys that expired meanwhile are left alone.
    static let settle = """
    local nb = tonumber(ARGV[1])
    local t = redis.call('TIME')
    local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
    for j = 1, nb do
      if redis.call('EXISTS', KEYS[j]) == 1 then redis.call('INCRBY', KEYS[j], ARGV[2]) end
    end
    for i = nb + 1, #KEYS do
      local v = redis.call('GET', KEYS[i])
      if v then
        local new = math.max(now, tonumber(v) + tonumber(ARGV[i + 2 - nb]))
        redis.call('SET', KEYS[i], string.format('%.3f', new), 'PX', math.ceil(new - now) + 1000)
      end
    end
    return 0
    """
}
