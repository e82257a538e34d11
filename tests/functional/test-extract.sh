#!/bin/bash
# test-extract.sh: `dprk-intel extract` (INTERFACE §4) on the reference
# vectors of tests/data/vectors and the OFAC lists, on log lines of every
# shape, and its exit codes.  Needs python3 to read the vector files and to
# check that every output line is JSON.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/functional/lib.sh"

TOOL="$top_builddir/tool/dprk-intel"
V="$DI_DATA/vectors"
OFAC="$DI_DATA/feeds/ofac_0xB10C_lists"
[ -x "$TOOL" ] || bail_out "$TOOL is not built"
command -v python3 >/dev/null 2>&1 || skip_all "python3 is needed to read the vectors"
[ -d "$V" ] || bail_out "no vectors in $V"

plan 26

# Each expected line is "TYPE VALUE"; extract's output reduced the same way.
# extract_pairs FILE: "type value" of every output line, in order
extract_pairs()
{
  "$TOOL" extract "$1" | python3 -c '
import json, sys
for line in sys.stdin:
    o = json.loads(line)
    print(o["type"], o["value"])'
}

# --- Bitcoin Core key_io_valid.json: every mainnet address is btc, upper-case
# bech32 forms included, with the normalised (lower-case bech32) value
python3 - "$V/bitcoin-core_key_io_valid.json" >"$T/kio.txt" 3>"$T/kio.expect" <<'EOF'
import json, os, sys
out = os.fdopen(3, "w")
for addr, _, meta in json.load(open(sys.argv[1])):
    if meta["chain"] != "main" or meta["isPrivkey"]:
        continue
    norm = addr.lower() if addr.lower().startswith("bc1") else addr
    forms = [addr] + ([addr.upper()] if meta.get("tryCaseFlip") else [])
    for form in forms:
        print("paid to %s today" % form)
        out.write("btc %s\n" % norm)
EOF
extract_pairs "$T/kio.txt" | grep '^btc ' >"$T/kio.got"
is "$(cat "$T/kio.got")" "$(cat "$T/kio.expect")" "key_io_valid.json: every mainnet address extracted as btc, normalised"
is "$(wc -l <"$T/kio.expect")" "22" "key_io_valid.json: 14 mainnet addresses and 8 upper-case bech32 forms"

# --- key_io_invalid.json: none is btc
python3 -c 'import json,sys; [print("x", e[0], "y") for e in json.load(open(sys.argv[1]))]' \
  "$V/bitcoin-core_key_io_invalid.json" >"$T/kii.txt"
is "$(extract_pairs "$T/kii.txt" | grep -c '^btc ')" "0" "key_io_invalid.json: no string extracted as btc"

# --- BIP-173/350 segwit addresses: valid bc ones are btc, no invalid one is
python3 - "$V/bech32_bip173_bip350_vectors.json" >"$T/bip.txt" 3>"$T/bip.expect" 4>"$T/bip-bad.txt" <<'EOF'
import json, os, sys
v = json.load(open(sys.argv[1]))
out, bad = os.fdopen(3, "w"), os.fdopen(4, "w")
for e in v["segwit_addresses_valid"]:
    if e["address"].lower().startswith("bc1"):
        print("to=%s" % e["address"])
        out.write("btc %s\n" % e["address"].lower())
for e in v["segwit_addresses_invalid"] + v["legacy_bip173_segwit_addresses_invalid"]:
    bad.write("to=%s\n" % e["address"])
EOF
is "$(extract_pairs "$T/bip.txt")" "$(cat "$T/bip.expect")" "BIP-173/350: valid mainnet segwit addresses extracted as btc"
is "$(extract_pairs "$T/bip-bad.txt" | grep -c '^btc ')" "0" "BIP-173/350: no invalid segwit address extracted"

# --- EIP-55 and TRON vectors
python3 -c 'import json,sys; [print("{\"to\":\"%s\"}" % a) for a in json.load(open(sys.argv[1]))["valid_checksummed_addresses"]]' \
  "$V/eip55_checksum_addresses.json" >"$T/eip.txt"
is "$(extract_pairs "$T/eip.txt")" "$(tr 'A-F' 'a-f' <"$T/eip.txt" | sed 's/^{"to":"\(.*\)"}$/eth \1/')" \
  "EIP-55: every checksummed address extracted as eth, lower-cased"
