#!/usr/bin/env bash
# Browser test of a page written by `engine viz`: opens it in headless Chromium (Debian's `chromium`,
# installed by tools/setup.sh) and checks
#   (a) the page rendered (body data-ready="1") and every node listed in NODE_IDS_FILE is in the DOM,
#       as id="n:FLOW/NODE" (a node call) or id="b:BLOCK" (a block);
#   (b) opening the page with #select=ID (the page dispatches a real click on that node) opens the side
#       panel (id="panel", class "open", data-node="ID") showing the node's name and type;
#   (c) a screenshot of the page with that node selected: OUT_DIR/viewer.png.
#
#   bash tests/viewer/browser_test.sh HTML_FILE NODE_IDS_FILE OUT_DIR
#
# NODE_IDS_FILE: one node per line, its id as in the page data's nodes[].id ("train/embed",
# "block/encoder") or as an SVG id ("n:train/embed", "b:encoder"); optionally followed by a TAB, the
# node's name, a TAB and its type: then (b) checks exactly those. Without them (b) checks the name
# against the id's last part and the type against the text of the node in the drawing. Blank lines
# and lines starting with # are skipped. (b) and (c) use the first listed node (the first that is not
# a flow's inputs/outputs node "FLOW/$" or "FLOW/^" when no names are given).
# Exit status: 0 when every check passed, 1 when one failed, 2 on bad usage or no chromium.
# CHROMIUM=/path/to/chromium overrides the browser; VIEW_FLOW=NAME also checks that the page opens
# on that flow (body data-view).
set -uo pipefail

if [ $# -ne 3 ]; then
  echo "usage: $0 HTML_FILE NODE_IDS_FILE OUT_DIR" >&2
  exit 2
fi
html_file=$1 ids_file=$2 out_dir=$3
[ -f "$html_file" ] || { echo "browser_test: no such page: $html_file" >&2; exit 2; }
[ -f "$ids_file" ] || { echo "browser_test: no such node id file: $ids_file" >&2; exit 2; }
mkdir -p "$out_dir" || { echo "browser_test: cannot create $out_dir" >&2; exit 2; }
out_dir=$(cd "$out_dir" && pwd)
command -v perl >/dev/null || { echo "browser_test: perl not found" >&2; exit 2; }

browser=${CHROMIUM:-}
if [ -z "$browser" ]; then
  for b in chromium chromium-browser; do command -v "$b" >/dev/null && { browser=$b; break; }; done
fi
if [ -z "$browser" ] || ! command -v "$browser" >/dev/null; then
  echo "browser_test: chromium not found (Debian: apt-get install chromium, done by tools/setup.sh)" >&2
  exit 2
fi

abs_html=$(cd "$(dirname "$html_file")" && pwd)/$(basename "$html_file")
# file:// URL, the path percent-encoded except for its slashes
urlenc() { perl -e '$_ = shift; s/([^A-Za-z0-9_.~\/-])/sprintf("%%%02X", ord $1)/ge; print' -- "$1"; }
urlenc_all() { perl -e '$_ = shift; s/([^A-Za-z0-9_.~-])/sprintf("%%%02X", ord $1)/ge; print' -- "$1"; }
page_url="file://$(urlenc "$abs_html")"

passed=0 failed=0
pass() { passed=$((passed + 1)); echo "PASS: $*"; }
fail() { failed=$((failed + 1)); echo "FAIL: $*" >&2; }
finish() {
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ] && exit 0 || exit 1
}

profiles=()
cleanup() { for p in "${profiles[@]}"; do rm -rf -- "$p"; done; }
trap cleanup EXIT

# run_chromium LOGNAME ARGS... : headless Chromium with a fresh profile, 60 s at most
run_chromium() {
  local log="$out_dir/$1.log"; shift
  local profile; profile=$(mktemp -d); profiles+=("$profile")
  timeout 60 "$browser" --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --user-data-dir="$profile" --virtual-time-budget=5000 "$@" 2>"$log"
}

