#!/usr/bin/env bash
# The `engine` command line end to end: exit codes (0 ok, 1 run-time failure, 2 bad input), error
# locations on stderr, --set, --seed repeatability, --trace, nodes/describe/dot.
# Usage: cli_test.sh ENGINE SOURCE_DIR
set -u
engine=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0 passes=0
check() {  # check NAME EXPECTED_RC GREP_PATTERN -- COMMAND...
  local name=$1 want=$2 pattern=$3
  shift 4
  "$@" >"$tmp/out" 2>&1
  local rc=$?
  if [ "$rc" != "$want" ]; then
    echo "FAIL $name: exit $rc, expected $want"; cat "$tmp/out"; fails=$((fails + 1)); return
  fi
  if [ -n "$pattern" ] && ! grep -qE -- "$pattern" "$tmp/out"; then
    echo "FAIL $name: output lacks /$pattern/"; cat "$tmp/out"; fails=$((fails + 1)); return
  fi
  echo "ok   $name"
  passes=$((passes + 1))
}
fit=$src/graphs/examples/rssm_fit.json
short=(--set program.0.repeat=6 --set program.0.do.1.every=3 --threads 1)

check validate_ok 0 "ok \(7 blocks, 2 flows\)" -- "$engine" validate "$fit"
printf '{"blocks": {"x": {"type": "nn.linear", "in_dim": 0}}}' >"$tmp/bad.json"
check validate_bad 2 "bad.json:/blocks/x/in_dim: param 'in_dim' \(int\): out of range" -- "$engine" validate "$tmp/bad.json"
check validate_bad_missing 2 "/blocks/x: missing required param 'out_dim'" -- "$engine" validate "$tmp/bad.json"
printf '{\n "blocks": {,\n}\n' >"$tmp/malformed.json"
check malformed_json 2 "malformed.json:2:13: malformed JSON" -- "$engine" validate "$tmp/malformed.json"
# No crash on hostile input: deep nesting, a huge node type (no quadratic did-you-mean, no echo of
# megabytes), a rollout that could never end.
python3 -c "print('[' * 100000)" >"$tmp/deep.json"
check deep_nesting 2 "deep.json:1:513: JSON nested deeper than 512 levels" -- "$engine" validate "$tmp/deep.json"
check deep_nesting_set 2 "JSON nested deeper than 512 levels" -- "$engine" validate "$fit" --set "blocks.x=$(python3 -c "print('[' * 600)")"
python3 -c "print('{\"blocks\": {\"x\": {\"type\": \"' + 'n' * 20000000 + '\"}}}')" >"$tmp/huge.json"
check huge_type 2 "more characters" -- timeout 60 "$engine" validate "$tmp/huge.json"
if [ "$(wc -c <"$tmp/out")" -lt 10000 ]; then echo "ok   huge_type_short_message"; else
  echo "FAIL huge_type_short_message: $(wc -c <"$tmp/out") bytes"; fails=$((fails + 1)); fi
printf '{"flows": {"f": {"nodes": {"c": {"type": "nn.constant", "shape": [1]}}, "outputs": {"last": "c.y"}}}, "program": [{"rollout": "f"}]}' >"$tmp/no_env.json"
check rollout_without_env 2 "no_env.json:/program/0/rollout: flow 'f' calls no environment block" -- "$engine" validate "$tmp/no_env.json"
# What JSON parsers accept silently: a key twice, numbers past the types that hold them.
printf '{"blocks": {\n  "x": {"type": "nn.linear", "in_dim": 2, "out_dim": 2},\n  "x": {"type": "nn.linear", "in_dim": 3, "out_dim": 3}}}' >"$tmp/dup.json"
check duplicate_key 2 'dup.json:3:3: duplicate key "x" \(first at 2:3\)' -- "$engine" validate "$tmp/dup.json"
printf '{"blocks": {"x": {"type": "nn.linear", "in_dim": 1e999, "out_dim": 2}}}' >"$tmp/huge_number.json"
check number_overflow 2 "huge_number.json: number overflow" -- "$engine" validate "$tmp/huge_number.json"
printf '{"blocks": {"x": {"type": "nn.linear", "in_dim": 9223372036854775808, "out_dim": 2}}}' >"$tmp/int_wrap.json"
check int_past_64_bits 2 "/blocks/x/in_dim: .*expected an integer within 64 bits" -- "$engine" validate "$tmp/int_wrap.json"
printf '{"flows": {"f": {"inputs": {"x": {"optional": "yes"}}, "nodes": {}, "outputs": {}}}}' >"$tmp/optional.json"
check optional_not_bool 2 "/flows/f/inputs/x/optional: expected true or false" -- "$engine" validate "$tmp/optional.json"
printf '{"flows": {"f": {"nodes": {"c": {"type": "nn.constant", "shape": []}}, "outputs": {"v": "c.y"}}}}' >"$tmp/no_program.json"
check no_program 2 "the graph has no program" -- "$engine" run "$tmp/no_program.json" --run-dir "$tmp/np"
printf '{"flows": {"f": {"nodes": {"c": {"type": "nn.constant", "shape": []}}, "outputs": {"v": "c.y"}}},
 "program": [{"repeat": 4, "counter": "updates", "do": [{"call": "f"}, {"every": 2, "counter": "update", "do": [{"checkpoint": false}]}]},
             {"log": "x", "rate": ""}, {"repeat": 1, "counter": "v", "do": []}]}' >"$tmp/counters.json"
