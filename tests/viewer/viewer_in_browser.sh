#!/usr/bin/env bash
# The page of a real run (rssm_fit with a trace) in headless Chromium: every node in the DOM, a
# click opens the panel, a screenshot is kept in OUT_DIR/viewer.png.
# Usage: viewer_in_browser.sh ENGINE SOURCE_DIR OUT_DIR
set -eu
engine=$1
src=$2
out=$3
rm -rf "$out" && mkdir -p "$out"
"$engine" run "$src/graphs/examples/rssm_fit.json" --run-dir "$out/run" --trace "$out/run/trace.json" \
  --threads 1 --set program.0.repeat=50 --set program.0.do.1.every=5 >"$out/run.log"
"$engine" viz "$out/run" -o "$out/rssm_fit.html" >/dev/null
"$engine" viz "$out/run" -o "$out/rssm_fit.dot" >/dev/null
grep -oE 'id="[nb]:[^"]+"' "$out/rssm_fit.dot" | sed -E 's/^id="(.*)"$/\1/' | grep -v '/\$' | sort -u >"$out/ids.txt"
VIEW_FLOW=train bash "$(dirname "$0")/browser_test.sh" "$out/rssm_fit.html" "$out/ids.txt" "$out"
