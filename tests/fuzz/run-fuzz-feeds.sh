#!/bin/sh
# run-fuzz-feeds.sh [TARGET...]: builds the libFuzzer targets of the feed readers
# and of the incident state (fuzz-targets.h; default: every one) with clang,
# ASan and UBSan, and runs each briefly from its seeds; prints TAP, two tests
# a target (it builds; it runs without a finding).  Skipped when clang with
# libFuzzer is not installed.
#
# Seeds: the test data of the tree (tests/data, tests/unit/data, the bundled
# feed), picked and cut to 64 KiB per target, plus corpus/TARGET (seeds made
# by hand) and regressions/TARGET (every finding, kept).
#
# FUZZ_SECONDS (default 10; 2 inside make distcheck and package builds) is
# the budget of each target; FUZZ_TIMEOUT (3) the seconds one input may take:
# inputs are 64 KiB at most and the readers take milliseconds on them, so an
# input near that is a finding.
# FUZZ_ARGS adds libFuzzer flags, FUZZ_CORPUS keeps the corpus (README.md
# has the command for long runs).
src=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
build=${top_builddir:-.}
out=$build/tests/fuzz
clang=${CLANG:-clang}
seconds=${FUZZ_SECONDS:-10}
# inside make distcheck or a package build: a short run, the build is what counts
[ -z "${FUZZ_SECONDS:-}" ] && [ -n "${DI_DISTCHECK:-}${DI_PACKAGE_BUILD:-}" ] && seconds=2
timeout=${FUZZ_TIMEOUT:-3}
here=$src/tests/fuzz

# the targets: the names in fuzz-main.c's table
if [ $# -gt 0 ]; then
  targets=$*
else
  targets=$(sed -n 's/^  { "\([a-z-]*\)", di_fuzz_[a-z_]* },$/\1/p' "$here/fuzz-main.c")
fi
n=0
for t in $targets; do n=$((n + 2)); done
echo "1..$n"

skip_all()
{
  i=0
  for t in $targets; do
    echo "ok $((i + 1)) - fuzz-$t builds # SKIP $1"
    echo "ok $((i + 2)) - fuzz-$t runs # SKIP $1"
    i=$((i + 2))
  done
  exit 0
}

mkdir -p "$out"
. "$here/fuzz-lib.sh"
have_libfuzzer "$clang" "$out" || skip_all "clang with libFuzzer is not available"

# ---------------------------------------------------------------- build

libs="glib-2.0 json-c"
pkg-config --exists zlib 2>/dev/null && libs="$libs zlib"
sanitize="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
cflags="-g -O1 $sanitize -I$src/engine -I$src/engine/feeds -I$build/engine $(pkg-config --cflags $libs)"
objdir=$out/fuzz-obj
lib=$objdir/libengine-fuzz.a
blog=$out/fuzz-build.log

# The engine once for every target, instrumented for coverage; again only
# when a source or header of the engine or the targets is newer.
build_engine()
{
  mkdir -p "$objdir"
  if [ -f "$lib" ] && [ -z "$(find "$src/engine" "$here" "$build/engine/actor-table.c" \
                                 -newer "$lib" \( -name '*.[ch]' -o -name '*.tsv' \) 2>/dev/null | head -n 1)" ]; then
    return 0
  fi
  rm -f "$objdir"/*.o "$lib"
  for c in "$src"/engine/*.c "$src"/engine/chains/*.c "$src"/engine/feeds/*.c "$build/engine/actor-table.c" \
           "$here/fuzz-feeds.c" "$here/fuzz-incidents.c"; do
    echo "$c"
  done | xargs -P "$(nproc 2>/dev/null || echo 2)" -I{} sh -c \
    'o="$0/$(basename "{}" .c).o"; '"$clang"' '"$cflags"' -fsanitize=fuzzer-no-link -c "{}" -o "$o"' "$objdir" \
    >"$blog" 2>&1 || return 1
  ar rcs "$lib" "$objdir"/*.o >>"$blog" 2>&1
}

if [ ! -f "$build/engine/actor-table.c" ]; then
  (cd "$build" && make engine/actor-table.c) >"$blog" 2>&1
fi
# one build at a time (two runs of this script in parallel share the objects)
exec 8>"$out/fuzz-build.lock"
flock 8 2>/dev/null
build_engine
built=$?
flock -u 8 2>/dev/null

# ---------------------------------------------------------------- seeds

# seeds_for TARGET DIR: the test data that target reads, at most 64 KiB a file
seeds_for()
{
  s_t=$1 s_dir=$2 d=$src/tests/data/feeds
  mkdir -p "$s_dir"
  case $s_t in
    feed-csv) s_files="$src/feeds/dprk/*.csv $src/tests/functional/ecs/feed.csv $d/*.csv $d/vendors/*/*.csv" ;;
    feed-plain) s_files="$d/*.txt $d/*/*.txt $d/vendors/*/*.txt" ;;
    feed-stix) s_files="$d/stix21_*.json $d/vendors/talos/*.json $d/vendors/unit42/*.json" ;;
    feed-misp) s_files="$d/misp_*.json $d/vendors/eset/*.json" ;;
    feed-ofac-xml) s_files="$src/tests/unit/data/*.xml $d/*/*.xml" ;;
    feed-ofac-csv|csv-reader|feed-any|stix-pattern) s_files="" ;;
    *) return 0 ;;
  esac
  for f in $s_files; do
    [ -f "$f" ] || continue
    s_seed=$s_dir/$(echo "$f" | sed "s|^$src/||; s|/|_|g")
    case $f in
      # cut where a JSON document stays whole: its longest lists shortened
      *.json) "${PYTHON3:-python3}" - "$f" "$s_seed" <<'EOF' 2>/dev/null || head -c 65536 "$f" >"$s_seed" ;;