# ---- read the node list
ids=() names=() types=()
while IFS= read -r line || [ -n "$line" ]; do
  line=${line%$'\r'}
  [ -z "${line//[[:space:]]/}" ] && continue
  [ "${line:0:1}" = "#" ] && continue
  IFS=$'\t' read -r id name type <<<"$line"
  ids+=("$id"); names+=("${name:-}"); types+=("${type:-}")
done <"$ids_file"
if [ ${#ids[@]} -eq 0 ]; then
  fail "$ids_file lists no node"
  finish
fi
svg_id() {  # data id or svg id -> svg id
  case "$1" in
    n:* | b:*) printf '%s' "$1" ;;
    block/*) printf 'b:%s' "${1#block/}" ;;
    *) printf 'n:%s' "$1" ;;
  esac
}
data_id() {  # svg id or data id -> data id
  case "$1" in
    n:*) printf '%s' "${1#n:}" ;;
    b:*) printf 'block/%s' "${1#b:}" ;;
    *) printf '%s' "$1" ;;
  esac
}

# ---- (a) every node is in the DOM
dom="$out_dir/dom.html"
run_chromium chromium_dom --dump-dom "$page_url" >"$dom"
rc=$?
if [ $rc -ne 0 ] || [ ! -s "$dom" ]; then
  fail "chromium --dump-dom $page_url: exit status $rc, $(wc -c <"$dom") bytes (see $out_dir/chromium_dom.log)"
  finish
fi
if grep -q '<body[^>]*data-ready="1"' "$dom"; then
  pass "page rendered (body data-ready=\"1\")"
else
  fail "page did not finish rendering: no data-ready=\"1\" on <body> (a script error? see $out_dir/chromium_dom.log)"
fi
# the page opens on the flow that does the work (VIEW_FLOW, when the caller names it)
if [ -n "${VIEW_FLOW:-}" ]; then
  if grep -q "<body[^>]*data-view=\"$VIEW_FLOW\"" "$dom"; then
    pass "the page opens on flow $VIEW_FLOW"
  else
    fail "the page does not open on flow $VIEW_FLOW: $(grep -o '<body[^>]*>' "$dom")"
  fi
fi
# every id="..." of the DOM, entities decoded, one per line
dom_ids="$out_dir/dom_ids.txt"
perl -0777 -ne '
  sub dec { my $s = shift; $s =~ s/&quot;/"/g; $s =~ s/&lt;/</g; $s =~ s/&gt;/>/g; $s =~ s/&nbsp;/\x{a0}/g;
            $s =~ s/&#(\d+);/chr($1)/ge; $s =~ s/&#x([0-9a-fA-F]+);/chr(hex $1)/ge; $s =~ s/&amp;/&/g; $s }
  print dec($1), "\n" while /\sid="([^"]*)"/g;' "$dom" >"$dom_ids"
missing=0
for id in "${ids[@]}"; do
  sid=$(svg_id "$id")
  if grep -qxF -- "$sid" "$dom_ids"; then
    pass "node $id is in the DOM as id=\"$sid\""
  else
    fail "node $id: no element with id=\"$sid\" in the DOM"
    missing=$((missing + 1))
  fi
done

# ---- (b) #select=ID opens the panel
sel=0
if [ -z "${names[0]}" ]; then
  for i in "${!ids[@]}"; do
    case "$(data_id "${ids[$i]}")" in */\$ | */^) ;; *) sel=$i; break ;; esac
  done