check counter_never_counted 2 "/program/0/do/1/counter: counter 'update' is never counted .*did you mean 'updates'" -- "$engine" validate "$tmp/counters.json"
check checkpoint_false 2 "/program/0/do/1/do/0/checkpoint: expected true" -- "$engine" validate "$tmp/counters.json"
check counter_empty 2 "/program/1/rate: empty counter name" -- "$engine" validate "$tmp/counters.json"
check counter_named_like_metric 2 "/program/2: counter 'v' has the name of a metric \(/program/0/do/0/call\)" -- "$engine" validate "$tmp/counters.json"
# A node's own checks run during validate (and before a run), reported where the value was written.
planet=("$src/graphs/planet_state.json" --preset quick)
check node_check_elites 2 "--set blocks.planner.elites=5000 at /blocks/planner/elites: planners.cem: elites \(5000\) must not exceed candidates" -- "$engine" validate "${planet[@]}" --set blocks.planner.elites=5000
check node_check_elites_run 2 "/blocks/planner/elites: planners.cem" -- "$engine" run "${planet[@]}" --set blocks.planner.elites=5000 --run-dir "$tmp/elites"
[ ! -e "$tmp/elites/graph.json" ] || { echo "FAIL node_check_elites_run: wrote a run directory"; fails=$((fails + 1)); }
check node_check_empty_optimizer 2 "/blocks/model_adam/blocks: optim.adam: 'blocks' names no block" -- "$engine" validate "${planet[@]}" --set 'blocks.model_adam.blocks=[]'
check node_check_sampler_buffer 2 "/blocks/sample/buffer: replay.sample: buffer 'env' is not a replay.episodes block" -- "$engine" validate "${planet[@]}" --set 'blocks.sample.buffer="env"'
check node_check_model_flow 2 "/blocks/planner/model: planners.cem: model flow 'act_init' has no input named 'actions'" -- "$engine" validate "${planet[@]}" --set 'blocks.planner.model="act_init"'
check count_from_float 2 "/program/1/do/1/count/env_steps: counter 'env_steps' counts output 'episode_return', which is f32" -- "$engine" validate "${planet[@]}" --set 'program.1.do.1.count.env_steps="episode_return"'
check carry_shapes 2 "/program/1/do/1/carry/h: output 's' is \[1,30\] where \[E,200\] is what input 'h'" -- "$engine" validate "${planet[@]}" --set 'program.1.do.1.carry.h="s"'
touch "$tmp/a_file"
check run_dir_is_a_file 2 "--run-dir $tmp/a_file: cannot write a run there" -- "$engine" run "$fit" "${short[@]}" --run-dir "$tmp/a_file"
mkdir -p "$tmp/read_only" && chmod a-w "$tmp/read_only"
if [ "$(id -u)" != 0 ]; then  # root writes anywhere
  check run_dir_read_only 2 "cannot write a run there" -- "$engine" run "$fit" "${short[@]}" --run-dir "$tmp/read_only/run"
