#!/usr/bin/env bash
# Builds release, runs our benchmarks and the peer harness of ../shared/bench in the same run on
# the same events, and writes BENCHMARKS.md: every figure against its target, the ratio to each
# peer, the machine and the method. Works from a clean clone (needs Swift, python3 >= 3.10, and
# PyPI for the peers' virtual environment).
#
#   benchmarks/run.sh [--quick] [--skip-peers [PEERS.json]] [--out FILE] [--keep]
#
#   --quick        3 runs per figure and small inputs, to try the script (about 3 minutes once
#                  built); writes benchmarks/results/BENCHMARKS.quick.md unless --out is given
#   --skip-peers   reuse a peers result from an earlier run (default benchmarks/results/peers.json)
#                  instead of the ~10-minute peer harness; the report says the peers were reused
#   --out FILE     where the report goes (default: BENCHMARKS.md at the repository's root)
#   --keep         keep the scratch folder (events, state directories, logs)
#   --resume-at S  after an interrupted run: keep the figures already in the results folder and
#                  measure from step S on (decisions, peers, check, plan, runner); the report
#                  says so
#   --only S[,S]   measure only these steps and keep the other figures already in the results
#                  folder (after a change that touches one part); the report says so
#
# Environment: BENCH_SRC (the peer harness, default ../shared/bench beside the repository),
# SCRATCH (SwiftPM scratch path, default .build), WORK (scratch folder, default a new temporary
# one), RESULTS_DIR (raw JSON results, default benchmarks/results, not committed), RUNS, EVENTS,
# RUNNER_EVENTS, EVERY_EVENTS, FSYNC_COUNT, BOUNDED_RETURNS (override the sizes below).
#
# The full run takes about 40 minutes on a 2-core machine: ~10 for the peers, most of the rest
# for five `run`s over 1,000,000 events. Everything runs one thing at a time.
set -euo pipefail
export PATH=/opt/swift/usr/bin:$PATH

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

quick=""
skip_peers=""
peers_json=""
out=""
keep=""
resume_at=""
only=""
while (($#)); do
  case "$1" in
    --quick) quick=1 ;;
    --skip-peers)
      skip_peers=1
      if (($# > 1)) && [[ $2 != --* ]]; then peers_json=$2; shift; fi ;;
    --out) out=$2; shift ;;
    --keep) keep=1 ;;
    --resume-at) resume_at=$2; shift ;;
    --only) only=$2; shift ;;
    -h|--help) sed -n '2,23p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument $1 (see --help)" >&2; exit 64 ;;
  esac
  shift
done

load_start=$(cat /proc/loadavg)
BENCH_SRC=${BENCH_SRC:-$ROOT/../shared/bench}
SCRATCH=${SCRATCH:-.build}
RESULTS_DIR=${RESULTS_DIR:-$ROOT/benchmarks/results}
if [[ -n $quick ]]; then
  RUNS=${RUNS:-3}; EVENTS=${EVENTS:-20000}; RUNNER_EVENTS=${RUNNER_EVENTS:-40000}
  EVERY_EVENTS=${EVERY_EVENTS:-200}; FSYNC_COUNT=${FSYNC_COUNT:-200}
  peer_flags=(--budget 5 --timeout 120)
  out=${out:-$RESULTS_DIR/BENCHMARKS.quick.md}
  mode="quick run: $RUNS runs per figure, small inputs"
else
  RUNS=${RUNS:-5}; EVENTS=${EVENTS:-100000}; RUNNER_EVENTS=${RUNNER_EVENTS:-1000000}
  EVERY_EVENTS=${EVERY_EVENTS:-2000}; FSYNC_COUNT=${FSYNC_COUNT:-2000}
  peer_flags=(--timeout 600)   # bench.py's default 170 s per engine is too short on a loaded machine
  out=${out:-$ROOT/BENCHMARKS.md}
  mode="full run: $RUNS runs per figure"
fi
if [[ -n $skip_peers ]]; then
  peers_json=${peers_json:-$RESULTS_DIR/peers.json}
  [[ -f $peers_json ]] || { echo "run.sh: --skip-peers: no $peers_json (run once without it)" >&2; exit 66; }
  peers_json=$(cd "$(dirname "$peers_json")" && pwd)/$(basename "$peers_json")
else
  peers_json=$RESULTS_DIR/peers${quick:+-quick}.json
