-- wrk script: public registrations, each request with an e-mail address no other request has.
-- Configured by environment variables:
--   REG_PATH     URL path, e.g. /api/v1/gatherings/bench-registrations/registrations
--   REG_PREFIX   a word no other run uses (the benchmark gives each round its own)
-- The e-mail of the n-th request of thread t is <PREFIX>-t<t>-<n>@example.org: wrk's thread
-- id and a per-thread counter, so no two requests of a run, or of two runs, share one.
-- done() prints one RESULT line: sent (requests started), responses, rps, p50/p99/max (ms),
-- ok (2xx), non2xx, codes and socket errors; sent - responses were still in flight at the end.

local PREFIX = os.getenv("REG_PREFIX") or "run"
thread_id, counter, ok, codes = 0, 0, 0, {}
local threads = {}

function setup(thread)
  thread:set("thread_id", #threads)
  threads[#threads + 1] = thread
end

function init(args)
  wrk.method = "POST"
  wrk.path = os.getenv("REG_PATH")
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Accept"] = "application/json"
end

function request()
  local email = string.format("%s-t%d-%d@example.org", PREFIX, thread_id, counter)
  counter = counter + 1
  local body = string.format(
    '{"full_name":"Bench Guest %d %d","name_zh":"黃秉修","email":"%s",'
      .. '"organisation":"Hong Kong Science Park","job_title":"Director",'
      .. '"phone":"+852 6234 9817","consent":true,"category":"guest"}',
    thread_id, counter, email)
  return wrk.format(nil, nil, nil, body)
end

function response(status, headers, body)
  codes[status] = (codes[status] or 0) + 1
  if status >= 200 and status < 300 then ok = ok + 1 end
end

function done(summary, latency, requests)
  local sent, good, by_code, parts = 0, 0, {}, {}
  for _, t in ipairs(threads) do
    sent, good = sent + t:get("counter"), good + t:get("ok")
    for k, v in pairs(t:get("codes")) do by_code[k] = (by_code[k] or 0) + v end
  end
  for k, v in pairs(by_code) do parts[#parts + 1] = k .. ":" .. v end
  table.sort(parts)
  local e = summary.errors
  io.write(string.format("RESULT sent=%d responses=%d rps=%.1f p50_ms=%.2f p99_ms=%.2f"
    .. " max_ms=%.1f ok=%d non2xx=%d socket_errors=%d codes=%s\n",
    sent, summary.requests, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1e3, latency:percentile(99) / 1e3, latency.max / 1e3,
    good, summary.requests - good, e.connect + e.read + e.write + e.timeout,
    table.concat(parts, ",")))
end
