# tests/functional/logsrc/logsrc.sh: what the log-source tests share (the SCL
# log parsers and dprk-intel-enrich() driven by the real syslog-ng).  Sourced
# after tests/functional/lib.sh (bash).
#
#   LOGSRC_DIR, LOGSRC_SAMPLES     this folder, the sample logs (samples/)
#   LOGSRC_FEED                    the test feed (feed.csv: rows of the
#                                  bundled feed, see its description column)
#   LOGSRC_SOURCES                 "source parser sample..." per line
#   logsrc_config_head             @version, options, scl.conf and every SCL
#                                  file of this tree (not the installed ones)
#   logsrc_out_template            a file() template: one JSON object a
#                                  message: msg, tags, and the .dprk.log.*
#                                  fields (nested, under "_dprk"."log")
#   logsrc_stat NAME [INSTANCE]    a dprk-intel counter of `syslog-ng-ctl
#                                  stats` (instance p_enrich by default)
#   logsrc_tap FILE                the checkers' "ok<TAB>what" and
#                                  "not ok<TAB>what<TAB>why" lines as TAP

LOGSRC_DIR="$top_srcdir/tests/functional/logsrc"
LOGSRC_SAMPLES="$top_srcdir/samples"
LOGSRC_FEED="$LOGSRC_DIR/feed.csv"

LOGSRC_SOURCES="exchange dprk-intel-exchange-parser exchange-events.log
accesslog dprk-intel-accesslog-parser accesslog-combined.log accesslog-json.log
cloudtrail dprk-intel-cloudtrail-parser cloudtrail.log
fireblocks dprk-intel-fireblocks-parser fireblocks.log
bitgo dprk-intel-bitgo-parser bitgo.log
bitcoind dprk-intel-bitcoind-parser bitcoind-debug.log
geth dprk-intel-geth-parser geth.log geth-logfmt.log geth-json.log
wallet dprk-intel-wallet-parser wallet-signer.log"

logsrc_config_head()
{
  local f
  config_header
  echo '@include "scl.conf"'
  for f in "$top_srcdir"/parsers/log-*.conf "$top_srcdir"/scl/dprk-intel/*.conf; do
    echo "@include \"$f\""
  done
}

logsrc_out_template()
{
  printf '%s' '$(format-json --scope none msg=${MESSAGE} tags=${TAGS} --key .dprk.log.*)\n'
}

logsrc_stat()
{
  syslog_ng_ctl stats | sed -n "s/^parser;dprk-intel;${2:-p_enrich};[^;]*;$1;//p"
}

logsrc_tap()
{
  local status what why
  while IFS=$'\t' read -r status what why; do
    if [ "$status" = ok ]; then
      pass "$what"
    else
      fail "$what"
      diag "$why"
    fi
  done <"$1"
}
