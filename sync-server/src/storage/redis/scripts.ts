/**
 * Lua scripts the Redis backend runs: each one is atomic in Redis (no other command runs in
 * between, and the AOF records its effects as one transaction), which is what makes compaction
 * safe when two instances compact at once or one dies half-way.
 */

/**
 * Compaction. KEYS: snap, log, sv, its bucket's docs listing. ARGV: snapshot, state vector, position (the last stream
 * ID the caller is known to hold, with everything before it), instance (extend the position over
 * the caller's own entries that follow it; '' not to), document name, listing JSON ('' to leave it),
 * trim margin in milliseconds.
 *
 * The snapshot covers the position, then every entry right after it that the caller appended
 * itself, up to the first entry someone else appended (the caller may not hold that one yet). It
 * replaces the stored snapshot only if that one covers less; then the stream is trimmed up to the
 * covered ID, in the same step. Returns the covered ID, or false when nothing changed.
 *
 * The stream keeps the covered entries of the last `margin` milliseconds (load skips them): another
 * instance's follower that has not read them yet still will. One that falls further behind finds a
 * marker entry (`t` = the ID entries before which are gone) and catches up from the snapshot.
 *
 * A stored snapshot past the position means entries after the position may be trimmed already:
 * the caller's own entries that follow are then not known to be contiguous (an entry of someone
 * else's may have been between them), so nothing is replaced. (Found by the contract suite: two
 * instances compacting at once, the second stepped over the first one's trimmed entry.)
 */
export const COMPACT_SCRIPT = `
local function parse(id)
  local ms, seq = string.match(id, '^(%d+)-(%d+)$')
  return tonumber(ms), tonumber(seq)
end
local function after(a, b)
  local aMs, aSeq = parse(a)
  local bMs, bSeq = parse(b)
  return aMs > bMs or (aMs == bMs and aSeq > bSeq)
end
local stored = redis.call('HGET', KEYS[1], 'upto')
if stored and after(stored, ARGV[3]) then return false end
local covered = ARGV[3]
if ARGV[4] ~= '' then
  local from = '(' .. covered
  local done = false
  while not done do
    local entries = redis.call('XRANGE', KEYS[2], from, '+', 'COUNT', 100)
    if #entries == 0 then break end
    for _, entry in ipairs(entries) do
      local fields = entry[2]
      local own = false
      for i = 1, #fields, 2 do
        if fields[i] == 'i' then own = (fields[i + 1] == ARGV[4]) break end
      end
      if not own then done = true break end
      covered = entry[1]
    end
    from = '(' .. covered
  end
end
if stored and not after(covered, stored) then return false end
local newMs, newSeq = parse(covered)
redis.call('HSET', KEYS[1], 'data', ARGV[1], 'upto', covered)
redis.call('SET', KEYS[3], ARGV[2])
local threshold = newMs .. '-' .. (newSeq + 1)
local now = redis.call('TIME')
local marginMs = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000) - tonumber(ARGV[7])
if marginMs <= newMs then threshold = marginMs .. '-0' end
if redis.call('XTRIM', KEYS[2], 'MINID', threshold) > 0 then
  redis.call('XADD', KEYS[2], '*', 't', threshold)
end
if ARGV[6] ~= '' then redis.call('HSET', KEYS[4], ARGV[5], ARGV[6]) end
return covered
`;

/**
 * Purge one document. KEYS: log, snap, sv, kinds, its bucket's docs listing. ARGV: the records key prefix
 * (`<p>:{bNN}:doc:<name>:rec:`, in the same slot), the document name. Deletes every key of the document and its listing.
 */
export const PURGE_SCRIPT = `
for _, kind in ipairs(redis.call('SMEMBERS', KEYS[4])) do
  redis.call('DEL', ARGV[1] .. kind)
end
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4])
redis.call('HDEL', KEYS[5], ARGV[2])
return 1
`;
