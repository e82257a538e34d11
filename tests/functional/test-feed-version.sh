#!/bin/bash
# test-feed-version.sh: the feed version `dprk-intel check` prints
# (INTERFACE §5, .dprk.feed_version): the same indicators give the same
# hash whatever the files' order, names, split, format and spelling, and
# whatever the sources, references and confidences say; adding an
# indicator, attributing one to another actor or giving one another type
# changes it.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/functional/lib.sh"

TOOL=$top_builddir/tool/dprk-intel
[ -x "$TOOL" ] || bail_out "$TOOL is not built"
cd "$T" || bail_out "no temp dir"

# version_of PATH...: the 16 hex digits of check's version line
version_of()
{
  local args=() p
  for p in "$@"; do args+=(--database "$p"); done
  "$TOOL" check "${args[@]}" | sed -n 's/^version\t\([0-9a-f]\{16\}\)@.*/\1/p'
}

# differs A B DESC: both non-empty and not equal
differs()
{
  [ -n "$1" ] && [ -n "$2" ] && [ "$1" != "$2" ]
  ok $? "$3" || diag "'$1' vs '$2'"
}

write_feed a.csv <<'EOF'
0x098b716b8aaf21512996dc57eb0615e2383e2f96,eth,Lazarus Group,OFAC SDN,90,https://a,,
1FsSia9rv4NeEwvJ2GvXrX7LyxYspbN2mo,btc,APT38,FBI,80,,,
celasllc.com,domain,,maltrail,50,,,
jmttrading.org,domain,,maltrail,50,,,
EOF
line=$("$TOOL" check --database a.csv | grep '^version')
like "$line" $'^version\t[0-9a-f]{16}@[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$' \
  "check prints version<TAB><16 hex digits>@<UTC load time>"
base=$(version_of a.csv)

# reversed, another spelling (EIP-55 case, upper-case domain, quotes, an
# alias of the actor), other sources, references and confidences
write_feed b.csv <<'EOF'
jmttrading.org,domain,,another list,10,,,
CELASLLC.COM,domain,,maltrail,50,https://elsewhere,,
"1FsSia9rv4NeEwvJ2GvXrX7LyxYspbN2mo",btc,BlueNoroff,vendor,20,,,
0x098B716B8Aaf21512996dC57EB0615e2383E2f96,eth,Hidden Cobra,vendor,99,,,
EOF
is "$(version_of b.csv)" "$base" "another order, spelling, alias, sources and confidences: the same version"

# split over two files of other names in a directory; every row twice
mkdir -p dir
head -n 3 a.csv >dir/zz-first.csv
{ head -n 1 a.csv; tail -n 2 a.csv; } >dir/aa-second.csv
is "$(version_of dir)" "$base" "split over two files of other names: the same version"
is "$(version_of dir b.csv)" "$base" "every indicator listed twice, by other sources: the same version"

# the domains from a plain list (whose source is its file name)
head -n 3 a.csv >eth-btc.csv
printf '# a maltrail-style list\ncelasllc.com\njmttrading.org\n' >domains.txt
is "$(version_of eth-btc.csv domains.txt)" "$base" "the domains from a plain list instead: the same version"
cp domains.txt other-name.txt
is "$(version_of eth-btc.csv other-name.txt)" "$base" "... whatever the list's file name"

cp a.csv c.csv
echo "TBHTJqAy4DhHhmT3dNceJYNRz4SdLofLre,trx,Lazarus Group,OFAC SDN,90,,," >>c.csv
differs "$(version_of c.csv)" "$base" "one indicator more: another version"
sed 's/,APT38,/,Andariel,/' a.csv >d.csv
differs "$(version_of d.csv)" "$base" "one indicator attributed to another actor: another version"
sed 's/,btc,APT38,/,bsv,APT38,/' a.csv >e.csv
differs "$(version_of e.csv)" "$base" "one indicator of another type: another version"
is "$(version_of a.csv)" "$base" "the first feed again: its version again"

done_testing
