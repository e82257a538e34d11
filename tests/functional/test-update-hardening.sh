#!/bin/bash
# test-update-hardening.sh: dprk-intel-update against a hostile feed server
# and a hostile config (issue 11), on 127.0.0.1 (feed-server.py: HTTPS with a
# certificate made by this test, plain HTTP beside it).  A redirect to http,
# an http, ftp or file URL, a file over max_filesize (with and without a
# Content-Length), a pinned SHA-256 that does not match, a version that drops
# 90% of the indicators, one that adds 0.0.0.0/0 or an IPv6 /16 are refused and
# leave the previous copy; --force installs what the gate refused; hostile
# config values fail cleanly and run nothing; OFAC's pair switches in one
# rename (and a failure of its second file leaves the old pair); the check
# runs as an unprivileged user under the configured memory, CPU-time and
# wall-clock limits, and a feed too big for the memory limit fails cleanly.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/functional/lib.sh"
. "$top_srcdir/tests/functional/update-lib.sh"

start_feed_server

# rows N: a canonical CSV feed of N IPv4 rows (10.0.x.y)
rows()
{
  local i
  {
    echo "$DI_CSV_HEADER"
    for ((i = 1; i <= $1; i++)); do
      echo "10.0.$((i / 256)).$((i % 256)),ipv4,Lazarus Group,test feed,90,https://example.org/,,row $i"
    done
  } >"$2"
}

# same FILE: the installed good.csv is FILE
same() { cmp -s "$1" "$FEEDS/good.csv"; }

plan 103

# ---------------------------------------------------------------- protocols

v1 "$WWW/good.csv"
cp "$WWW/good.csv" "$T/v1.csv"
conf "$T/good.conf" "feed = good.csv $HTTPS_URL/good.csv"
update "$T/good.conf"
is $? 0 "https with the configured CA: exit 0" || diag "$(cat "$T/err")"
same "$T/v1.csv"
ok $? "... installed"

v2 "$WWW/good.csv"
conf "$T/downgrade.conf" "feed = good.csv $HTTPS_URL/to-http/good.csv"
update "$T/downgrade.conf"
is $? 1 "a redirect from https to http: exit 1"
like "$(cat "$T/err")" "$HTTPS_URL/to-http/good.csv: download failed: .*https only" "... refused, naming the URL"
same "$T/v1.csv"
ok $? "... the previous copy stays"

conf "$T/https-redirect.conf" "feed = good.csv $HTTPS_URL/to-https/good.csv"
update "$T/https-redirect.conf"
is $? 0 "a redirect from https to https: followed, exit 0" || diag "$(cat "$T/err")"
same "$WWW/good.csv"
ok $? "... installed"

for url in "$HTTP_URL/good.csv" "ftp://127.0.0.1/good.csv" "file://$WWW/good.csv"; do
  conf "$T/scheme.conf" "feed = good.csv $url"
  update "$T/scheme.conf"
  is $? 2 "feed = ... ${url%%:*}:// URL: a config error (exit 2)"
done
like "$(cat "$T/err")" "a local file; https only, unless the line says allow-file" "... saying https only"
conf "$T/scheme.conf" "feed = good.csv $HTTP_URL/good.csv"
update "$T/scheme.conf"
like "$(cat "$T/err")" "plain http; https only, unless the line says allow-http" "http://: the error names allow-http"
printf 'ofac = csv\nofac_sdn_csv_url = %s\n' "$HTTP_URL/SDN.CSV" >"$T/ofac-http.conf"
update "$T/ofac-http.conf"
is $? 2 "ofac_sdn_csv_url over http: a config error (exit 2)"

v1 "$WWW/plain.csv"
conf "$T/allow-http.conf" "feed = plain.csv $HTTP_URL/plain.csv allow-http"
update "$T/allow-http.conf"
is $? 0 "feed = NAME http://... allow-http: exit 0" || diag "$(cat "$T/err")"
cmp -s "$WWW/plain.csv" "$FEEDS/plain.csv"
ok $? "... installed"
rm -f "$FEEDS/plain.csv"
conf "$T/allow-file.conf" "feed = plain.csv file://$WWW/plain.csv allow-file"
update "$T/allow-file.conf"
is $? 0 "feed = NAME file://... allow-file: exit 0" || diag "$(cat "$T/err")"
rm -f "$FEEDS/plain.csv"