python3 -c '
import sys
for line in sys.stdin:
    # flip the case of the first letter of a mixed-case address
    a = line.strip()[7:-2]
    if a[2:].lower() == a[2:] or a[2:].upper() == a[2:]:
        continue
    i = next(i for i, c in enumerate(a) if i > 1 and c.isalpha())
    print("{\"to\":\"%s\"}" % (a[:i] + a[i].swapcase() + a[i + 1:]))' <"$T/eip.txt" >"$T/eip-bad.txt"
# a case-flipped letter breaks the checksum: the same account, extracted and
# marked (issue 12); a valid checksum is not marked
is "$("$TOOL" extract "$T/eip-bad.txt" | python3 -c '
import json, sys
print(sum(1 for l in sys.stdin if json.loads(l)["type"] == "eth" and json.loads(l).get("checksum") == "invalid"))')" \
  "$(wc -l <"$T/eip-bad.txt")" "EIP-55: a case-flipped letter is extracted with \"checksum\":\"invalid\""
is "$("$TOOL" extract "$T/eip.txt" | grep -c '"checksum"')" "0" "EIP-55: a valid checksum is not marked"
python3 - "$V/tron_address_vectors.json" >"$T/trx.txt" <<'EOF'
import json, sys
v = json.load(open(sys.argv[1]))
for e in v["trustwallet_wallet_core"]["valid_base58"]:
    print("tron deposit %s" % e["address"])
for a in v["bitgo_sdk_coin_trx"]["good_addresses"]:
    if a.startswith("T"):
        print("tron deposit %s" % a)
EOF
is "$(extract_pairs "$T/trx.txt")" "$(sed 's/^tron deposit /trx /' "$T/trx.txt")" "TRON: every base58 vector extracted as trx"

# --- every address of the OFAC lists, typed by its list (the quirks: one
# TRON address filed as XBT, one 64-hex value in the XMR list)
python3 - "$OFAC" >"$T/ofac.txt" 3>"$T/ofac.expect" <<'EOF'
import os, sys
out = os.fdopen(3, "w")
evm = {"ETH", "USDC", "ARB", "BSC", "ETC"}
for name in sorted(os.listdir(sys.argv[1])):
    if not name.endswith(".txt"):
        continue
    asset = name[len("sanctioned_addresses_"):-4]
    for addr in open(os.path.join(sys.argv[1], name)).read().split():
        if asset == "XMR" and len(addr) == 64:
            t, v = "sha256", addr
        elif asset in evm or addr.startswith("0x"):
            t, v = "eth", addr.lower()
        elif addr.startswith("T"):
            t, v = "trx", addr
        elif asset == "BCH" and addr[0] in "qp":
            t, v = "bch", "bitcoincash:" + addr
        elif asset in ("XBT", "USDT", "BSV", "BCH"):
            t, v = "btc", addr.lower() if addr.startswith("bc1") else addr
        else:
            t, v = {"LTC": "ltc", "XMR": "xmr", "ZEC": "zec", "DASH": "dash", "BTG": "btg", "XRP": "xrp",
                    "XVG": "xvg"}[asset], addr
        print("withdrawal %s asset=%s dest=%s" % (name, asset, addr))
        out.write("%s %s\n" % (t, v))
EOF
extract_pairs "$T/ofac.txt" >"$T/ofac.got"
missing=$(sort -u "$T/ofac.expect" | comm -23 - <(sort -u "$T/ofac.got"))
is "$missing" "" "OFAC lists: all $(wc -l <"$T/ofac.expect") addresses extracted with their type"
is "$(grep -c '' "$T/ofac.expect")" "654" "OFAC lists: 654 entries read"

