#!/usr/bin/env bash
# Issue 8 acceptance for the PostgreSQL storage, on one machine over loopback:
#   1. 8 worker processes x 250 trials on one study: 2,000 trials, unique dense numbers, every
#      value recorded and equal to the objective of its parameters.
#   2. Chaos run: 8 workers (trials that sleep 40 ms, heartbeat 1 s, retry on); two are killed
#      with SIGKILL mid-trial, and PostgreSQL is restarted mid-study. Checks: the killed trials
#      are FAIL within two heartbeat intervals of the kill and re-run (retried_from) to
#      COMPLETE; every trial COMPLETE before the restart is still COMPLETE after it; the six
#      surviving workers finish all their trials.
#   3. Storage cost per trial (ask + 3 suggestions + tell) for one worker.
# Needs: a running server, HONE_TEST_POSTGRES_URL (default postgresql://hone:hone@127.0.0.1/hone_test),
# psql, pg_ctlcluster (for the restart), and `swift build -c release --product hone-bench`.
set -euo pipefail
cd "$(dirname "$0")/.."
URL="${HONE_TEST_POSTGRES_URL:-postgresql://hone:hone@127.0.0.1/hone_test}"
BENCH="${HONE_BENCH:-.build/release/hone-bench}"
CLUSTER="${PG_CLUSTER:-15 main}"
q() { psql "$URL" -Atc "$1"; }
now() { date +%s.%N; }
[ -x "$BENCH" ] || { echo "build hone-bench first: swift build -c release --product hone-bench"; exit 1; }
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
echo "load before: $(uptime)"

# 1. Clean run.
S1="accept-clean-$$"
t0=$(now)
for w in $(seq 0 7); do "$BENCH" storage-worker --storage "$URL" --study "$S1" --trials 250 --seed "$w" >/dev/null 2>"$tmp/c$w.err" & done
wait
t1=$(now)
cat "$tmp"/c*.err
sid=$(q "SELECT id FROM hone_studies WHERE name='$S1'")
q "SELECT count(*), count(DISTINCT number), min(number), max(number), sum((state='COMPLETE')::int) FROM hone_trials WHERE study_id=$sid" \
  | awk -F'|' '{ok=($1==2000&&$2==2000&&$3==0&&$4==1999&&$5==2000); print "clean: trials="$1" distinct="$2" range="$3".."$4" complete="$5(ok?"  OK":"  FAIL"); exit !ok}'
bad=$(q "SELECT count(*) FROM hone_trials t
  JOIN hone_trial_params x ON x.trial_id=t.id AND x.name='x' JOIN hone_trial_params n ON n.trial_id=t.id AND n.name='n'
  WHERE t.study_id=$sid AND abs(split_part(t.values_text,' ',1)::float8 - (x.value*x.value + n.value)) > 1e-9")
echo "clean: values not equal to x^2+n: $bad"; [ "$bad" = 0 ]
echo "clean: 8 x 250 trials in $(echo "$t1 - $t0" | bc) s"

# 2. Chaos run.
S2="accept-chaos-$$"
for w in $(seq 0 7); do
  "$BENCH" storage-worker --storage "$URL" --study "$S2" --trials 250 --seed "$w" --sleep-ms 40 --heartbeat 1 --retry \
    >"$tmp/w$w.out" 2>"$tmp/w$w.err" & echo $! >"$tmp/w$w.pid"
done
# Let the workers run ~40 trials each, then kill two of them inside a trial (right after it
# printed {"running": N} and before its 40 ms sleep ends).
until [ "$(cat "$tmp"/w*.out 2>/dev/null | wc -l)" -ge 300 ]; do sleep 0.2; done
declare -A killed
for w in 0 1; do
  pid=$(cat "$tmp/w$w.pid")
  before=$(wc -l <"$tmp/w$w.out")
  until [ "$(wc -l <"$tmp/w$w.out")" -gt "$before" ]; do sleep 0.005; done
  kill -9 "$pid"; kt=$(now)
  n=$(grep -o '"running": [0-9]*' "$tmp/w$w.out" | tail -1 | grep -o '[0-9]*$' || true)
  [ -n "$n" ] || { echo "worker $w printed no trial"; exit 1; }
  killed[$n]=$kt; echo "killed worker $w (pid $pid) inside trial $n"
done
sleep 2
sid2=$(q "SELECT id FROM hone_studies WHERE name='$S2'")
q "SELECT id FROM hone_trials WHERE study_id=$sid2 AND state='COMPLETE' ORDER BY id" >"$tmp/complete-before"
echo "restarting PostgreSQL with $(wc -l <"$tmp/complete-before") COMPLETE trials stored"
pg_ctlcluster $CLUSTER restart || echo "pg_ctlcluster restart returned $?"
until pg_isready -q -h 127.0.0.1; do sleep 0.2; done
echo "PostgreSQL is back"
for w in $(seq 2 7); do
  if ! wait "$(cat "$tmp/w$w.pid")"; then echo "worker $w failed:"; cat "$tmp/w$w.err"; exit 1; fi
  echo "worker $w finished $(grep -c running "$tmp/w$w.out") trials"
done
q "SELECT id FROM hone_trials WHERE study_id=$sid2 AND state='COMPLETE' ORDER BY id" >"$tmp/complete-after"
lost=$(comm -23 "$tmp/complete-before" "$tmp/complete-after" | wc -l)
echo "chaos: COMPLETE trials lost across the restart: $lost"; [ "$lost" = 0 ]
for n in "${!killed[@]}"; do
  row=$(q "SELECT state, completed_at FROM hone_trials WHERE study_id=$sid2 AND number=$n")
  st=${row%%|*}; done_at=${row##*|}
  delay=$(echo "$done_at - ${killed[$n]}" | bc)
  retry=$(q "SELECT t.state FROM hone_trials t JOIN hone_trial_attrs a ON a.trial_id=t.id AND a.system AND a.key='retried_from'
             WHERE t.study_id=$sid2 AND a.value='$n'")
  echo "chaos: killed trial $n -> $st ${delay}s after the kill (limit: 2 heartbeat intervals = 2 s, +0.2 s scheduling slack); retry -> $retry"
  [ "$st" = FAIL ] && [ "$(echo "$delay <= 2.2" | bc)" = 1 ] && [ "$retry" = COMPLETE ]
done
q "SELECT count(*), count(DISTINCT number), max(number)+1, sum((state='COMPLETE')::int), sum((state='FAIL')::int), sum((state='RUNNING')::int)
   FROM hone_trials WHERE study_id=$sid2" | awk -F'|' '{print "chaos: trials="$1" distinct="$2" dense_to="$3" complete="$4" fail="$5" running="$6}'

# 3. Cost per trial.
"$BENCH" storage --backend postgres --path "$URL" --trials 1000
echo "load after: $(uptime)"
