-- wrk script: one POST per request to WRK_PATH, its JSON body made from a template.
-- Configured by environment variables:
--   WRK_PATH      URL path, e.g. /api/v1/scans
--   WRK_HEADER    optional extra header "Name: value", e.g. "Authorization: Bearer abc"
--   WRK_BODY      JSON template; {secret}, {nonce}, {i} and {now} (UTC, ISO 8601) are replaced
--   WRK_SECRETS   optional file with one secret per line (for {secret})
--   WRK_FROM      0-based index of the first secret to use (default 0)
--   WRK_THREADS   must equal wrk's -t
--   WRK_EXPECT    Lua pattern an answer's body must contain to count as expected
--   WRK_STATE     optional file to which done() writes the first secret index not sent
-- Thread t of T sends secrets FROM+t, FROM+t+T, ...; a secret is never sent twice: past the
-- end of the file a request is counted as "wrapped" (and reuses the last secret).
-- done() prints one RESULT line: sent (requests started), responses, rps, p50/p90/p99/max (ms),
-- expected/unexpected, codes; sent - responses were still in flight when wrk stopped.

local env = function(k, d) return os.getenv(k) or d end
local FROM = tonumber(env("WRK_FROM", "0"))
local T = tonumber(env("WRK_THREADS", "1"))
local BODY, EXPECT = env("WRK_BODY", "{}"), env("WRK_EXPECT", ".")

thread_id, counter, expected, unexpected, wrapped, codes = 0, 0, 0, 0, 0, {}
local secrets, run_id = {}, ""
local threads = {}

function setup(thread)
  thread:set("thread_id", #threads)
  threads[#threads + 1] = thread
end

function init(args)
  local path = env("WRK_SECRETS", "")
  if #path > 0 then
    for line in io.lines(path) do
      if #line > 0 then secrets[#secrets + 1] = line end
    end
  end
  run_id = string.format("%x%d", os.time(), thread_id)
  wrk.method = "POST"
  wrk.path = env("WRK_PATH")
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Accept"] = "application/json"
  local name, value = env("WRK_HEADER", ""):match("^([^:]+):%s*(.*)$")
  if name then wrk.headers[name] = value end
end

function request()
  local n = counter * T + thread_id
  counter = counter + 1
  local index = FROM + n + 1
  if #secrets > 0 and index > #secrets then
    wrapped = wrapped + 1
    index = #secrets
  end
  local vars = {
    secret = secrets[index] or "", nonce = run_id .. "x" .. n, i = tostring(n),
    now = os.date("!%Y-%m-%dT%H:%M:%S+00:00"),
  }
  return wrk.format(nil, nil, nil, (BODY:gsub("{(%w+)}", vars)))
end

function response(status, headers, body)
  codes[status] = (codes[status] or 0) + 1
  if body and body:find(EXPECT) then expected = expected + 1 else unexpected = unexpected + 1 end
end

function done(summary, latency, requests)
  local exp, unexp, wr, sent, total, by_code, parts = 0, 0, 0, 0, 0, {}, {}
  for _, t in ipairs(threads) do
    exp, unexp, wr = exp + t:get("expected"), unexp + t:get("unexpected"), wr + t:get("wrapped")
    sent, total = math.max(sent, t:get("counter")), total + t:get("counter")
    for k, v in pairs(t:get("codes")) do by_code[k] = (by_code[k] or 0) + v end
  end
  for k, v in pairs(by_code) do parts[#parts + 1] = k .. ":" .. v end
  table.sort(parts)
  local e = summary.errors
  io.write(string.format("RESULT sent=%d responses=%d rps=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f"
    .. " max_ms=%.1f expected=%d unexpected=%d non2xx=%d codes=%s socket_errors=%d wrapped=%d\n",
    total, summary.requests, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1e3, latency:percentile(90) / 1e3, latency:percentile(99) / 1e3,
    latency.max / 1e3, exp, unexp, e.status, table.concat(parts, ","),
    e.connect + e.read + e.write + e.timeout, wr))
  local state = os.getenv("WRK_STATE")
  if state then
    local f = io.open(state, "w"); f:write(FROM + sent * #threads, "\n"); f:close()
  end
end