fi
check missing_file 2 "cannot open file" -- "$engine" validate "$tmp/none.json"
check bad_set 2 "--set blocks.nope.x=1: no key 'nope'" -- "$engine" validate "$fit" --set blocks.nope.x=1
check set_validated 2 "^--set blocks.deter.deter=0 at /blocks/deter/deter: .*out of range" -- "$engine" validate "$fit" --set blocks.deter.deter=0
check set_shape_checked 2 "shape mismatch" -- "$engine" validate "$fit" --set blocks.post.stoch=9
check nodes 0 "^nn.linear +Affine" -- "$engine" nodes
check describe 0 "Params:" -- "$engine" describe rssm.gaussian_prior
check describe_unknown 2 "did you mean 'nn.linear'" -- "$engine" describe nn.linaer
check dot 0 "cluster_observe_step" -- "$engine" dot "$fit"
check bad_option 2 "" -- "$engine" run "$fit" --no-such-option
check run 0 "updates 6/6" -- "$engine" run "$fit" "${short[@]}" --seed 3 --run-dir "$tmp/a" --trace "$tmp/trace.json"
check run_again 0 "" -- "$engine" run "$fit" "${short[@]}" --seed 3 --run-dir "$tmp/b"
check run_other_seed 0 "" -- "$engine" run "$fit" "${short[@]}" --seed 4 --run-dir "$tmp/c"
# Same seed, same numbers; another seed, other numbers (the time column aside).
strip() { cut -d, -f2- "$1"; }
if [ "$(strip "$tmp/a/metrics.csv")" == "$(strip "$tmp/b/metrics.csv")" ] &&
   [ "$(strip "$tmp/a/metrics.csv")" != "$(strip "$tmp/c/metrics.csv")" ]; then
  echo "ok   seed_repeatable"
else
  echo "FAIL seed_repeatable"; cat "$tmp/a/metrics.csv" "$tmp/b/metrics.csv" "$tmp/c/metrics.csv"; fails=$((fails + 1))
fi
# A run killed before its first checkpoint left rows behind: the fresh start drops them.
mkdir -p "$tmp/killed" && echo '{"stale": 1}' >"$tmp/killed/metrics.jsonl"
check fresh_start_after_kill 0 "" -- "$engine" run "$fit" "${short[@]}" --seed 3 --run-dir "$tmp/killed"
if [ "$(wc -l <"$tmp/killed/metrics.jsonl")" = "$(wc -l <"$tmp/a/metrics.jsonl")" ] && ! grep -q stale "$tmp/killed/metrics.jsonl"; then
  echo "ok   fresh_start_drops_stale_rows"; else echo "FAIL fresh_start_drops_stale_rows"; fails=$((fails + 1)); fi
# A checkpoint without its graph.json cannot be checked against the graph: refused.
rm "$tmp/killed/graph.json"
check resume_without_graph 2 "holds a checkpoint but no graph.json" -- "$engine" run "$fit" "${short[@]}" --set program.0.repeat=7 --run-dir "$tmp/killed"
check trace_written 0 '"node": "observe_step/cell"' -- cat "$tmp/trace.json"
check graph_saved 0 '"repeat": 6' -- cat "$tmp/a/graph.json"
check env_spec 0 "random policy: return .* over 125 agent steps" -- "$engine" env cartpole_swingup --action-repeat 8
check env_frames 0 "wrote 4 frames" -- "$engine" env pendulum_swingup --frames 4 --out "$tmp/strip.png"
check env_png 0 "P +N +G" -- od -An -c -N4 "$tmp/strip.png"
check env_bad_task 2 "did you mean 'cartpole_swingup'" -- "$engine" env cartpole_swingpu
check env_frames_need_out 2 "--frames needs --out" -- "$engine" env pendulum_swingup --frames 4
check env_bad_size 2 "/blocks/env/size" -- "$engine" env pendulum_swingup --size 8
# Composed graphs: presets, expansion, sizes from the environment.
planet=$src/graphs/planet.json
check preset_task 0 "ok \(" -- "$engine" validate "$planet" --preset cheetah_run
check preset_unknown 2 "--preset cheetah_rnu: no preset 'cheetah_rnu' .*did you mean 'cheetah_run'" -- "$engine" validate "$planet" --preset cheetah_rnu
"$engine" expand "$planet" --preset cheetah_run --set vars.deter=400 >"$tmp/expanded.json" 2>&1
if grep -q '"deter": 400' "$tmp/expanded.json" && ! grep -q '"deter": 200' "$tmp/expanded.json" && ! grep -qF '${' "$tmp/expanded.json" &&
   grep -q '"action_size": 6' "$tmp/expanded.json"; then
  echo "ok   expand"
else
  echo "FAIL expand"; head -50 "$tmp/expanded.json"; fails=$((fails + 1))
fi
check expand_validates 2 "planet.json:/blocks/planner/horizon: .*out of range.*horizon = 0, set at --set vars.horizon=0" -- "$engine" expand "$planet" --set vars.horizon=0
# No GL vendor library: a clear error and exit 1, never a hang.
check env_no_gl 1 "offscreen rendering needs Mesa's EGL" -- env __EGL_VENDOR_LIBRARY_FILENAMES=/nonexistent.json timeout 60 "$engine" env pendulum_swingup --frames 2 --out "$tmp/x.png"

echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
