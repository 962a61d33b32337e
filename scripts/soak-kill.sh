#!/usr/bin/env bash
# Soak test of the event runner (not run in CI): kill -9 at random points of a long run, restart
# on the same state directory, and check at the end that the outbox holds every request of a
# clean run exactly once, in the same order.
#
#   scripts/soak-kill.sh [EVENTS] [KILLS] [SEED]        defaults: 200000 events, 300 kills, seed 1
#
# Environment: RETURNRULES (the binary; default: release build in .build-runner, built if
# missing), RULES (default examples/returns.rules), WORK (scratch directory), MODE (spool: one
# file per 500 events watched with --follow, only the interrupted file is redelivered; stdin:
# the whole stream is redelivered from its first line after every kill), SYNC (batch|every).
set -euo pipefail

EVENTS=${1:-200000}
KILLS=${2:-300}
SEED=${3:-1}
MODE=${MODE:-spool}
SYNC=${SYNC:-batch}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
RULES=${RULES:-$ROOT/examples/returns.rules}
WORK=${WORK:-$(mktemp -d /tmp/returnrules-soak.XXXXXX)}
BIN=${RETURNRULES:-$ROOT/.build-runner/release/returnrules}

if [[ ! -x "$BIN" ]]; then
  echo "building $BIN" >&2
  (cd "$ROOT" && swift build -c release --scratch-path .build-runner --product returnrules >&2)
fi
echo "soak: $EVENTS events, $KILLS kills, seed $SEED, mode $MODE, sync $SYNC, in $WORK" >&2

RANDOM=$SEED
"$BIN" dev synth --events "$EVENTS" --returns $((EVENTS / 5)) --seed "$SEED" --output "$WORK/events.jsonl"

make_spool() {
  rm -rf "$1"; mkdir -p "$1"
  split -l 500 -d -a 6 --additional-suffix=.jsonl "$WORK/events.jsonl" "$1/part-"
}

run() { # state-dir spool-dir
  if [[ $MODE == spool ]]; then
    exec "$BIN" run --rules "$RULES" --state "$1" --events "$2" --follow --exit-when-idle 0 --sync "$SYNC" --no-progress
  else
    exec "$BIN" run --rules "$RULES" --state "$1" --events - --sync "$SYNC" --no-progress < "$WORK/events.jsonl"
  fi
}

# The expected outbox.
make_spool "$WORK/spool-clean"
start=$(date +%s.%N)
(run "$WORK/clean" "$WORK/spool-clean") > "$WORK/clean.summary" 2> "$WORK/clean.err"
clean_seconds=$(echo "$(date +%s.%N) - $start" | bc)
echo "clean run: $(grep -c . "$WORK/clean/outbox.jsonl") requests in ${clean_seconds}s" >&2

# How long a restart takes before it processes anything (open the state: snapshot + replay).
mkdir -p "$WORK/empty-spool"
start=$(date +%s.%N)
MODE_SAVED=$MODE; MODE=spool
(run "$WORK/clean" "$WORK/empty-spool") > /dev/null 2>&1
MODE=$MODE_SAVED
startup_ms=$(echo "($(date +%s.%N) - $start) * 1000 / 1" | bc)
echo "a restart takes about ${startup_ms} ms before it processes anything" >&2

# Killed again and again, at random times: after the restart, somewhere in the next
# 2 × (clean run / kills) of processing.
make_spool "$WORK/spool"
kills=0
runs=0
while :; do
  runs=$((runs + 1))
  if (( kills < KILLS )); then
    run "$WORK/state" "$WORK/spool" > /dev/null 2> "$WORK/run.err" &
    pid=$!
    span_ms=$(echo "$clean_seconds * 2000 / $KILLS + 20" | bc)
    delay_ms=$(( startup_ms / 2 + RANDOM % (startup_ms + 1) + RANDOM % ${span_ms%.*} ))
    sleep "$(echo "scale=3; $delay_ms / 1000" | bc)"
    if kill -9 "$pid" 2>/dev/null; then
      wait "$pid" 2>/dev/null || true
      kills=$((kills + 1))
      (( kills % 25 == 0 )) && echo "  $kills kills" >&2
      continue
    fi
    if ! wait "$pid"; then echo "run $runs failed:" >&2; cat "$WORK/run.err" >&2; exit 1; fi
  else
    (run "$WORK/state" "$WORK/spool") > /dev/null 2> "$WORK/run.err" || { cat "$WORK/run.err" >&2; exit 1; }
  fi
  break
done

# Compare without what differs between runs (record numbers, times).
strip() { sed -E 's/"seq":[0-9]+,//; s/,"planned_at":"[^"]*"//; s/&after=[0-9T:-]+//' "$1"; }
strip "$WORK/clean/outbox.jsonl" > "$WORK/expected.txt"
strip "$WORK/state/outbox.jsonl" > "$WORK/got.txt"
dups=$(sed -E 's/.*"key":"([0-9a-f]+)".*/\1/' "$WORK/got.txt" | sort | uniq -d | wc -l)
if [[ $dups -ne 0 ]]; then echo "FAIL: $dups keys in the outbox more than once" >&2; exit 1; fi
if ! cmp -s "$WORK/expected.txt" "$WORK/got.txt"; then
  echo "FAIL: the outbox differs from the clean run:" >&2
  diff "$WORK/expected.txt" "$WORK/got.txt" | head -5 >&2
  exit 1
fi
echo "PASS: $kills kill -9 points in $runs runs; $(wc -l < "$WORK/got.txt") requests, each exactly once, as in the clean run ($WORK)"
