#!/usr/bin/env bash
# Runs end to end: Ctrl-C (even delivered twice in a second) writes a checkpoint and the same command
# resumes; a finished run is left alone; another graph in the same run directory is refused; `engine
# eval` runs the evaluation rollouts from the checkpoint; a damaged checkpoint is an error that
# changes nothing.
# Usage: run_resume_test.sh ENGINE SOURCE_DIR
set -u
engine=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL $1"; [ -f "$tmp/out" ] && cat "$tmp/out"; fails=$((fails + 1)); }
ok() { echo "ok   $1"; }
graph=$src/graphs/planet.json
dir=$tmp/run
args=(run "$graph" --preset small --run-dir "$dir" --set program.1.repeat=40 --threads 1 --tensorboard)

"$engine" "${args[@]}" >"$tmp/out" 2>&1 &
pid=$!
for _ in $(seq 600); do  # until two rows are logged (at most 60 s)
  [ -f "$dir/metrics.jsonl" ] && [ "$(wc -l <"$dir/metrics.jsonl")" -ge 2 ] && break
  sleep 0.1
done
kill -INT $pid
wait $pid
rc=$?
if [ $rc = 130 ] && grep -q "interrupted: checkpoint saved" "$tmp/out" && [ -f "$dir/checkpoint.pt" ]; then ok interrupt; else fail "interrupt (exit $rc)"; fi

# `timeout -s INT` signals the engine and then its process group: the same interrupt twice within a
# second, here while a Dreamer update (seconds long) runs. One clean stop with a checkpoint.
"$engine" run "$src/graphs/dreamer_state.json" --run-dir "$tmp/twice" --threads 1 >"$tmp/out" 2>&1 &
pid=$!
for _ in $(seq 600); do  # until the prefill is logged and the first update runs (at most 60 s)
  [ -f "$tmp/twice/metrics.jsonl" ] && [ "$(wc -l <"$tmp/twice/metrics.jsonl")" -ge 5 ] && break
  sleep 0.1
done
kill -INT $pid
sleep 0.3
kill -INT $pid
wait $pid
rc=$?
if [ $rc = 130 ] && grep -q "interrupted: checkpoint saved" "$tmp/out"; then ok interrupt_twice; else fail "interrupt_twice (exit $rc)"; fi

"$engine" "${args[@]}" >"$tmp/out" 2>&1
rc=$?
rows=$(wc -l <"$dir/metrics.jsonl")
iters=$(grep '"label":"train"' "$dir/metrics.jsonl" | grep -o '"iterations":[0-9]*' | sort -u | wc -l)
if [ $rc = 0 ] && grep -q "^resuming from" "$tmp/out" && [ "$rows" = 42 ] && [ "$iters" = 40 ] &&
   [ -s "$dir/events.out.tfevents.latentflow" ]; then
  ok resume
else
  fail "resume (exit $rc, $rows rows, $iters distinct iterations)"
fi

"$engine" "${args[@]}" >"$tmp/out" 2>&1
if [ $? = 0 ] && grep -q "the run is complete" "$tmp/out"; then ok complete; else fail complete; fi

"$engine" "${args[@]}" --set blocks.cell.hidden=17 >"$tmp/out" 2>&1
if [ $? = 2 ] && grep -q "holds a run of another graph (replace /blocks/cell/hidden" "$tmp/out"; then ok other_graph; else fail other_graph; fi

"$engine" eval "$dir" --episodes 2 --threads 1 >"$tmp/out" 2>&1
if [ $? = 0 ] && grep -q "eval_step run 2 | eval_return" "$tmp/out" && [ "$(wc -l <"$dir/eval.jsonl")" = 2 ]; then ok eval; else fail eval; fi

"$engine" eval "$tmp" >"$tmp/out" 2>&1
if [ $? = 2 ] && grep -q "is not a run directory" "$tmp/out"; then ok eval_not_a_run; else fail eval_not_a_run; fi

cp "$dir/checkpoint.pt" "$tmp/good.pt"
head -c 1000 "$tmp/good.pt" >"$dir/checkpoint.pt"
cp "$dir/checkpoint.pt" "$tmp/damaged.pt"
"$engine" "${args[@]}" >"$tmp/out" 2>&1
if [ $? = 1 ] && grep -q "not a readable checkpoint" "$tmp/out" && cmp -s "$dir/checkpoint.pt" "$tmp/damaged.pt"; then
  ok damaged_checkpoint
else
  fail damaged_checkpoint
fi

echo "$((8 - fails)) passed, $fails failed"
[ "$fails" -eq 0 ]
