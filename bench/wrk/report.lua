-- Loaded by every scenario script: numbers the threads (each works on its own share of the
-- sessions) and prints one JSON line of results that run.sh collects.
local created = 0

function setup(thread)
  created = created + 1
  thread:set("thread_number", created)
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests":%d,"rps":%.1f,"p50_ms":%.3f,"p99_ms":%.3f,"non_2xx":%d,"socket_errors":%d}\n',
    summary.requests, summary.requests / seconds, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    e.status, e.connect + e.read + e.write + e.timeout))
end
