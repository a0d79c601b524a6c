-- S3: the wizard CLI pushing the state of its runs: a ~2 KB payload, each run pushed again and
-- again as it progresses (200 runs per thread, so nearly every push updates a stored run).
dofile(os.getenv("BENCH_WRK") .. "/report.lua")
-- Passing headers to wrk.format would replace the -H ones (the API key), so set them here.
wrk.headers["Content-Type"] = "application/json"
local n = 0
local tasks = {}
for i = 0, 11 do
  tasks[#tasks + 1] = string.format(
    '{"id":"%d","title":"Step %d: install the SDK, wire the provider and verify the first event arrives","status":"%s"}',
    i, i, i < 6 and "completed" or "pending")
end
local events = {}
for i = 1, 14 do
  events[#events + 1] = string.format('{"name":"checkout_step_%02d","description":"User reached step %d of checkout"}', i, i)
end
local template = '{"session_id":"wf-nextjs-2026-11-26T1%d:%02d:%02dZ","workflow_id":"wf","skill_id":"nextjs",'
  .. '"started_at":"2026-11-26T10:00:00Z","run_phase":"running","tasks":[' .. table.concat(tasks, ",") .. '],'
  .. '"event_plan":{"events":[' .. table.concat(events, ",") .. ']},"error":null,"pending_input":null,'
  .. '"handoff_text":"Open the dashboard and confirm the events listed in the plan arrive from a local run of the app."}'

function request()
  n = n + 1
  local run = n % 200
  return wrk.format("POST", "/api/projects/1/wizard/sessions", nil,
    string.format(template, thread_number, math.floor(run / 60), run % 60))
end
