#!/bin/bash
# test-hunt.sh: `dprk-intel hunt` (INTERFACE §4) through the real tool:
# plain, gzip (one member and several) and zstd archives, file and line of
# every match, the same fields as `match`, lines at and across the edges of
# the ranges and blocks that workers split files into (and lines longer
# than a range) with any number of workers, input order, standard input,
# and the exit status (0 a match, 1 none, 2 trouble) with a missing file, a
# truncated and a corrupt archive.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/functional/lib.sh"

TOOL=$top_builddir/tool/dprk-intel
[ -x "$TOOL" ] || bail_out "$TOOL is not built"
for cmd in python3 gzip zstd; do
  command -v $cmd >/dev/null 2>&1 || bail_out "$cmd is needed (scripts/ensure-deps.sh)"
done

ETH=0x098b716b8aaf21512996dc57eb0615e2383e2f96
BTC=1FsSia9rv4NeEwvJ2GvXrX7LyxYspbN2mo
DOMAIN=celasllc.com
write_feed "$T/feed.csv" <<EOF
$ETH,eth,Lazarus Group,OFAC SDN,90,https://ofac.example/1,,
$BTC,btc,APT38,FBI,80,,,
$DOMAIN,domain,Lazarus Group,maltrail,60,,,
EOF
hunt() { "$TOOL" hunt --database "$T/feed.csv" "$@"; }

# where FILE...: "file line indicator" of each output line, in order
where()
{
  python3 -c '
import json, sys
for line in sys.stdin:
    o = json.loads(line)
    print(o["file"], o["line"], o["indicator"])'
}

# A log of 5000 lines, matches on lines 1, 1234 (CRLF), 2500 (two
# indicators) and 5000 (the last, without a line end).
mkdir -p "$T/logs"
python3 - "$T/logs/app.log" "$ETH" "$BTC" "$DOMAIN" <<'EOF'
import random, sys
path, eth, btc, domain = sys.argv[1:5]
r = random.Random(3)
with open(path, "w", newline="") as f:
    for i in range(1, 5001):
        if i == 1:
            s = "withdrawal to %s queued" % eth.upper().replace("0X", "0x")
        elif i == 1234:
            s = "dns query %s from 10.0.0.7\r" % ("www." + domain)
        elif i == 2500:
            s = '{"to":"%s","via":"%s"}' % (btc, eth)
        elif i == 5000:
            s = "last line pays %s" % btc
        else:
            s = "Feb 21 14:13:%02d web-1 sshd[%d]: Accepted publickey for deploy from 10.%d.%d.%d port %d" % (
                i % 60, r.randrange(60000), r.randrange(256), r.randrange(256), r.randrange(256), r.randrange(65536))
        f.write(s + ("\n" if i < 5000 else ""))
EOF
cd "$T" || bail_out "no temp dir"
gzip -k logs/app.log
zstd -q -k logs/app.log
expected="logs/app.log 1 $ETH
logs/app.log 1234 $DOMAIN
logs/app.log 2500 $BTC
logs/app.log 5000 $BTC"

hunt logs/app.log >out.json
ok $? "plain: exit 0 when a line matched"
is "$(where <out.json)" "$expected" "plain: every match with the file as given and its line"

# the same fields as `match` for the same line, "file" first
"$TOOL" match --database "$T/feed.csv" logs/app.log >match.json
python3 - out.json match.json <<'EOF' >cmp.txt
import json, sys
hunt = [json.loads(l, object_pairs_hook=list) for l in open(sys.argv[1])]
match = [json.loads(l, object_pairs_hook=list) for l in open(sys.argv[2])]
same = len(hunt) == len(match) and all(
    h[0] == ("file", "logs/app.log") and h[1:] == m for h, m in zip(hunt, match))
print("same" if same else "differ: %r / %r" % (hunt[:1], match[:1]))
EOF
is "$(cat cmp.txt)" "same" "plain: each object is match's object (same keys, order and values) after \"file\""
like "$(sed -n 2p out.json)" '"atomic":"www.celasllc.com"' "a CRLF line end is not part of the line"

for ext in gz zst; do
  hunt "logs/app.log.$ext" >out.$ext
  ok $? "$ext: exit 0 when a line matched"
  is "$(where <out.$ext)" "${expected//app.log/app.log.$ext}" "$ext: the same matches, the same lines"
done

# concatenated gzip members are one stream, as zcat reads them
head -n 2000 logs/app.log | gzip >logs/two.gz
tail -n +2001 logs/app.log | gzip >>logs/two.gz
is "$(hunt logs/two.gz | where)" "${expected//app.log/two.gz}" "gzip of two members: lines count on across them"

# the format is told by the content: gzip named .log
cp logs/app.log.gz logs/rotated.log
is "$(hunt logs/rotated.log | where | wc -l)" "4" "a gzip archive without .gz is read as gzip"

# ---------------------------------------------------------------- ranges and blocks

# Lines placed on 64-byte ranges: line 2 starts exactly at byte 64, line 4
# ends exactly at a range end, line 5 crosses two range edges, line 7 is
# longer than three ranges, and line 9 is a match right after it.
python3 - logs/edges.log "$ETH" "$BTC" "$DOMAIN" <<'EOF'
import sys
path, eth, btc, domain = sys.argv[1:5]
def pad(s, n):
    return s + " " * (n - len(s) - 1) + "\n"