# ---------------------------------------------------------------- size

rows 200 "$WWW/large.csv"
cp "$FEEDS/good.csv" "$T/before.csv"
conf "$T/size.conf" "feed = good.csv $HTTPS_URL/large.csv" "max_filesize = 4k"
update "$T/size.conf"
is $? 1 "a file over max_filesize (4k), with a Content-Length: exit 1"
like "$(cat "$T/err")" "large.csv: download failed: larger than max_filesize \(4k\)" "... says so"
same "$T/before.csv"
ok $? "... the previous copy stays"
conf "$T/size.conf" "feed = good.csv $HTTPS_URL/no-length/large.csv" "max_filesize = 4k"
update "$T/size.conf"
is $? 1 "a file over max_filesize without a Content-Length: exit 1"
like "$(cat "$T/err")" "no-length/large.csv: download failed: larger than max_filesize \(4k\)" "... says so"
same "$T/before.csv"
ok $? "... the previous copy stays"
is "$(leftovers)" "" "... no temp file left behind"
conf "$T/size.conf" "feed = good.csv $HTTPS_URL/no-length/good.csv" "max_filesize = 4k"
update "$T/size.conf"
is $? 0 "a file under max_filesize without a Content-Length: exit 0" || diag "$(cat "$T/err")"
conf "$T/size.conf" "feed = good.csv $HTTPS_URL/good.csv" "max_filesize = lots"
update "$T/size.conf"
is $? 2 "max_filesize = lots: a config error (exit 2)"

# ---------------------------------------------------------------- pinned SHA-256

v2 "$WWW/pinned.csv"
sum=$(sha256sum <"$WWW/pinned.csv")
sum=${sum%% *}
conf "$T/pin.conf" "feed = pinned.csv $HTTPS_URL/pinned.csv sha256=$sum"
update "$T/pin.conf"
is $? 0 "a pinned SHA-256 that matches: exit 0" || diag "$(cat "$T/err")"
cp "$FEEDS/pinned.csv" "$T/pinned.before"
echo "203.0.113.9,ipv4,Lazarus Group,test feed,90,https://example.org/,,added" >>"$WWW/pinned.csv"
update "$T/pin.conf"
is $? 1 "a pinned SHA-256 that does not match: exit 1"
like "$(cat "$T/err")" "pinned.csv: sha256 mismatch: the line pins $sum, the download is [0-9a-f]{64}" "... names both hashes"
cmp -s "$T/pinned.before" "$FEEDS/pinned.csv"
ok $? "... the previous copy stays"
conf "$T/pin.conf" "feed = pinned.csv $HTTPS_URL/pinned.csv sha256=abc"
update "$T/pin.conf"
is $? 2 "sha256=abc: a config error (exit 2)"
rm -f "$FEEDS/pinned.csv"

# ---------------------------------------------------------------- the gate: dropped indicators

rows 20 "$WWW/rows.csv"
conf "$T/rows.conf" "feed = rows.csv $HTTPS_URL/rows.csv"
update "$T/rows.conf"
is $? 0 "a feed of 20 rows: exit 0" || diag "$(cat "$T/err")"
cp "$FEEDS/rows.csv" "$T/rows20.csv"
rows 2 "$WWW/rows.csv"
update "$T/rows.conf"
is $? 1 "a new version with 2 of its 20 rows (drops 90%): exit 1"
like "$(cat "$T/err")" "the new version has 2 indicators, the installed one 20: it drops 90%, more than max_drop \(50%\)" \
  "... says how many it drops"