fi
[[ -f $BENCH_SRC/gen_events.py ]] || { echo "run.sh: no peer harness at $BENCH_SRC (set BENCH_SRC)" >&2; exit 66; }

if [[ -z ${WORK:-} ]]; then
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/returnrules-bench.XXXXXX")
  [[ -n $keep ]] || trap 'rm -rf "$WORK"' EXIT
fi
mkdir -p "$WORK" "$RESULTS_DIR"
OURS=$RESULTS_DIR/ours.json
MACHINE=$RESULTS_DIR/machine.json
steps=(decisions peers check plan runner)
if [[ -n $resume_at && -n $only ]]; then
  echo "run.sh: --resume-at and --only do not go together" >&2; exit 64
elif [[ -n $resume_at ]]; then
  [[ " ${steps[*]} " == *" $resume_at "* ]] || { echo "run.sh: --resume-at takes one of: ${steps[*]}" >&2; exit 64; }
  [[ -f $OURS ]] || { echo "run.sh: --resume-at: no earlier results in $OURS" >&2; exit 66; }
elif [[ -n $only ]]; then
  for wanted in ${only//,/ }; do
    [[ " ${steps[*]} " == *" $wanted "* ]] || { echo "run.sh: --only takes steps among: ${steps[*]}" >&2; exit 64; }
  done
  [[ -f $OURS ]] || { echo "run.sh: --only: no earlier results in $OURS" >&2; exit 66; }
  [[ -n $skip_peers || ",$only," == *",peers,"* ]] || { echo "run.sh: --only without the peers step needs --skip-peers" >&2; exit 64; }
else
  rm -f "$OURS"
fi
# Whether step $1 is measured in this invocation (all of them unless resuming or --only).
measures() {
  [[ -n $only ]] && { [[ ",$only," == *",$1,"* ]]; return; }
  [[ -z $resume_at ]] && return 0
  local step reached=""
  for step in "${steps[@]}"; do
    [[ $step == "$resume_at" ]] && reached=1
    [[ $step == "$1" ]] && { [[ -n $reached ]]; return; }
  done
  return 1
}
step() { echo "== $*" >&2; }
grouped() { echo "$1" | sed ':a;s/\B[0-9]\{3\}\>/,&/;ta'; }
megabytes() { awk -v b="$(stat -c %s "$1")" 'BEGIN { printf "%.1f MB", b / 1e6 }'; }

step "building release products in $SCRATCH"
swift build -c release --scratch-path "$SCRATCH" --product returnrules >&2
swift build -c release --scratch-path "$SCRATCH" --product returnrules-bench >&2
BIN=$(swift build -c release --scratch-path "$SCRATCH" --show-bin-path)
RR=$BIN/returnrules
BENCH=$BIN/returnrules-bench

# A command as the report shows it: the binary, scratch and repository paths taken off.
shown() {
  local text="$*"
  text=${text//$BIN\//}; text=${text//$WORK\//}; text=${text//$ROOT\//}
  echo "$text"
}

# Runs a command RUNS times as its own process: wall time, peak RSS, events/s, MB/s into $OURS.
timed() {
  local options=()
  while [[ $1 != -- ]]; do options+=("$1"); shift; done
  shift
  "$BENCH" time "${options[@]}" --runs "$RUNS" --shown-as "$(shown "$@")" --results "$OURS" -- "$@"
}

step "events: the peer harness copied to $WORK/peers"
cp -R "$BENCH_SRC" "$WORK/peers"
chmod -R u+w "$WORK/peers"
mkdir -p "$WORK/peers/data"
# bench.py reads data/events_<n>_s<seed>.jsonl when it exists: the peers decide these very events.
EV=$WORK/peers/data/events_${EVENTS}_s42.jsonl
python3 "$WORK/peers/gen_events.py" --n "$EVENTS" --seed 42 --out "$EV" >&2
python3 "$WORK/peers/expected.py" --events "$EV" > "$WORK/expected.jsonl"
python3 benchmarks/gen_rules.py --rules 1000 --out "$WORK/rules-1k.rules"
python3 benchmarks/gen_rules.py --rules 10000 --out "$WORK/rules-10k.rules"
"$RR" dev synth --events "$RUNNER_EVENTS" --returns $((RUNNER_EVENTS / 5)) --seed 1 --output "$WORK/synth.jsonl"
head -n $((RUNNER_EVENTS / 4)) "$WORK/synth.jsonl" > "$WORK/synth-quarter.jsonl"
head -n "$EVERY_EVENTS" "$WORK/synth.jsonl" > "$WORK/synth-every.jsonl"
# Memory: as many events over a fixed 10,000 returns. State grows with distinct returns (the
# stream above brings a new one every five events), never with events: RSS must stay flat here.
BOUNDED_RETURNS=${BOUNDED_RETURNS:-10000}
"$RR" dev synth --events "$RUNNER_EVENTS" --returns "$BOUNDED_RETURNS" --seed 2 --output "$WORK/bounded.jsonl"
head -n $((RUNNER_EVENTS / 4)) "$WORK/bounded.jsonl" > "$WORK/bounded-quarter.jsonl"

if measures decisions; then
step "decisions: both implementations against expected.py, then decisions/s"
"$BENCH" verify --rules benchmarks/spec.rules --events "$EV" --expected "$WORK/expected.jsonl" --results "$OURS"
"$BENCH" measure --rules benchmarks/spec.rules --events "$EV" --runs "$RUNS" --results "$OURS" \
  --shown-as "$(shown returnrules-bench measure --rules benchmarks/spec.rules --events "$EV" --runs "$RUNS")"

fi

if [[ -z $skip_peers ]] && measures peers; then
  step "peers: setup.sh and bench.py (about 10 minutes for the full run)"
  (cd "$WORK/peers" && ./setup.sh > "$WORK/peers-setup.log" 2>&1) || { tail -n 20 "$WORK/peers-setup.log" >&2; exit 1; }
  (cd "$WORK/peers" && .venv/bin/python bench.py --n "$EVENTS" --seed 42 --repeats "$RUNS" ${peer_flags[@]+"${peer_flags[@]}"} --out "$peers_json")
  peer_source="this run"
elif [[ -z $skip_peers ]]; then
  peer_source="this run"   # measured before the interruption, on the same events (the mode says it was resumed)
else
  peer_source="reused from $(shown "$peers_json"), written by an earlier run"
fi

if measures check; then
step "check"
lines() { grouped "$(wc -l < "$1")"; }
timed --id check.client_large --label "benchmarks/client-large.rules ($(lines benchmarks/client-large.rules) lines)" \
  --warmup 1 --ok-exit 0,2 --log "$WORK/check.log" -- "$RR" check benchmarks/client-large.rules
timed --id check.rules_1k --label "generated, 1,000 rules ($(lines "$WORK/rules-1k.rules") lines)" \
  --warmup 1 --ok-exit 0,2 --log "$WORK/check.log" -- "$RR" check "$WORK/rules-1k.rules"
timed --id check.rules_10k --label "generated, 10,000 rules ($(lines "$WORK/rules-10k.rules") lines)" \
  --warmup 1 --ok-exit 0,2 --log "$WORK/check.log" -- "$RR" check "$WORK/rules-10k.rules"

fi

if measures plan; then
step "plan end to end"
# The target is for one thread; as shipped, plan reads files on a second thread.
timed --id plan --label "plan, one thread, $(grouped "$EVENTS") events ($(megabytes "$EV")) to a JSON plan" \
  --warmup 1 --events "$EVENTS" --input "$EV" --stdout /dev/null --log "$WORK/plan.log" \
  -- env RETURNRULES_PLAN_THREADS=1 "$RR" plan --rules benchmarks/spec.rules --format json --events "$EV"
timed --id plan.two_threads --label "plan as shipped (reader thread + planning thread), $(grouped "$EVENTS") events" \
  --warmup 1 --events "$EVENTS" --input "$EV" --stdout /dev/null --log "$WORK/plan.log" \
  -- "$RR" plan --rules benchmarks/spec.rules --format json --events "$EV"

fi

if measures runner; then
step "runner"
run_label="$(grouped "$RUNNER_EVENTS") events"
timed --id runner.batch --label "run --sync batch, $run_label" --events "$RUNNER_EVENTS" --fresh-dir "$WORK/state" --log "$WORK/run.log" \
  -- "$RR" run --rules examples/returns.rules --state "$WORK/state" --events "$WORK/synth.jsonl" --sync batch --no-progress
timed --id runner.restart --label "restart after the $run_label: newest snapshot, then the journal after it" --log "$WORK/replay.log" \
  -- "$RR" dev replay --state "$WORK/state"
# A full replay needs every journal segment; by default a snapshot lets the runner delete the
# segments it covers, so this state directory is written once with snapshots out of reach.
rm -rf "$WORK/state"
"$RR" run --rules examples/returns.rules --state "$WORK/state" --events "$WORK/synth.jsonl" --sync batch --no-progress \
  --snapshot-every 1000000000 > "$WORK/run.log" 2>&1
timed --id runner.replay --label "journal replay of the $run_label (every record, no snapshot)" --log "$WORK/replay.log" \
  -- "$RR" dev replay --state "$WORK/state" --no-snapshots
timed --id runner.batch_quarter --label "run --sync batch, first $(grouped $((RUNNER_EVENTS / 4))) events" --events $((RUNNER_EVENTS / 4)) \
  --fresh-dir "$WORK/state" --log "$WORK/run.log" \
  -- "$RR" run --rules examples/returns.rules --state "$WORK/state" --events "$WORK/synth-quarter.jsonl" --sync batch --no-progress
timed --id runner.bounded_quarter --label "run --sync batch, first $(grouped $((RUNNER_EVENTS / 4))) events over $(grouped "$BOUNDED_RETURNS") returns" \
  --events $((RUNNER_EVENTS / 4)) --fresh-dir "$WORK/state" --log "$WORK/run.log" \
  -- "$RR" run --rules examples/returns.rules --state "$WORK/state" --events "$WORK/bounded-quarter.jsonl" --sync batch --no-progress
timed --id runner.bounded --label "run --sync batch, $run_label over $(grouped "$BOUNDED_RETURNS") returns" --events "$RUNNER_EVENTS" \
  --fresh-dir "$WORK/state" --log "$WORK/run.log" \
  -- "$RR" run --rules examples/returns.rules --state "$WORK/state" --events "$WORK/bounded.jsonl" --sync batch --no-progress
# Sync every event against the disk's raw commit rate, in pairs: each run times raw appends and
# then the runner straight after, on the same disk, and the ratio is taken per pair.
every_command=("$RR" run --rules examples/returns.rules --state "$WORK/state" --events "$WORK/synth-every.jsonl" --sync every --no-progress)
"$BENCH" fsync --dir "$WORK" --count "$FSYNC_COUNT" --runs "$RUNS" --results "$OURS" \
  --shown-as "returnrules-bench fsync --dir STATE-FOLDER --count $FSYNC_COUNT --runs $RUNS" \
  --paired-id runner.every --label "run --sync every, first $(grouped "$EVERY_EVENTS") events" --events "$EVERY_EVENTS" \
  --fresh-dir "$WORK/state" --log "$WORK/run.log" --paired-shown-as "$(shown "${every_command[@]}")" \
  -- "${every_command[@]}"
rm -rf "$WORK/state"
fi

step "report"
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if [[ -n $(git status --porcelain --untracked-files=no 2>/dev/null) ]]; then commit+=" with uncommitted changes"; fi
"$BENCH" machine --out "$MACHINE" --load-start "$load_start" --swift-version "$(swift --version 2>&1 | head -n 1)" \
  --fact "mode=$mode${resume_at:+ (resumed at the $resume_at step after an interruption; earlier figures from the same run)}${only:+ (only the ${only//,/, } step(s) measured at this commit; the other figures come from the earlier results in the results folder)}" --fact "commit=$commit" \
  --fact "decision and plan events=\`gen_events.py --n $EVENTS --seed 42\` in the copy of ../shared/bench ($(megabytes "$EV")); the peers read the same file" \
  --fact "\`run\` events=\`returnrules dev synth --events $RUNNER_EVENTS --returns $((RUNNER_EVENTS / 5)) --seed 1\` ($(megabytes "$WORK/synth.jsonl")): Reveni-shaped return lifecycles with redeliveries, re-sends under new ids, out-of-order and malformed lines, planned with examples/returns.rules and no store snapshot; the smaller runs read the first lines of the same file; the memory runs read \`dev synth --events $RUNNER_EVENTS --returns $BOUNDED_RETURNS --seed 2\`" \
  --fact "state directories=fresh and empty for each \`run\`, on $(df -T "$WORK" | awk 'NR == 2 { print $2 }') (the raw fdatasync figure is taken in the same folder)" \
  --fact "peer results=$peer_source"
"$BENCH" report --ours "$OURS" --peers "$peers_json" --machine "$MACHINE" --analysis benchmarks/analysis.md --out "$out"
step "wrote $out (raw results in $RESULTS_DIR)"
