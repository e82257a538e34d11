#!/bin/bash
# test-module-config.sh: configuration errors of dprk-intel() are caught and
# named: an unknown option and a missing database() file by --syntax-only
# and at start, a broken feed at start (with FILE:LINE).
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/functional/lib.sh"

write_feed "$T/good.csv" <<'EOF'
0x098B716B8Aaf21512996dC57EB0615e2383E2f96,eth,Lazarus Group,OFAC SDN,90,https://example.org/ofac,,
EOF
# line 3 (counting the header) is broken
write_feed "$T/broken.csv" <<'EOF'
198.51.100.1,ipv4,Lazarus Group,test,50,,,
999.1.2.3,ipv4,Lazarus Group,test,50,,,
EOF

PORT=$(free_tcp_port)

# conf NAME PARSER-OPTIONS: a minimal config around one dprk-intel()
conf()
{
  cat >"$T/$1.conf" <<EOF
$(config_header)
source s_net { network(ip(127.0.0.1) port($PORT) transport(tcp) flags(no-parse)); };
destination d_out { file("$T/out.log" template("$(di_out_template)")); };
log { source(s_net); parser { dprk-intel($2); }; destination(d_out); };
EOF
}

plan 16

# --- an unknown option
conf bad-option "database(\"$T/good.csv\") no-such-option(\"x\")"
syntax_check "$T/bad-option.conf"
status=$?
ok $((status == 0)) "--syntax-only fails on an unknown option"
like "$(cat "$T/syntax.log")" 'no-such-option' "the error names the option" || diag "$(cat "$T/syntax.log")"
start_syslog_ng "$T/bad-option.conf"
ok $(($? == 0)) "start fails on an unknown option"

# --- a missing database file
conf missing "database(\"$T/good.csv\" \"$T/no-such-feed.csv\")"
syntax_check "$T/missing.conf"
ok $(($? == 0)) "--syntax-only fails on a missing database() file"
out=$(cat "$T/syntax.log")
like "$out" "dprk-intel: database\\(\\): cannot read '$T/no-such-feed.csv': No such file or directory" \
  "the error names database() and the file" || diag "$out"
start_syslog_ng "$T/missing.conf"
ok $(($? == 0)) "start fails on a missing database() file"
like "$(cat "$SNG_LOG")" "database\\(\\): cannot read '$T/no-such-feed.csv'" "start: the error names the file"

# --- a missing database directory
conf missing-dir "database(\"$T/no-such-dir\")"
syntax_check "$T/missing-dir.conf"
ok $(($? == 0)) "--syntax-only fails on a missing database() directory"

# --- an empty fields() name
conf empty-field "database(\"$T/good.csv\") fields(\"\")"
syntax_check "$T/empty-field.conf"
ok $(($? == 0)) "--syntax-only fails on an empty fields() name"
like "$(cat "$T/syntax.log")" 'fields\(\)' "the error names fields()"

# --- a broken feed at first start: --syntax-only does not read feeds, start does
conf broken "database(\"$T/good.csv\" \"$T/broken.csv\")"
syntax_check "$T/broken.conf"
ok $? "--syntax-only does not read the feeds (a broken feed passes it)"
start_syslog_ng "$T/broken.conf"
ok $(($? == 0)) "start fails on a broken feed"
log=$(cat "$SNG_LOG")
like "$log" "dprk-intel: database\\(\\): $T/broken\\.csv:3: " "the error is FILE:LINE of the broken row" || diag "$log"
unlike "$log" "broken\\.csv:2:" "the good row of the broken feed is not reported"

# --- a good config starts
conf good "database(\"$T/good.csv\")"
syntax_check "$T/good.conf"
ok $? "a good config passes --syntax-only" || diag "$(cat "$T/syntax.log")"
start_syslog_ng "$T/good.conf"
ok $? "a good config starts" || diag "$(cat "$SNG_LOG")"
stop_syslog_ng

done_testing