like "$(cat "$T/err")" "rows.csv: refused by the sanity gate \(--force installs it\)" "... and how to install it anyway"
cmp -s "$T/rows20.csv" "$FEEDS/rows.csv"
ok $? "... the previous copy stays"
update "$T/rows.conf" --check-only
is $? 1 "--check-only: the gate refuses it too"
update "$T/rows.conf" --force
is $? 0 "--force: exit 0" || diag "$(cat "$T/err")"
like "$(cat "$T/err")" "rows.csv: installed anyway \(--force\)" "... with a warning"
cmp -s "$WWW/rows.csv" "$FEEDS/rows.csv"
ok $? "... installed"
rows 20 "$WWW/rows.csv"
update "$T/rows.conf"
is $? 0 "growing again (2 -> 20 rows): exit 0"
rows 12 "$WWW/rows.csv"
update "$T/rows.conf"
is $? 0 "dropping 40% (20 -> 12 rows, max_drop 50%): exit 0"
rows 20 "$WWW/rows.csv"
update "$T/rows.conf"
rows 2 "$WWW/rows.csv"
conf "$T/rows100.conf" "feed = rows.csv $HTTPS_URL/rows.csv" "max_drop = 100"
update "$T/rows100.conf"
is $? 0 "max_drop = 100: no drop gate" || diag "$(cat "$T/err")"
rm -f "$FEEDS/rows.csv"

# ---------------------------------------------------------------- the gate: broad CIDRs

rows 10 "$WWW/cidr.csv"
echo "198.51.100.0/24,cidr,Lazarus Group,test feed,90,https://example.org/,,a /24" >>"$WWW/cidr.csv"
conf "$T/cidr.conf" "feed = cidr.csv $HTTPS_URL/cidr.csv"
update "$T/cidr.conf"
is $? 0 "a /24: exit 0" || diag "$(cat "$T/err")"
cp "$FEEDS/cidr.csv" "$T/cidr.before"
cp "$WWW/cidr.csv" "$T/cidr.base"
echo "0.0.0.0/0,cidr,Lazarus Group,test feed,90,https://example.org/,,everything" >>"$WWW/cidr.csv"
update "$T/cidr.conf"
is $? 1 "a new version with a 0.0.0.0/0 row: exit 1"
like "$(cat "$T/err")" "adds CIDRs broader than /8 \(IPv4\) or /32 \(IPv6\): 0\.0\.0\.0/0" "... names it and the limits"
cmp -s "$T/cidr.before" "$FEEDS/cidr.csv"
ok $? "... the previous copy stays"
cp "$T/cidr.base" "$WWW/cidr.csv"
echo "2001:db8::/16,cidr,Lazarus Group,test feed,90,https://example.org/,,a /16" >>"$WWW/cidr.csv"
update "$T/cidr.conf"
is $? 1 "a new version with an IPv6 /16 row: exit 1"
like "$(cat "$T/err")" "2001::/16" "... names it (canonical)"
cp "$T/cidr.base" "$WWW/cidr.csv"
echo "10.0.0.0/8,cidr,Lazarus Group,test feed,90,https://example.org/,,a /8" >>"$WWW/cidr.csv"
update "$T/cidr.conf"
is $? 0 "a /8 (the limit itself): exit 0" || diag "$(cat "$T/err")"
echo "0.0.0.0/0,cidr,Lazarus Group,test feed,90,https://example.org/,,everything" >>"$WWW/cidr.csv"
update "$T/cidr.conf" --force
is $? 0 "0.0.0.0/0 with --force: exit 0"
like "$(cat "$T/err")" "cidr.csv: installed anyway \(--force\)" "... with a warning"
echo "203.0.113.0/24,cidr,Lazarus Group,test feed,90,https://example.org/,,another" >>"$WWW/cidr.csv"
update "$T/cidr.conf"
is $? 0 "a later version that keeps the forced 0.0.0.0/0 (and adds a /24): exit 0 (the gate looks at what is added)"
conf "$T/cidr0.conf" "feed = cidr.csv $HTTPS_URL/cidr.csv" "min_prefix_ipv4 = 0"
echo "128.0.0.0/1,cidr,Lazarus Group,test feed,90,https://example.org/,,half" >>"$WWW/cidr.csv"
update "$T/cidr0.conf"
is $? 0 "min_prefix_ipv4 = 0: any prefix" || diag "$(cat "$T/err")"
conf "$T/cidr0.conf" "feed = cidr.csv $HTTPS_URL/cidr.csv" "min_prefix_ipv4 = 33"
update "$T/cidr0.conf"
is $? 2 "min_prefix_ipv4 = 33: a config error (exit 2)"
rm -f "$FEEDS/cidr.csv"

