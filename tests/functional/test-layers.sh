#!/bin/bash
# test-layers.sh: the engine's include layering holds (check-layers.py says
# which layer may include which), and the check catches each kind of breach:
# each is planted in a copy of the sources and must be reported.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/functional/lib.sh"

command -v python3 >/dev/null 2>&1 || skip_all "python3 not found"
check="$top_srcdir/tests/functional/check-layers.py"

out=$(python3 "$check" "$top_srcdir" 2>&1)
ok $? "the source tree keeps the layers, includes no syslog-ng header outside modules/, has no cycle"
[ -z "$out" ] || diag "$out"

# The detector must know syslog-ng's headers, or every check of them passes.
like "$(python3 "$check" --syslog-ng-includes "$top_srcdir")" '^modules/dprk-intel/[^:]+:[0-9]+: (cfg|logmsg/)' \
  "the detector sees the syslog-ng headers that modules/dprk-intel includes"

# plant FILE LINE: a fresh copy of the sources with LINE added before the
# first #include of FILE; prints the copy's path.
plant()
{
  local tree
  tree=$(mktemp -d "$T/tree.XXXXXX") || bail_out "mktemp failed"
  mkdir -p "$tree/tests"
  cp -r "$top_srcdir/engine" "$top_srcdir/tool" "$top_srcdir/bench" "$top_srcdir/modules" "$tree/"
  cp -r "$top_srcdir/tests/unit" "$top_srcdir/tests/fuzz" "$tree/tests/"
  chmod -R u+w "$tree"   # a distcheck tree is read-only
  sed -i "0,/^#include/s||$2\n&|" "$tree/$1"
  grep -qF "$2" "$tree/$1" || bail_out "could not plant '$2' in $1"
  echo "$tree"
}

# breach DESC REGEX FILE LINE: the check fails on the planted line, saying REGEX.
breach()
{
  local tree out status
  tree=$(plant "$3" "$4")
  out=$(python3 "$check" "$tree" 2>&1)
  status=$?
  if [ "$status" -ne 0 ] && printf '%s\n' "$out" | grep -Eq -- "$2"; then
    pass "$1"
  else
    fail "$1"
    diag "exit status $status; expected /$2/ in:" "$out"
  fi
}

breach "the old circle (chains/wallet.c includes normalize.h) is a layer breach" \
  '^engine/chains/wallet\.c:[0-9]+: chains includes engine/normalize\.h of the engine layer above it' \
  engine/chains/wallet.c '#include "normalize.h"'
breach "... and a cycle" \
  '^include cycle between objects: .*engine/chains/wallet.*engine/normalize' \
  engine/chains/wallet.c '#include "normalize.h"'
breach "the base layer must not include a chain" \
  '^engine/key\.c:[0-9]+: base includes engine/chains/wallet\.h of the chains layer above it' \
  engine/key.c '#include "chains/wallet.h"'
breach "the engine must not include a feed reader" \
  '^engine/matcher\.c:[0-9]+: engine includes engine/feeds/feed\.h of the feeds layer above it' \
  engine/matcher.c '#include "feed.h"'
breach "the engine must not include the tool" \
  '^engine/feeds/feed\.c:[0-9]+: the engine includes tool/tool-util\.h, which is outside it' \
  engine/feeds/feed.c '#include "../../tool/tool-util.h"'
breach "a cycle inside one layer" \
  '^include cycle between objects: engine/matcher <-> engine/snapshot$' \
  engine/snapshot.c '#include "matcher.h"'
breach "a feed reader must not include a syslog-ng header" \
  '^engine/feeds/feed-csv\.c:[0-9]+: includes the syslog-ng header messages\.h' \
  engine/feeds/feed-csv.c '#include "messages.h"'
breach "the chains must not include a syslog-ng header" \
  '^engine/chains/sha256\.c:[0-9]+: includes the syslog-ng header logmsg/logmsg\.h' \
  engine/chains/sha256.c '#include <logmsg/logmsg.h>'
breach "the tool must not include a syslog-ng header" \
  '^tool/main\.c:[0-9]+: includes the syslog-ng header cfg\.h' \
  tool/main.c '#include "cfg.h"'
breach "the fuzzers must not include a syslog-ng header" \
  '^tests/fuzz/fuzz-scanner\.c:[0-9]+: includes the syslog-ng header syslog-ng\.h' \
  tests/fuzz/fuzz-scanner.c '#include "syslog-ng.h"'

done_testing
