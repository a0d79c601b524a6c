#!/usr/bin/env bash
# The benchmark (bench/README.md): the service and the raw-ADO.NET floor, loaded by wrk with the
# same settings, in alternating rounds, on SQLite and on PostgreSQL; then the list and stream
# scenarios. Usage: bench/run.sh [--smoke]   (./build.sh bench [--smoke])
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

if [ "${1:-}" = "--smoke" ]; then
  mode=smoke duration=1 warmup=0 rounds=1 own=1000 small=2000 large=20000 streams=100 upserts=2 warmup_seconds=2 rung_warmup=0
else
  mode=full duration=6 warmup=4 rounds=2 own=1000 small=10000 large=1000000 streams=10000 upserts=5 warmup_seconds=30 rung_warmup=24
fi
threads=2 connections=32
# S6 holds this many wizard-run streams open over this many workflows, and works in this many tenants' onboardings.
mixed_streams=100 mixed_workflows=5 mixed_tenants=10
# BENCH_SCENARIOS picks scenarios (e.g. "S1" for the telemetry on/off comparison); all by default.
scenarios=" ${BENCH_SCENARIOS:-S1 S2 S3 S4 S5 S6} "
# The ladder (bench/Ladder): S1 also against the rungs between the floor and the service, each one more of the
# service's layers, in the same alternating rounds. BENCH_LADDER=0 leaves them out.
rungs=""
if [ "${BENCH_LADDER:-1}" = 1 ] && [[ $scenarios == *" S1 "* ]]; then
  rungs="mvc auth mediatr ef"
fi
configuration=Release
harness="dotnet bench/Harness/bin/$configuration/net10.0/Sessions.Bench.Harness.dll"

if ! command -v wrk >/dev/null; then
  echo "installing wrk" >&2
  apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >&2
fi
# 10,000 streams are 10,000 sockets in the service and as many in the harness.
ulimit -n "$(ulimit -Hn)"

dotnet build Sessions.sln -c "$configuration" --nologo -v quiet >/dev/null

work=$(mktemp -d /tmp/sessions-bench.XXXXXX)
pids=()
own_postgres=""
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ -n "$own_postgres" ] && scripts/postgres.sh stop "$own_postgres"
  rm -rf "$work"
}
trap cleanup EXIT

# The service runs as it ships: published, with its project's publish settings (ReadyToRun). The floor and
# the ladder's rungs run from the build.
dotnet publish src/Api -c "$configuration" --nologo -v quiet -o "$work/service" >/dev/null
bin="$work/service"

if [ -z "${SESSIONS_TEST_POSTGRES:-}" ]; then
  eval "$(scripts/postgres.sh start)"
  own_postgres=$SESSIONS_TEST_POSTGRES_DIR
fi

results="$work/results.jsonl"
# Telemetry as shipped (metrics on /metrics, no trace exporter); BENCH_TELEMETRY=off runs the service
# without it, for the on/off comparison recorded in bench/README.md.
telemetry=()
if [ "${BENCH_TELEMETRY:-on}" = off ]; then
  telemetry=(Sessions__Telemetry__Prometheus=false Sessions__Telemetry__Tracing=false)
fi
secrets_key=$(head -c 32 /dev/urandom | base64)
# Six ports in a row (service, floor, then the rungs in the order they stack), none of them listening: on a
# shared machine another run may hold 5301, and an app that cannot bind would leave its port to that run's app.
port_base=5301
while ss -Hltn | awk '{ print $4 }' | grep -Eq ":(${port_base}|$((port_base + 1))|$((port_base + 2))|$((port_base + 3))|$((port_base + 4))|$((port_base + 5)))\$"; do
  port_base=$((port_base + 10))
done
port_of() { # app
  case $1 in service) echo $port_base ;; floor) echo $((port_base + 1)) ;; mvc) echo $((port_base + 2)) ;;
    auth) echo $((port_base + 3)) ;; mediatr) echo $((port_base + 4)) ;; ef) echo $((port_base + 5)) ;; esac
}
port_service=$(port_of service)