# ---------------------------------------------------------------- hostile config values

# Values that were (or could be) code somewhere: a sed program with GNU's
# `e` command, command substitutions, options.  None may run anything.
v2 "$WWW/corrupt.csv"
echo "999.1.2.3,ipv4,Lazarus Group,test feed,90,https://example.org/bad,,not an address" >>"$WWW/corrupt.csv"
EVIL_DIR="$T/x||;e touch $T/pwned-sed;#"
conf "$T/evil-dir.conf" "target_dir = $EVIL_DIR" "feed = good.csv $HTTPS_URL/corrupt.csv"
"$UPDATER" --config "$T/evil-dir.conf" --tool "$TOOL" --control-socket "$T/no-such.ctl" >"$T/out" 2>"$T/err"
is $? 1 "target_dir with a sed 'e' command, a corrupt feed: exit 1 (the parse error)"
like "$(cat "$T/err")" "good.csv:4: invalid ipv4 address '999.1.2.3'" "... the error is the feed's, FILE:LINE without the path"
test ! -e "$T/pwned-sed"
ok $? "... and nothing ran"
conf "$T/evil-dir.conf" "target_dir = $EVIL_DIR" "feed = good.csv $HTTPS_URL/good.csv"
"$UPDATER" --config "$T/evil-dir.conf" --tool "$TOOL" --control-socket "$T/no-such.ctl" >"$T/out" 2>"$T/err"
is $? 0 "the same target_dir, a good feed: exit 0 (a directory of that odd name)" || diag "$(cat "$T/err")"
cmp -s "$WWW/good.csv" "$EVIL_DIR/good.csv"
ok $? "... installed there, literally"
test ! -e "$T/pwned-sed"
ok $? "... and nothing ran"

for value in 'relative/feeds' '-rf' '$(touch PWNED)'; do
  conf "$T/evil.conf" "target_dir = ${value//PWNED/$T/pwned-subst}" "feed = good.csv $HTTPS_URL/good.csv"
  "$UPDATER" --config "$T/evil.conf" --tool "$TOOL" >"$T/out" 2>"$T/err"
  is $? 2 "target_dir = $value: a config error (exit 2)"
