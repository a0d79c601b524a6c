-- S2: next-step then previous-step on each session of this thread's share. A session's two
-- moves are a whole share of requests apart, so they never overlap on the wire.
dofile(os.getenv("BENCH_WRK") .. "/report.lua")
-- Passing headers to wrk.format would replace the -H ones (the API key), so set them here.
wrk.headers["Content-Type"] = "application/json"
local threads = tonumber(os.getenv("BENCH_THREADS"))
local share = math.floor(tonumber(os.getenv("BENCH_SESSIONS")) / threads)
local n = 0

function request()
  local first = (thread_number - 1) * share
  local session = first + n % share + 1
  local move = math.floor(n / share) % 2 == 0 and "next-step" or "previous-step"
  n = n + 1
  return wrk.format("POST", string.format("/api/v1/wizard-sessions/sess-%016x/%s", session, move), nil, "{}")
end
