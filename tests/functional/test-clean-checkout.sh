#!/bin/bash
# test-clean-checkout.sh: what a stranger gets.  Copies the committed tree
# (`git archive HEAD`: an uncommitted or ignored file is missing there, as
# it is in a user's clone), runs ./demo.sh in the copy and checks what it
# prints: the matched sample events with their actors, the counts per actor,
# incident summaries and the counters, each against an independent count
# (the copy's own `dprk-intel match` over the same sample).  Then `make
# distdir` in the copy: every file the tarball lists must be committed.
# Where the source tree is not a git checkout (a release tarball, a package
# build) there is nothing to copy: the test says so and skips.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/functional/lib.sh"

command -v git >/dev/null 2>&1 || skip_all "git is not installed"
toplevel=$(git -C "$top_srcdir" rev-parse --show-toplevel 2>/dev/null) &&
  [ "$(cd "$toplevel" && pwd -P)" = "$(cd "$top_srcdir" && pwd -P)" ] ||
  skip_all "$top_srcdir is not a git checkout (a release tarball?): no committed tree to copy"
git -C "$top_srcdir" rev-parse --verify -q HEAD >/dev/null || skip_all "no commit in $top_srcdir yet"

plan 18

COPY=$T/dprk-intel
mkdir -p "$COPY"
git -C "$top_srcdir" archive --format=tar HEAD | tar -C "$COPY" -xf -
ok $? "the committed tree (HEAD $(git -C "$top_srcdir" rev-parse --short HEAD)) copied to $COPY"

# The demo as a user runs it, in a clean environment: no make jobserver of
# ours, none of the test harness's variables.
(cd "$COPY" && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u MAKEOVERRIDES -u top_srcdir -u top_builddir \
   ./demo.sh) >"$T/demo.out" 2>"$T/demo.err"
status=$?
is "$status" 0 "./demo.sh in the copy exits 0" ||
  diag "demo.sh said:" "$(tail -n 40 "$T/demo.err")" "$(tail -n 20 "$T/demo.out")"
OUT=$(cat "$T/demo.out")

# What the demo must show, computed independently: the copy's tool over the
# copy's sample and feed.
TOOL=$COPY/_build/tool/dprk-intel
SAMPLE=$T/samples.log
# what the demo replays: exchange.log, then the list of raw log-source samples
(cd "$COPY/samples" && cat exchange.log $(grep -v '^#' demo-sources.list)) >"$SAMPLE" 2>/dev/null
if [ -x "$TOOL" ]; then
  "$TOOL" match -d "$COPY/feeds/dprk" "$SAMPLE" >"$T/match.jsonl" 2>"$T/match.err"
else
  : >"$T/match.jsonl"
fi
want_matched=$(wc -l <"$T/match.jsonl")
want_lines=$(cat "$SAMPLE" 2>/dev/null | wc -l)
ok $((want_matched < 3)) "the tool finds $want_matched matching lines in the sample (at least 3)"
# actor -> count, as the demo counts them (every actor of a message)
python3 - "$T/match.jsonl" >"$T/want-actors" <<'EOF'
import collections, json, sys
c = collections.Counter()
for line in open(sys.argv[1]):
    for a in json.loads(line)["actors"].split(","):
        c[a] += 1
for actor, n in sorted(c.items()):
    print(f"{n}\t{actor}")
EOF

section()   # the lines of the demo's section "== NAME ==" up to the next one
{
  printf '%s\n' "$OUT" | awk -v name="== $1 ==" '$0 == name {on = 1; next} /^== / {on = 0} on && NF'
}

events=$(section "enriched events (tagged dprk.match)")
is "$(printf '%s\n' "$events" | grep -c .)" "$want_matched" \
  "the demo prints one enriched event per matching sample line ($want_matched)"
like "$events" '^wallet-api-0[12] +exchange +Lazarus Group +eth +0x[0-9a-f]{40}  \(source OFAC SDN, confidence 95.* account acct-[0-9]+ amount [0-9.]+$' \
  "a withdrawal to an OFAC-listed Lazarus Group address, parsed: source, confidence, account and amount"
like "$events" '^[a-z0-9-]+ +[a-z-]+ +TraderTraitor +(eth|btc) ' "a TraderTraitor address (FBI)"
like "$events" '^dns-01 +- +Lazarus Group +domain +[a-z0-9.-]+ +\(source maltrail' "a DNS query for a maltrail domain (free text)"
for source in fireblocks bitgo cloudtrail; do
  like "$events" "^[^ ]+ +$source +[A-Za-z]" "an event of $source, parsed by dprk-intel-enrich(), matched"
done

per_actor=$(section "matched messages per actor" | grep -v 'of the sample messages matched' |
            awk '{n = $1; $1 = ""; sub(/^ /, ""); print n "\t" $0}' | sort -t "$(printf '\t')" -k2)
is "$per_actor" "$(sort -t "$(printf '\t')" -k2 "$T/want-actors")" \
  "the counts per actor are the tool's ($(wc -l <"$T/want-actors") actors)"
ok $(( $(wc -l <"$T/want-actors") < 3 )) "the sample names at least 3 actors"
like "$OUT" "^$want_matched of the sample messages matched\$" "the total of matched messages"

incidents=$(section "suspected incidents (summaries emitted when an incident closes)")
like "$incidents" '^dprk-intel: incident [0-9a-f]{16} key=[^:]+: [0-9]+ match(es)? of ' "incident summaries are printed"
like "$incidents" '^dprk-intel: incident [0-9a-f]{16} key=acct-[0-9]+: ([2-9]|[1-9][0-9]+) matches of .*, amount [0-9.]+$' \
  "an account with several matches forms one incident, with the amounts summed"

counters=$(section "syslog-ng-ctl stats (dprk-intel)")
counter() { printf '%s\n' "$counters" | awk -F';' -v n="$1" '$5 == n {s += $6} END {print s + 0}'; }
is "$(counter scanned);$(counter matched)" "$want_lines;$want_matched" \
  "the counters: every sample line scanned, the matching ones matched"
is "$(counter incidents_closed)" "$(printf '%s\n' "$incidents" | grep -c '^dprk-intel: incident ')" \
  "the counters: one closed incident per summary printed"

# The release tarball from a clone: make distdir copies every file that
# `make dist` lists; one that is not committed is missing here.
if [ -f "$COPY/_build/Makefile" ]; then
  env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u MAKEOVERRIDES \
    make -C "$COPY/_build" distdir distdir=dist-test >"$T/distdir.log" 2>&1
  status=$?
else
  status=1
  echo "the demo did not configure $COPY/_build" >"$T/distdir.log"
fi
is "$status" 0 "make distdir in the copy: every file the tarball lists is committed" ||
  diag "$(grep -iE 'no rule|error|missing' "$T/distdir.log" | head -n 10)"

done_testing