done
like "$(cat "$T/err")" "target_dir must be an absolute path" "... saying it must be an absolute path"
update "$T/good.conf" --target-dir=-rf
is $? 2 "--target-dir=-rf: a usage error (exit 2)"
evil_conf=(
  "proxy = \$(touch $T/pwned-subst)"
  "tool = \$(touch $T/pwned-subst)"
  "control_socket = \`touch $T/pwned-subst\`"
  "check_user = \$(touch $T/pwned-subst)"
  "check_user = root"
  "check_user = no-such-user-here"
  "feed = \$(touch $T/pwned-subst) $HTTPS_URL/good.csv"
  "max_time = 1;touch $T/pwned-subst"
  "reload = \$(touch $T/pwned-subst)"
  "ca_file = $(printf '/tmp/\033[31mred')"
)
for line in "${evil_conf[@]}"; do
  printf 'feed = good.csv %s\n%s\n' "$HTTPS_URL/good.csv" "$line" >"$T/evil.conf"
  update "$T/evil.conf"
  is $? 2 "$(printf '%s' "${line%% =*}") = $(printf '%q' "${line#*= }" | head -c 60): a config error (exit 2)" || diag "$(cat "$T/err")"
done
like "$(grep -c . "$T/err")" '^1$' "... one line of error"
conf "$T/evil.conf" "feed = good.csv $HTTPS_URL/\$(touch\${IFS}$T/pwned-subst)"
update "$T/evil.conf"
is $? 1 "a URL holding \$(...): only a 404 (exit 1)"
test ! -e "$T/pwned-subst"
ok $? "no config value ran a command"

# ---------------------------------------------------------------- OFAC's pair, atomically

OFAC_EXCERPT=$DI_DATA/feeds/ofac_sdn_csv_excerpt_lazarus_bluenoroff_andariel.csv
# an older updater left plain files: they are taken over
cp "$OFAC_EXCERPT" "$FEEDS/sdn.csv"
printf '27307,"G TEAM'"'"'."\r\n' >"$FEEDS/sdn_comments.csv"
cp "$OFAC_EXCERPT" "$WWW/SDN.CSV"
printf '\r\n' >>"$WWW/SDN.CSV"
printf '27307,"G TEAM'"'"'. (v2)"\r\n' >"$WWW/SDN_COMMENTS.CSV"
cat >"$T/ofac.conf" <<EOF
ofac = csv
retries = 0
ca_file = $CA
ofac_sdn_csv_url = $HTTPS_URL/SDN.CSV
ofac_sdn_comments_url = $HTTPS_URL/SDN_COMMENTS.CSV
EOF
update "$T/ofac.conf"
is $? 0 "OFAC's pair over plain files of an older version: exit 0" || diag "$(cat "$T/err")"
cmp -s "$WWW/SDN.CSV" "$FEEDS/sdn.csv" && cmp -s "$WWW/SDN_COMMENTS.CSV" "$FEEDS/sdn_comments.csv"
ok $? "... both new"
is "$(readlink "$FEEDS/sdn.csv") $(readlink "$FEEDS/sdn_comments.csv")" \
  ".dprk-intel-groups/sdn.csv/current/sdn.csv .dprk-intel-groups/sdn.csv/current/sdn_comments.csv" \
  "... each a symlink through the group's one 'current' link"
gen1=$(readlink "$FEEDS/.dprk-intel-groups/sdn.csv/current")
ok $(test -f "$FEEDS/.dprk-intel-groups/sdn.csv/$gen1/sdn.csv" && test -f "$FEEDS/.dprk-intel-groups/sdn.csv/$gen1/sdn_comments.csv"; echo $?) \
  "... which points to one generation directory holding both"
"$TOOL" check --database "$FEEDS" >"$T/check.out" 2>&1
like "$(cat "$T/check.out")" $'source\tOFAC SDN\t8' "... the daemon's way of reading them (the directory) loads the pair"
unlike "$(find "$FEEDS" -maxdepth 1 -type f -name 'sdn*')" . "... no plain sdn file left"

cp "$FEEDS/sdn.csv" "$T/sdn.v2"
cp "$FEEDS/sdn_comments.csv" "$T/comments.v2"
printf '\r\n' >>"$WWW/SDN.CSV"
printf '27307,"G TEAM'"'"'. (v3)"\r\n' >"$WWW/SDN_COMMENTS.CSV"
sed -i 's|SDN_COMMENTS.CSV|NO_SUCH_COMMENTS.CSV|' "$T/ofac.conf"
update "$T/ofac.conf"
is $? 1 "a new sdn.csv and a 404 for sdn_comments.csv: exit 1"
cmp -s "$T/sdn.v2" "$FEEDS/sdn.csv" && cmp -s "$T/comments.v2" "$FEEDS/sdn_comments.csv"
ok $? "... the old pair stays, both files"
is "$(readlink "$FEEDS/.dprk-intel-groups/sdn.csv/current")" "$gen1" "... the same generation"
sed -i 's|NO_SUCH_COMMENTS.CSV|SDN_COMMENTS.CSV|' "$T/ofac.conf"
update "$T/ofac.conf"
is $? 0 "then both again: exit 0" || diag "$(cat "$T/err")"
gen2=$(readlink "$FEEDS/.dprk-intel-groups/sdn.csv/current")
isnt_same=$([ "$gen2" != "$gen1" ] && echo 0 || echo 1)
ok "$isnt_same" "... a new generation ($gen2)"
cmp -s "$WWW/SDN.CSV" "$FEEDS/sdn.csv" && cmp -s "$WWW/SDN_COMMENTS.CSV" "$FEEDS/sdn_comments.csv"
ok $? "... both new"
printf '\r\n' >>"$WWW/SDN.CSV"
update "$T/ofac.conf"
is "$(find "$FEEDS/.dprk-intel-groups/sdn.csv" -mindepth 1 -maxdepth 1 -type d | wc -l)" 2 \
  "after a third version: the current generation and the one before, no more"
is "$(leftovers)" "" "... and no temp file or dir"

# ---------------------------------------------------------------- who runs the check, with what limits

# A tool that notes who runs it and its limits, then runs the real one; a
# curl that does the same.
mkdir -p "$T/bin"
: >"$T/calls"
chmod 0666 "$T/calls"
cat >"$T/bin/tool" <<EOF
#!/bin/sh
echo "tool \$1 uid=\$(id -u) v=\$(ulimit -v) t=\$(ulimit -t) args=\$*" >>"$T/calls"
[ "\$1" = check ] && [ -n "\${SLOW_CHECK:-}" ] && exec sleep 60
exec "$TOOL" "\$@"
EOF
cat >"$T/bin/curl" <<EOF
#!/bin/sh
echo "curl uid=\$(id -u)" >>"$T/calls"
PATH=\${PATH#$T/bin:}
exec curl "\$@"
EOF
chmod 0755 "$T/bin/tool" "$T/bin/curl"
v2 "$WWW/good.csv"
echo "198.51.100.99,ipv4,Kimsuky,test feed,70,https://example.org/,,v3" >>"$WWW/good.csv"
conf "$T/limits.conf" "feed = good.csv $HTTPS_URL/good.csv" "check_memory = 300" "check_time = 40"
PATH="$T/bin:$PATH" "$UPDATER" --config "$T/limits.conf" --target-dir "$FEEDS" --tool "$T/bin/tool" \
  --control-socket "$T/no-such.ctl" >"$T/out" 2>"$T/err"
is $? 0 "an update with a tool and a curl that note their user and limits: exit 0" || diag "$(cat "$T/err")"
check_line=$(grep '^tool check.*--database' "$T/calls" | head -n 1)
curl_line=$(grep '^curl' "$T/calls" | head -n 1)
if [ "$(id -u)" -eq 0 ]; then
  unlike "$check_line" 'uid=0 ' "as root: the check runs as another user ($check_line)"
  unlike "$curl_line" 'uid=0 ' "... and so does curl ($curl_line)"
else
  pass "not root: the check runs as this user # SKIP not root"
  pass "not root: curl runs as this user # SKIP not root"
fi
like "$check_line" "v=$((300 * 1024)) t=40" "... the check with check_memory (300 MiB of address space) and check_time (40 s CPU)"

conf "$T/slow.conf" "feed = good.csv $HTTPS_URL/good.csv" "check_time = 2"
echo "198.51.100.98,ipv4,Kimsuky,test feed,70,https://example.org/,,v4" >>"$WWW/good.csv"
cp "$FEEDS/good.csv" "$T/before.csv"
SLOW_CHECK=1 "$UPDATER" --config "$T/slow.conf" --target-dir "$FEEDS" --tool "$T/bin/tool" \
  --control-socket "$T/no-such.ctl" >"$T/out" 2>"$T/err"
is $? 1 "a check that takes longer than check_time (2 s): exit 1"
like "$(cat "$T/err")" "the check did not finish within check_time \(2 s\); not installed" "... says so"
same "$T/before.csv"
ok $? "... the previous copy stays"

# A feed of 8 MB holding 8 MB of text: the check needs well over 16 MiB; a
# small feed checks fine under the same limit.
"${PYTHON3:-python3}" -c '
import sys
print(sys.argv[1])
for i in range(8000):
    print("10.%d.%d.%d,ipv4,Lazarus Group,s,90,,,%s" % (i >> 16 & 255, i >> 8 & 255, i & 255, ("%06d" % i) * 160))
' "$DI_CSV_HEADER" >"$WWW/huge.csv"
conf "$T/mem.conf" "feed = good.csv $HTTPS_URL/huge.csv" "check_memory = 16" "max_filesize = 64M"
update "$T/mem.conf"
is $? 1 "a feed whose check needs more than check_memory (16 MiB): exit 1"
like "$(cat "$T/err")" "huge.csv: (the check stopped \(exit [0-9]+, signal [0-9]+\), within check_memory \(16 MiB\)|.*Cannot allocate memory)" \
  "... the check stopped at the memory limit, and says so"
same "$T/before.csv"
ok $? "... the previous copy stays"
conf "$T/mem.conf" "feed = good.csv $HTTPS_URL/good.csv" "check_memory = 16"
update "$T/mem.conf"
is $? 0 "the small feed under the same check_memory: exit 0" || diag "$(cat "$T/err")"

done_testing