lines = [
    pad("first line, nothing", 64),                 # 1: bytes 0..63
    pad("at the edge %s" % eth, 64),                # 2: starts at 64
    pad("plain", 40),                               # 3: 128..167
    pad("ends on the edge %s" % domain, 88),        # 4: 168..255
    pad("x" * 50 + " crossing %s" % btc, 150),      # 5: 256..405
    pad("short", 10),                               # 6
    pad("long " + "y" * 120 + " %s " % eth + "z" * 100, 300),  # 7
    "tail\n",                                       # 8
    "after the long one %s\n" % domain,             # 9
]
open(path, "w").write("".join(lines))
EOF
gzip -k logs/edges.log
edges=$("$TOOL" match --database "$T/feed.csv" logs/edges.log | python3 -c '
import json, sys
for l in sys.stdin:
    o = json.loads(l); print("logs/edges.log", o["line"], o["indicator"])')
is "$(echo "$edges" | cut -d' ' -f2 | tr '\n' ' ')" "2 4 5 7 9 " "match finds the indicators on lines 2, 4, 5, 7 and 9"
for jobs in 1 2 4; do
  is "$(hunt --block-size 64 --jobs $jobs logs/edges.log | where)" "$edges" \
    "64-byte ranges, $jobs workers: each line once, whole, with its number"
done
is "$(hunt --block-size 7 --jobs 3 logs/edges.log | where)" "$edges" "ranges shorter than every line"
is "$(hunt --block-size 64 --jobs 2 logs/edges.log.gz | where)" "${edges//edges.log/edges.log.gz}" \
  "64-byte decompressed blocks, 2 workers: the same"
is "$(hunt --block-size 100 --jobs 2 logs/app.log | where)" "$expected" \
  "5000 lines in 100-byte ranges: the same lines as one worker"

# ---------------------------------------------------------------- order, stdin

printf 'nothing here\nstill nothing\nto %s\n' "$ETH" >logs/small.log
is "$(hunt --jobs 2 --block-size 1000 logs/app.log.gz logs/small.log logs/app.log | where | cut -d' ' -f1,2 | tr '\n' ' ')" \
  "logs/app.log.gz 1 logs/app.log.gz 1234 logs/app.log.gz 2500 logs/app.log.gz 5000 logs/small.log 3 logs/app.log 1 logs/app.log 1234 logs/app.log 2500 logs/app.log 5000 " \
  "files print in the order given, lines in file order"
is "$(hunt <logs/app.log.gz | where)" "${expected//logs\/app.log/-}" "standard input (gzip) without FILE, file \"-\""
is "$(hunt - <logs/small.log | where)" "- 3 $ETH" "\"-\" is standard input"

# ---------------------------------------------------------------- exit status

printf 'nothing to see\n' >logs/clean.log
hunt logs/clean.log >out.clean
is "$?:$(wc -c <out.clean)" "1:0" "no match: exit 1, nothing printed"

hunt logs/missing.log logs/small.log >out.missing 2>err.missing
is "$?" "2" "a missing file: exit 2"
like "$(cat err.missing)" 'logs/missing.log: No such file or directory' "... naming the file"
is "$(where <out.missing)" "logs/small.log 3 $ETH" "... and the other files are still hunted"

head -c $(( $(stat -c %s logs/app.log.gz) * 3 / 4 )) logs/app.log.gz >logs/cut.gz
hunt logs/cut.gz >out.cut 2>err.cut
is "$?" "2" "a truncated gzip archive: exit 2"
like "$(cat err.cut)" 'logs/cut.gz: unexpected end of the gzip data' "... naming the file and what is wrong"
like "$(where <out.cut | sed -n 1p)" "^logs/cut.gz 1 $ETH\$" "... and the text before the cut is hunted"

python3 - logs/app.log.gz logs/bad.gz <<'EOF'
import sys
data = bytearray(open(sys.argv[1], "rb").read())
for i in range(len(data) // 2, len(data) // 2 + 64):
    data[i] ^= 0x5a
open(sys.argv[2], "wb").write(data)
EOF
hunt logs/bad.gz >/dev/null 2>err.bad
is "$?" "2" "a corrupt gzip archive: exit 2"
like "$(cat err.bad)" '^dprk-intel: logs/bad.gz: .+ after [0-9]+ bytes of text$' "... with the file and where"

head -c $(( $(stat -c %s logs/app.log.zst) / 2 )) logs/app.log.zst >logs/cut.zst
hunt logs/cut.zst >/dev/null 2>err.zst
is "$?" "2" "a truncated zstd archive: exit 2"
like "$(cat err.zst)" 'logs/cut.zst: ' "... naming the file"

printf 'not,a,feed\n"unterminated\n' >bad-feed.csv
"$TOOL" hunt --database bad-feed.csv logs/app.log >/dev/null 2>err.feed
is "$?" "2" "a feed that does not load: exit 2"
"$TOOL" hunt --database "$T/feed.csv" --jobs -1 logs/app.log >/dev/null 2>&1
is "$?" "2" "a bad option: exit 2"

done_testing
