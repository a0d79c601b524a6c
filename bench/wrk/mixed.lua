-- S6: a mixed load over the five modules, 85% reads and 15% writes, each thread drawing its
-- requests from the weights below in a shuffled cycle of 100. Every write stays valid when repeated
-- (upserts, merges, replacements, recalculations, moves between onboarding steps, and wizard moves
-- spaced as in S2), so the only failures are real ones.
dofile(os.getenv("BENCH_WRK") .. "/report.lua")
-- Passing headers to wrk.format would replace the -H ones (the API key), so a request that needs
-- its own sets them on wrk.headers and the next one puts them back.
wrk.headers["Content-Type"] = "application/json"
local sessions = tonumber(os.getenv("BENCH_SESSIONS"))
local threads = tonumber(os.getenv("BENCH_THREADS"))
local workflows = tonumber(os.getenv("BENCH_WORKFLOWS"))
local share = math.floor(sessions / threads)
local onboarding = {}
for tenant, session in string.gmatch(os.getenv("BENCH_ONBOARDING"), "(%d+)/(%d+)") do
  onboarding[#onboarding + 1] = { tenant = tenant, session = session }
end

local counts = {}
local function next_of(name)
  counts[name] = (counts[name] or 0) + 1
  return counts[name]
end

-- The benchmark user's seeded rows (bench/Harness Seeder), numbered 1..sessions.
local function own(name) return next_of(name) % sessions + 1 end
local function wizard_session(i) return string.format("sess-%016x", i) end
local function connector_session(i) return string.format("%08X-0000-7000-8000-%012X", i, i) end
local function tenant(name) return onboarding[next_of(name) % #onboarding + 1] end

local function get(path) return wrk.format("GET", path) end
local function send(method, path, body) return wrk.format(method, path, nil, body) end

local run_template = '{"session_id":"mixed-%d-%03d","workflow_id":"wf-mixed-%d","skill_id":"nextjs",'
  .. '"started_at":"2026-12-02T10:00:00Z","run_phase":"running","tasks":[{"id":"0","title":"Install the SDK","status":"completed"},'
  .. '{"id":"1","title":"Verify the first event","status":"%s"}],"handoff_text":"mixed-load"}'

local routes = {
  -- WizardSessions
  { weight = 12, name = "wizard session", build = function() return get("/api/v1/wizard-sessions/" .. wizard_session(own("ws"))) end },
  { weight = 5, name = "wizard session list", build = function() return get("/api/v1/wizard-sessions?limit=20") end },
  { weight = 3, name = "wizard next/previous step", build = function()
      -- As in S2: this thread's share of the sessions, each moved on and then back a share of moves later.
      local m = next_of("move") - 1
      local session = (thread_number - 1) * share + m % share + 1
      local move = math.floor(m / share) % 2 == 0 and "next-step" or "previous-step"
      return send("POST", string.format("/api/v1/wizard-sessions/%s/%s", wizard_session(session), move), "{}")
    end },
  -- WizardRuns
  { weight = 10, name = "wizard run", build = function() return get("/api/projects/1/wizard/sessions/run-" .. own("wr")) end },
  { weight = 4, name = "wizard run list", build = function() return get("/api/projects/1/wizard/sessions?limit=20") end },
  { weight = 3, name = "latest wizard run", build = function()
      return get("/api/projects/1/wizard/sessions/latest?workflow_id=wf-mixed-" .. next_of("latest") % workflows)
    end },
  { weight = 3, name = "wizard run upsert", build = function()
      -- 50 runs per thread, cycling through the streamed workflows, each pushed again and again.
      local u = next_of("upsert")
      return send("POST", "/api/projects/1/wizard/sessions",
        string.format(run_template, thread_number, u % 50, u % workflows, u % 2 == 0 and "completed" or "in_progress"))
    end },
  -- CalculatorSessions
  { weight = 10, name = "calculator session", build = function() return get("/api/v1/benefit-calculator-sessions/session_" .. own("cs")) end },
  { weight = 4, name = "calculator session list", build = function() return get("/api/v1/benefit-calculator-sessions?limit=20") end },
  { weight = 3, name = "calculator events", build = function()
      return get(string.format("/api/v1/benefit-calculator-sessions/session_%d/events?limit=20", own("ce")))
    end },
  { weight = 3, name = "calculator event", build = function()
      local i = own("calc")
      return send("PUT", "/api/v1/benefit-calculator-sessions/session_" .. i, string.format(
        '{"event":"CalculateRequested","payload":{"sessions":%d,"avg_minutes":45,"cost_per_session":120.5,"cost_per_hour":80}}', i % 40 + 1))
    end },
  -- ConnectorSessions
  { weight = 12, name = "connector session", build = function() return get("/api/v1/session/" .. connector_session(own("cn"))) end },
  { weight = 5, name = "connector session list", build = function() return get("/api/v1/session?limit=20") end },
  { weight = 2, name = "connector session merge", build = function()
      local i = own("merge")
      return send("PATCH", "/api/v1/session/" .. connector_session(i), string.format('{"data":{"step":%d,"seen_at":"2026-12-02"}}', i % 7))
    end },
  { weight = 1, name = "connector session replace (If-Match: *)", build = function()
      local i = own("replace")
      wrk.headers["If-Match"] = "*"
      local request = send("PUT", "/api/v1/session/" .. connector_session(i), string.format('{"data":{"step":%d,"replaced":true}}', i % 7))
      wrk.headers["If-Match"] = nil
      return request
    end },
  -- Onboarding
  { weight = 7, name = "onboarding session", build = function() return get(string.format("/tenants/%s/onboarding/session", tenant("os").tenant)) end },
  { weight = 5, name = "onboarding tasks", build = function() return get(string.format("/tenants/%s/onboarding/tasks", tenant("ot").tenant)) end },
  { weight = 5, name = "onboarding evidence", build = function() return get(string.format("/tenants/%s/onboarding/evidence?limit=20", tenant("oe").tenant)) end },
  { weight = 3, name = "onboarding step", build = function()
      local n = next_of("step")
      local t = onboarding[n % #onboarding + 1]
      return send("PATCH", string.format("/tenants/%s/onboarding/session/%s", t.tenant, t.session),
        string.format('{"current_step":%d}', math.floor(n / #onboarding) % 5 + 1))
    end },
}

local cycle = nil
local position = 0

-- The routes repeated by weight (100 in all), in an order shuffled once per thread.
local function shuffled_cycle()
  local slots = {}
  for _, route in ipairs(routes) do
    for _ = 1, route.weight do slots[#slots + 1] = route end
  end
  assert(#slots == 100, "the weights add up to " .. #slots .. ", not 100")
  math.randomseed(thread_number)
  for i = #slots, 2, -1 do
    local j = math.random(i)
    slots[i], slots[j] = slots[j], slots[i]
  end
  return slots
end

function request()
  cycle = cycle or shuffled_cycle()
  position = position % #cycle + 1
  return cycle[position].build()
end
