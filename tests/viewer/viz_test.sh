#!/usr/bin/env bash
# `engine viz` end to end: every graph in graphs/ renders to a self-contained page holding every
# node of its DOT; an invalid graph still renders with its errors on the page; the .svg and .dot
# outputs; a run directory with a trace gives curves and a heat overlay.
# Usage: viz_test.sh ENGINE SOURCE_DIR OUT_DIR
set -u
engine=$1
src=$2
out=$3
mkdir -p "$out"
fails=0
passes=0
ok() { echo "ok   $1"; passes=$((passes + 1)); }
fail() { echo "FAIL $1"; fails=$((fails + 1)); }

# Every graph file renders, and every node id of its DOT is in the page.
while IFS= read -r g; do
  name=$(basename "$g" .json)
  if ! "$engine" viz "$g" -o "$out/$name.html" >"$out/$name.log" 2>&1 || ! "$engine" viz "$g" -o "$out/$name.dot" >>"$out/$name.log" 2>&1; then
    fail "render $g"; cat "$out/$name.log"; continue
  fi
  missing=0
  while IFS= read -r id; do
    # The SVG travels inside the page's JSON (quotes escaped); the browser test checks the DOM.
    grep -qF "id=\\\"$id\\\"" "$out/$name.html" || { echo "  $id missing from $name.html"; missing=1; }
  done < <(grep -oE 'id="[nb]:[^"]+"' "$out/$name.dot" | sed -E 's/^id="(.*)"$/\1/' | sort -u)
  if grep -q "https\?://[a-z]" <(grep -v 'xmlns\|w3.org' "$out/$name.html"); then
    fail "$name.html refers to the network"; continue
  fi
  [ "$missing" -eq 0 ] && ok "render $g" || fail "render $g"
done < <(find "$src/graphs" -name '*.json' -not -path '*/common/*' | sort)

# An invalid graph still renders, its errors on the page and on the node.
printf '{"name": "broken", "blocks": {"lin": {"type": "nn.linear", "in_dim": 3, "out_dim": 2, "bais": 1}},
  "flows": {"f": {"inputs": {"a": {"shape": ["B", 5]}}, "nodes": {"n": {"block": "lin", "inputs": {"x": "$a"}}}}}}' >"$out/broken.json"
if "$engine" viz "$out/broken.json" -o "$out/broken.html" >"$out/broken.log" 2>&1 &&
   grep -q "unknown param 'bais'" "$out/broken.html" && grep -q '"node":"f/n"' "$out/broken.html" &&
   grep -q "2 validation errors" "$out/broken.log"; then
  ok "invalid graph renders with its errors"
else
  fail "invalid graph renders with its errors"; cat "$out/broken.log"
fi

# SVG output; a bad output name is exit 2.
fit=$src/graphs/examples/rssm_fit.json
"$engine" viz "$fit" -o "$out/fit.svg" >/dev/null 2>&1 && grep -q "<svg" "$out/fit.svg" && ok "svg output" || fail "svg output"
"$engine" viz "$fit" -o "$out/fit.png" >/dev/null 2>&1; [ $? -eq 2 ] && ok "bad output extension is exit 2" || fail "bad output extension is exit 2"

# A run directory with a trace: curves and heat data on the page.
rm -rf "$out/run"  # a fresh run each time: an existing run directory would be resumed
"$engine" run "$fit" --run-dir "$out/run" --trace "$out/run/trace.json" --threads 1 \
  --set program.0.repeat=50 --set program.0.do.1.every=10 >"$out/run.log" 2>&1
if "$engine" viz "$out/run" -o "$out/run.html" >>"$out/run.log" 2>&1 &&
   grep -q '"metrics":{"columns":\["time_s","updates"' "$out/run.html" && grep -q '"observe_step/cell":{"calls":2500' "$out/run.html"; then
  ok "run directory: curves and trace"
else
  fail "run directory: curves and trace"; cat "$out/run.log"
fi

echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
