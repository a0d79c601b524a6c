-- S1: GET one of the benchmark user's wizard sessions, round robin.
dofile(os.getenv("BENCH_WRK") .. "/report.lua")
local sessions = tonumber(os.getenv("BENCH_SESSIONS"))
local n = 0

function request()
  n = n + 1
  return wrk.format("GET", string.format("/api/v1/wizard-sessions/sess-%016x", n % sessions + 1))
end
