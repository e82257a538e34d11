#!/bin/bash
# test-extract-daemon.sh: checksummed addresses of several chains found by
# dprk-intel() in a real syslog-ng, inside free text, JSON, a URL and
# key=value pairs, in the form they are written (upper-case bech32, CashAddr
# without its prefix); glued or corrupted addresses are not matched.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/functional/lib.sh"

BTC=1FsSia9rv4NeEwvJ2GvXrX7LyxYspbN2mo
BECH=bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4
TRX=TBHTJqAy4DhHhmT3dNceJYNRz4SdLofLre
XMR=49HqitRzdnhYjgTEAhgGpCfsjdTeMbUTU6cyR4JV1R7k2Eej9rGT8JpFiYDa4tZM6RZiFrHmMzgSrhHEqpDYKBe5B2ufNsL
BCH=bitcoincash:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a

write_feed "$T/feed.csv" <<FEED
$BTC,btc,Lazarus Group,test feed,80,https://example.org/btc,,p2pkh
$BECH,btc,APT38,test feed,80,https://example.org/bech32,,segwit v0
$TRX,trx,TraderTraitor,test feed,80,https://example.org/trx,,tron
$XMR,xmr,Lazarus Group,test feed,80,https://example.org/xmr,,monero
$BCH,bch,Andariel,test feed,80,https://example.org/bch,,cashaddr
FEED

PORT=$(free_tcp_port)
cat >"$T/test.conf" <<CONF
$(config_header)
source s_in { network(ip(127.0.0.1) port($PORT) transport(tcp) flags(no-parse)); };
destination d_out { file("$T/out.log" template("$(di_out_template)")); };
log { source(s_in); parser { dprk-intel(database("$T/feed.csv")); }; destination(d_out); };
CONF

plan 13

start_syslog_ng "$T/test.conf" || bail_out "syslog-ng did not start"
pass "syslog-ng starts with the feed"

LINES=(
  "Withdrawal 88127 to $BTC approved by ops"
  "{\"event\":\"withdrawal\",\"asset\":\"USDT\",\"to\":\"$TRX\",\"amount\":\"1000\"}"
  "GET https://explorer.example/address/BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4?tab=tx HTTP/1.1"
  "ts=2025-02-21T14:13:07Z asset=XMR dest=$XMR fee=0.0001"
  "asset=BCH dest=qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a status=sent"
  "glued x$BTC and changed ${BTC%?}n"
)
send_line "$PORT" "${LINES[@]}"
wait_for_lines "$T/out.log" 6
ok $? "six messages came out"

expect_match()
{
  local n=$1 indicator=$2 type=$3 what=$4 line
  line=$(sed -n "${n}p" "$T/out.log")
  like ",$(field_of "$line" TAGS)," ',dprk\.match,' "$what: tagged dprk.match"
  is "$(field_of "$line" indicator)|$(field_of "$line" type)" "$indicator|$type" "$what: .dprk.indicator and .dprk.type"
}

expect_match 1 "$BTC" btc "P2PKH in free text"
expect_match 2 "$TRX" trx "TRON address in JSON"
expect_match 3 "$BECH" btc "upper-case bech32 in a URL"
expect_match 4 "$XMR" xmr "Monero address in key=value"
expect_match 5 "$BCH" bch "CashAddr without its prefix"

line=$(sed -n 6p "$T/out.log")
unlike ",$(field_of "$line" TAGS)," ',dprk\.match,' "a glued and a corrupted address: no match"

stop_syslog_ng
done_testing