import json, sys
doc = json.load(open(sys.argv[1], encoding="utf-8"))
def lists(o):
    if isinstance(o, list):
        yield o
        for v in o:
            yield from lists(v)
    elif isinstance(o, dict):
        for v in o.values():
            yield from lists(v)
text = json.dumps(doc)
while len(text.encode()) > 65536:
    longest = max(lists(doc), key=len, default=[])
    if len(longest) < 2:
        break
    del longest[len(longest) // 2:]
    text = json.dumps(doc)
open(sys.argv[2], "w", encoding="utf-8").write(text[:65536])
EOF
      *) head -c 65536 "$f" >"$s_seed" ;;
    esac
  done
  case $s_t in
    feed-plain)
      # a first byte below 8 picks the list's name (fuzz-feeds.c): the asset lists
      s_i=1
      for s_a in XBT ETH TRX XMR; do
        f=$d/ofac_0xB10C_lists/sanctioned_addresses_$s_a.txt
        [ -f "$f" ] && { printf "\\$(printf '%03o' "$s_i")"; head -c 65000 "$f"; } >"$s_dir/asset-$s_a"
        s_i=$((s_i + 1))
      done ;;
    feed-ofac-csv)
      # sdn.csv, a form feed, sdn_comments.csv
      for f in "$d"/ofac_sdn_csv_*.csv "$d"/*/sdn_*.csv; do
        [ -f "$f" ] || continue
        { head -c 60000 "$f"; printf '\f27307,"G TEAM'"'"'."\r\n'; } >"$s_dir/$(basename "$f")"
      done ;;
    csv-reader)
      for f in "$src"/feeds/dprk/*.csv "$d"/*.csv; do
        [ -f "$f" ] && { printf '\010\001'; head -c 65000 "$f"; } >"$s_dir/$(basename "$f")"
      done ;;
    stix-pattern)
      # the patterns of the STIX bundles
      "${PYTHON3:-python3}" - "$s_dir" "$d"/stix21_*.json "$d"/vendors/*/*.json <<'EOF' 2>/dev/null
import json, os, sys
n = 0
for path in sys.argv[2:]:
    try:
        objects = json.load(open(path, encoding="utf-8")).get("objects", [])
    except (ValueError, OSError, AttributeError):
        continue
    for o in objects:
        if isinstance(o, dict) and isinstance(o.get("pattern"), str) and n < 200:
            open(os.path.join(sys.argv[1], "pattern-%d" % n), "w", encoding="utf-8").write(o["pattern"][:65536])
            n += 1
EOF
      ;;
    feed-any)
      for s_s in feed-csv feed-plain feed-stix feed-misp feed-ofac-xml; do seeds_for "$s_s" "$s_dir"; done ;;
  esac
}

# ---------------------------------------------------------------- run

# new inputs go to a scratch corpus, never into the source tree; FUZZ_CORPUS
# keeps it (a long run that goes on where the last one stopped)
if [ -n "${FUZZ_CORPUS:-}" ]; then
  work=$FUZZ_CORPUS
  mkdir -p "$work"
else
  work=$(mktemp -d "${TMPDIR:-/tmp}/fuzz-feeds.XXXXXX")
  trap 'rm -rf "$work"' EXIT
fi
i=0
for t in $targets; do
  bin=$out/fuzz-$t
  log=$out/fuzz-$t.log
  if [ "$built" -eq 0 ] &&
     "$clang" $cflags -fsanitize=fuzzer -DFUZZ_TARGET="\"$t\"" "$here/fuzz-main.c" "$lib" \
       $(pkg-config --libs $libs) -lm -o "$bin" >"$out/fuzz-$t.build.log" 2>&1; then
    echo "ok $((i + 1)) - fuzz-$t builds with clang -fsanitize=fuzzer,address,undefined"
  else
    [ "$built" -eq 0 ] || cat "$blog" >"$out/fuzz-$t.build.log"
    tail -n 30 "$out/fuzz-$t.build.log" | sed 's/^/# /'
    echo "not ok $((i + 1)) - fuzz-$t builds with clang -fsanitize=fuzzer,address,undefined"
    echo "not ok $((i + 2)) - fuzz-$t runs # not built"
    i=$((i + 2))
    continue
  fi

  mkdir -p "$work/new-$t"
  seeds_for "$t" "$work/seeds-$t"
  dirs="$work/new-$t"
  [ -d "$work/seeds-$t" ] && dirs="$dirs $work/seeds-$t"
  for d in "$here/corpus/$t" "$here/regressions/$t"; do
    [ -d "$d" ] && dirs="$dirs $d"
  done
  dict=
  [ -f "$here/$t.dict" ] && dict="-dict=$here/$t.dict"
  # shellcheck disable=SC2086
  if "$bin" -max_total_time="$seconds" -max_len=65536 -timeout="$timeout" -rss_limit_mb=2048 \
       -malloc_limit_mb=512 $dict -artifact_prefix="$out/fuzz-$t-" -print_final_stats=1 ${FUZZ_ARGS:-} \
       $dirs >"$log" 2>&1; then
    echo "# $t: $(grep -E '^(#[0-9]+)' "$log" | tail -n 1)"
    echo "ok $((i + 2)) - fuzz-$t runs $seconds s without a finding"
  else
    grep -E 'ERROR|SUMMARY|fuzz:|Test unit written|timeout' "$log" | head -n 20 | sed 's/^/# /'
    tail -n 20 "$log" | sed 's/^/# /'
    echo "not ok $((i + 2)) - fuzz-$t found a crash, a leak, a timeout or a broken check (see $log)"
  fi
  i=$((i + 2))
done