# --- one JSON object a line, fields in the order of INTERFACE §4
cat >"$T/mixed.txt" <<'EOF'
Feb 21 14:13:07 hot-wallet-2 signer[812]: withdrawal 88127 to 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa approved
{"event":"withdrawal","to":"0x098B716B8Aaf21512996dC57EB0615e2383E2f96","ip":"203.0.113.45"}
nothing to see here
GET https://explorer.example/address/TBHTJqAy4DhHhmT3dNceJYNRz4SdLofLre?tab=tx HTTP/1.1
ts=2025-02-21T14:13:07Z dest=bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4 from=[2001:DB8::1]:443
EOF
"$TOOL" extract "$T/mixed.txt" >"$T/mixed.json"
ok $? "extract exits 0 on a readable file"
cat >"$T/mixed.expect" <<'EOF'
{"line":1,"type":"btc","value":"1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa","offset":62}
{"line":2,"type":"eth","value":"0x098b716b8aaf21512996dc57eb0615e2383e2f96","offset":28}
{"line":2,"type":"ipv4","value":"203.0.113.45","offset":78}
{"line":4,"type":"url","value":"https://explorer.example/address/TBHTJqAy4DhHhmT3dNceJYNRz4SdLofLre?tab=tx","offset":4}
{"line":4,"type":"domain","value":"explorer.example","offset":12}
{"line":4,"type":"trx","value":"TBHTJqAy4DhHhmT3dNceJYNRz4SdLofLre","offset":37}
{"line":5,"type":"btc","value":"bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4","offset":29}
{"line":5,"type":"ipv6","value":"2001:db8::1","offset":78}
EOF
is "$(cat "$T/mixed.json")" "$(cat "$T/mixed.expect")" \
  "free text, JSON, a URL, key=value: each indicator with its line, type, value and byte offset"
python3 -c '
import json, sys
for line in open(sys.argv[1]):
    o = json.loads(line)
    assert list(o) == ["line", "type", "value", "offset"], list(o)
    assert isinstance(o["line"], int) and isinstance(o["offset"], int)' "$T/mixed.json"
ok $? "every output line is a JSON object with line, type, value, offset"

# --- stdin, several files (lines count per file), "-"
is "$("$TOOL" extract <"$T/mixed.txt")" "$(cat "$T/mixed.expect")" "stdin is read when no FILE is given"
is "$("$TOOL" extract "$T/mixed.txt" - <"$T/eip.txt" | wc -l)" "$((8 + $(wc -l <"$T/eip.txt")))" \
  "several inputs, '-' for stdin"
like "$("$TOOL" extract "$T/eip.txt" "$T/mixed.txt" | tail -n 1)" '^\{"line":5,' "line numbers restart with each file"

# --- a token valid for two chains prints one line per type
is "$(echo 'doge DFFJhnQNZf8rf67tYnesPu7MuGUpYtzv7Z' | "$TOOL" extract | cut -d, -f2 | tr '\n' ' ')" \
  '"type":"doge" "type":"xvg" ' "an address of two chains is printed once per type"

# --- what must not be extracted
printf '%s\n' 'tx 0x5c504ed432cb51138bcf09aa5e8a410dd4a1e204ef84bfed1be16dfba1b22060' \
  'commit 098b716b8aaf21512996dc57eb0615e2383e2f96a' 'version 1.2.3.4.5' 'id_1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa' \
  'sol 9WzDXwBbmkg8ZTbNMqUxvQRAyrZzDsGYdLVL9zYtAWWM' 'open report.pdf with java.lang.String' >"$T/none.txt"
is "$("$TOOL" extract "$T/none.txt")" "" "no indicator in a tx hash, 41 hex, 1.2.3.4.5, a glued address, a Solana key, file names"

# --- hostile input: NULs, invalid UTF-8, a 1 MB line
{ printf 'a\0b 10.0.0.1 \xff\xfe\xc3 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa\n'; head -c 1000000 /dev/zero | tr '\0' 'a'; echo; } \
  >"$T/binary.txt"
out=$("$TOOL" extract "$T/binary.txt")
ok $? "binary input: exit 0"
is "$(printf '%s\n' "$out" | cut -d, -f2 | tr '\n' ' ')" '"type":"ipv4" "type":"btc" ' "binary input: NULs and bad UTF-8 separate tokens"

# --- exit codes
"$TOOL" extract "$T/mixed.txt" "$T/does-not-exist" >"$T/partial.json" 2>"$T/err.txt"
is "$?" "1" "an unreadable file: exit 1"
is "$(wc -l <"$T/partial.json")" "8" "an unreadable file: the readable ones are still extracted"
"$TOOL" extract --no-such-option >/dev/null 2>&1
is "$?" "2" "a usage error: exit 2"
help=$("$TOOL" extract --help)
ok $? "--help exits 0"
like "$help" 'JSON lines' "--help describes the output"

done_testing