fi
sel_id=$(data_id "${ids[$sel]}")
sel_svg=$(svg_id "${ids[$sel]}")
want_name=${names[$sel]}
if [ -z "$want_name" ]; then
  case "$sel_id" in block/*) want_name=${sel_id#block/} ;; */*) want_name=${sel_id#*/} ;; *) want_name=$sel_id ;; esac
fi
want_type=${types[$sel]}
sel_url="$page_url#select=$(urlenc_all "$sel_id")"
dom_sel="$out_dir/dom_selected.html"
run_chromium chromium_select --dump-dom "$sel_url" >"$dom_sel"
rc=$?
if [ $rc -ne 0 ] || [ ! -s "$dom_sel" ]; then
  fail "chromium --dump-dom $sel_url: exit status $rc (see $out_dir/chromium_select.log)"
else
  # panel.tsv: open, data-node, name, type, then the text of the node's group in the drawing
  SEL_SVG="$sel_svg" perl -0777 -ne '
    sub dec { my $s = shift; $s =~ s/&quot;/"/g; $s =~ s/&lt;/</g; $s =~ s/&gt;/>/g; $s =~ s/&nbsp;/ /g;
              $s =~ s/&#(\d+);/chr($1)/ge; $s =~ s/&#x([0-9a-fA-F]+);/chr(hex $1)/ge; $s =~ s/&amp;/&/g; $s }
    sub attr { my ($tag, $a) = @_; return $tag =~ /\s\Q$a\E="([^"]*)"/ ? dec($1) : "" }
    my ($open, $node, $name, $type, $text) = ("", "", "", "", "");
    if (/(<\w+\b[^>]*\sid="panel"[^>]*>)/g) {
      my $tag = $1; my $rest = substr($_, pos($_));
      $open = ((" " . attr($tag, "class") . " ") =~ / open /) ? "open" : "closed";
      $node = attr($tag, "data-node");
      $name = dec($1) if $rest =~ /data-field="name"[^>]*>([^<]*)</;
      $type = dec($1) if $rest =~ /data-field="type"[^>]*>([^<]*)</;
    }
    my $sid = $ENV{SEL_SVG}; $sid =~ s/&/&amp;/g; $sid =~ s/"/&quot;/g;
    my @cand = ($sid, do { (my $x = $sid) =~ s/</&lt;/g; $x =~ s/>/&gt;/g; $x });
    for my $c (@cand) {
      if (/<(\w+)\b[^>]*\sid="\Q$c\E"[^>]*>(.*?)<\/\1>/s) { ($text = $2) =~ s/<[^>]*>/ /g; $text = dec($text); $text =~ s/\s+/ /g; last }
    }
    s/[\t\n]/ /g for ($node, $name, $type, $text);
    print join("\x1f", $open, $node, $name, $type, $text), "\n";
  ' "$dom_sel" >"$out_dir/panel.tsv"
  IFS=$'\x1f' read -r p_open p_node p_name p_type p_text <"$out_dir/panel.tsv"
  if [ "$p_open" = "open" ]; then pass "#select=$sel_id: the panel is open"
  elif [ -z "$p_open" ]; then fail "#select=$sel_id: no element with id=\"panel\" in the DOM"
  else fail "#select=$sel_id: the panel is not open (no class \"open\" on #panel)"; fi
  if [ "$p_node" = "$sel_id" ]; then pass "#select=$sel_id: panel data-node=\"$sel_id\""
  else fail "#select=$sel_id: panel data-node is \"$p_node\", expected \"$sel_id\""; fi
  if [ "$p_name" = "$want_name" ]; then pass "#select=$sel_id: panel shows the name \"$want_name\""
  else fail "#select=$sel_id: panel shows the name \"$p_name\", expected \"$want_name\""; fi
  if [ -n "$want_type" ]; then
    if [ "$p_type" = "$want_type" ]; then pass "#select=$sel_id: panel shows the type \"$want_type\""
    else fail "#select=$sel_id: panel shows the type \"$p_type\", expected \"$want_type\""; fi
  elif [ -z "$p_type" ]; then
    fail "#select=$sel_id: panel shows no type"
  elif [[ "$p_text" == *"$p_type"* ]]; then
    pass "#select=$sel_id: panel shows the type \"$p_type\", as the drawing does"
  else
    fail "#select=$sel_id: panel shows the type \"$p_type\" but the node $sel_svg in the drawing reads \"$p_text\""
  fi
fi

# ---- (c) screenshot with the node selected
shot="$out_dir/viewer.png"
rm -f "$shot"
(cd "$out_dir" && run_chromium chromium_screenshot --screenshot="$shot" --window-size=1400,900 --hide-scrollbars "$sel_url" >/dev/null)
rc=$?
if [ $rc -eq 0 ] && [ -s "$shot" ] && [ "$(head -c 8 "$shot" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ]; then
  pass "screenshot saved: $shot ($(wc -c <"$shot") bytes)"
else
  fail "no screenshot: chromium --screenshot exit status $rc (see $out_dir/chromium_screenshot.log)"
fi

finish