# Starts the service, the floor or a rung of the ladder on a port with the same database and waits for it to answer.
start() { # app provider connection port
  local app=$1 provider=$2 connection=$3 port=$4
  local common=(env ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning
    Sessions__Database__Provider="$provider" ConnectionStrings__Sessions="$connection")
  if [ "$app" = service ]; then
    # The rate limit and the stream cap would refuse the load itself; everything else is as shipped.
    "${common[@]}" "${telemetry[@]}" Sessions__Api__RateLimitPerSecond=1000000000 Sessions__Api__RateLimitBurst=1000000000 Sessions__Secrets__Key="$secrets_key" \
      Sessions__WizardRuns__MaxStreams=$((streams + 100)) Sessions__WizardRuns__MaxStreamsPerKey=$((streams + 100)) \
      dotnet "$bin/Sessions.Api.dll" --urls "http://127.0.0.1:$port" >"$work/$app.log" 2>&1 &
  elif [ "$app" != floor ]; then
    # A rung: the service's rate limit is one of its layers, raised as for the service.
    "${common[@]}" Sessions__Api__RateLimitPerSecond=1000000000 Sessions__Api__RateLimitBurst=1000000000 \
      dotnet "bench/Ladder/bin/$configuration/net10.0/Sessions.Bench.Ladder.dll" --Ladder:Rung="$app" --urls "http://127.0.0.1:$port" >"$work/$app.log" 2>&1 &
  else
    "${common[@]}" Floor__WizardDefinition="$bin/WizardSessions/Definitions/onboarding-wizard-v3.json" \
      dotnet "bench/Floor/bin/$configuration/net10.0/Sessions.Bench.Floor.dll" --urls "http://127.0.0.1:$port" >"$work/$app.log" 2>&1 &
  fi
  pids+=($!)
  started_pid=$!
  for _ in $(seq 1 100); do
    kill -0 "$started_pid" 2>/dev/null || break
    curl -s -o /dev/null "http://127.0.0.1:$port/" && return 0
    sleep 0.2
  done
  echo "$app did not start:" >&2
  cat "$work/$app.log" >&2
  exit 1
}

stop_all() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  pids=()
}

# One wrk run; prints its RESULT object (nothing for a zero-second warm-up).
load() { # seconds url script
  [ "$1" = 0 ] && return 0
  local out
  out=$(BENCH_WRK="$root/bench/wrk" BENCH_SESSIONS=$own BENCH_THREADS=$threads \
    BENCH_WORKFLOWS=$mixed_workflows BENCH_ONBOARDING="${onboarding:-}" \
    wrk -t"$threads" -c"$connections" -d"$1s" -H "Authorization: Bearer $key" -s "$3" "$2")
  grep '^RESULT ' <<<"$out" | sed 's/^RESULT //'
}

record() { # json-prefix result
  echo "{$1,${2#\{}" >>"$results"
  echo "  $1 ${2}" >&2
}

for provider in ${BENCH_PROVIDERS:-sqlite postgres}; do
  echo "== $provider" >&2
  if [ "$provider" = sqlite ]; then
    connection="Data Source=$work/bench.db"
  else
    connection=$($harness database "$SESSIONS_TEST_POSTGRES" "sessions_bench")
  fi

  export Sessions__Database__Provider=$provider ConnectionStrings__Sessions=$connection ASPNETCORE_ENVIRONMENT=Production
  dotnet "$bin/Sessions.Api.dll" migrate >/dev/null
  key=$(dotnet "$bin/Sessions.Api.dll" keys create --user bench \
    --scopes wizard_session:read,wizard_session:write,connector_session:read,connector_session:write,calculator_session:read,calculator_session:write,onboarding:read,onboarding:write \
    --projects 1 --organisations org_1 --tenants "$(seq -s, 1 $mixed_tenants)" | tail -1)
  unset Sessions__Database__Provider ConnectionStrings__Sessions ASPNETCORE_ENVIRONMENT
  $harness seed "$provider" "$connection" bench "$own" "$small"

  for app in service floor $rungs; do
    start "$app" "$provider" "$connection" "$(port_of "$app")"
  done

  if [[ $scenarios == *" S1 "* ]]; then
    # Time to steady state: the service and the floor, fresh from their start, under S1's load in
    # one-second steps (one app after the other, so neither warms up while the other is loaded).
    for app in service floor; do
      for second in $(seq 1 "$warmup_seconds"); do
        record "\"kind\":\"warmup\",\"provider\":\"$provider\",\"app\":\"$app\",\"second\":$second" \
          "$(load 1 "http://127.0.0.1:$(port_of "$app")" bench/wrk/get-session.lua)"
      done
    done
  fi

  for scenario in S1 S2 S3; do
    [[ $scenarios == *" $scenario "* ]] || continue
    case $scenario in
      S1) script=bench/wrk/get-session.lua ;;
      S2) script=bench/wrk/step.lua ;;
      S3) script=bench/wrk/push-run.lua ;;
    esac
    apps="service floor"
    [ $scenario = S1 ] && apps="$apps $rungs"
    for app in $apps; do
      # The service and the floor come warm from the warm-up measurement; a rung starts cold here and, like
      # the service, reaches its steady rate only after about 20 s of load (tiered compilation).
      seconds=$warmup
      [[ " $rungs " == *" $app "* ]] && seconds=$rung_warmup
      load "$seconds" "http://127.0.0.1:$(port_of "$app")" "$script" >/dev/null
    done
    for round in $(seq 1 "$rounds"); do
      for app in $apps; do
        port=$(port_of "$app")
        [ $scenario = S2 ] && $harness rewind "$provider" "$connection" bench
        record "\"kind\":\"http\",\"scenario\":\"$scenario\",\"provider\":\"$provider\",\"app\":\"$app\",\"round\":$round" \
          "$(load "$duration" "http://127.0.0.1:$port" "$script")"
      done
    done
  done

  if [[ $scenarios == *" S6 "* ]]; then
    # S6: the service alone under the mixed load, with the streams held open by the harness throughout.
    onboarding=$($harness onboarding "http://127.0.0.1:$port_service/" "$key" $mixed_tenants)
    $harness hold-streams "http://127.0.0.1:$port_service/api/projects/1/" "$key" $mixed_streams $mixed_workflows \
      >"$work/hold.json" 2>"$work/hold.log" &
    hold=$!
    pids+=($hold)
    until grep -q '^open$' "$work/hold.log"; do
      kill -0 $hold 2>/dev/null || { echo "the S6 streams did not open:" >&2; cat "$work/hold.log" >&2; exit 1; }
      sleep 0.2
    done
    # At least a second of warm-up even in the smoke run: cold, the first second of its nineteen routes is mostly JIT.
    $harness rewind "$provider" "$connection" bench
    load $((warmup > 0 ? warmup : 1)) "http://127.0.0.1:$port_service" bench/wrk/mixed.lua >/dev/null
    for round in $(seq 1 "$rounds"); do
      $harness rewind "$provider" "$connection" bench
      record "\"kind\":\"mixed\",\"provider\":\"$provider\",\"round\":$round" \
        "$(load "$duration" "http://127.0.0.1:$port_service" bench/wrk/mixed.lua)"
    done
    kill -TERM $hold
    wait $hold || { echo "the S6 stream check failed:" >&2; cat "$work/hold.log" >&2; exit 1; }
    record "\"kind\":\"mixed_streams\",\"provider\":\"$provider\"" "$(cat "$work/hold.json")"
  fi

  for rows in "$small" "$large"; do
    [[ $scenarios == *" S4 "* ]] || break
    [ "$rows" = "$large" ] && $harness seed "$provider" "$connection" bench "$own" "$large"
    for list in /api/v1/session /api/v1/wizard-sessions /api/projects/1/wizard/sessions "/api/v1/benefit-calculator-sessions?organisation_id=org_1"; do
      load $((warmup / 2)) "http://127.0.0.1:$port_service$list" bench/wrk/report.lua >/dev/null
      record "\"kind\":\"list\",\"list\":\"${list%%\?*}\",\"provider\":\"$provider\",\"rows\":$rows" \
        "$(load $((duration / 2 + 1)) "http://127.0.0.1:$port_service$list" bench/wrk/report.lua)"
    done
  done
  stop_all

  [[ $scenarios == *" S5 "* ]] || continue
  # S5 on a fresh service process, so its memory is the streams' and not the earlier load's.
  start service "$provider" "$connection" $port_service
  record "\"kind\":\"streams\",\"provider\":\"$provider\"" \
    "$($harness streams "http://127.0.0.1:$port_service/api/projects/1/" "$key" "$started_pid" "$streams" "$upserts")"
  stop_all
done

{
  echo "Measured $(date -u +%Y-%m-%d) at commit $(git rev-parse --short HEAD) ($mode run of $SECONDS s: wrk -t$threads -c$connections, ${duration}s per run, $rounds alternating rounds)"
  echo "on $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(dotnet --version) SDK, PostgreSQL $(/usr/lib/postgresql/15/bin/postgres --version | awk '{ print $3 }'), wrk $(wrk -v 2>&1 | head -1 | awk '{ print $2 }')."
  echo
  $harness report "$results"
} | tee "${BENCH_OUT:-$work/report.md}"

# A scenario where more than 1% of the requests failed measured the wrong thing, and a stream
# that missed an upsert lost it: the run fails. (A few 409s are expected from SQLite's single
# writer under S2: a move that waited out the lock can meet its session's next move.)
if ! awk -F'[:,}]' '{ for (i = 1; i < NF; i++) { gsub(/[" {]/, "", $i); v[$i] = $(i + 1) }
                      if (v["missed"] > 0 || v["non_2xx"] + v["socket_errors"] > 0.01 * v["requests"]) bad = 1; delete v }
                    END { exit bad }' "$results"; then
  echo "a scenario failed: see the non-2xx and missed columns" >&2
  exit 1
fi
