#!/usr/bin/env python3
"""gen-feed.py N > feed.csv: N synthetic indicators in our canonical CSV, for
benchmarks only: a mix like a large real feed (EVM and BTC-like addresses,
IPv4, domains, SHA-256), none of which occurs in the benchmark's log lines."""
import random
import sys

from b58 import b58encode as b58

n = int(sys.argv[1])
rnd = random.Random(42)
print("indicator,type,actor,source,confidence,reference,valid_until,description")
actors = ["Lazarus Group", "APT38", "TraderTraitor", "Andariel", "Kimsuky"]
for i in range(n):
    k = i % 5
    if k == 0:
        v, t = "0x%040x" % rnd.getrandbits(160), "eth"
    elif k == 1:
        v, t = "10.%d.%d.%d" % (rnd.randrange(256), rnd.randrange(256), rnd.randrange(256)), "ipv4"
    elif k == 2:
        v, t = "d%08x.example-bad%d.test" % (rnd.getrandbits(32), i % 1000), "domain"
    elif k == 3:
        v, t = "%064x" % rnd.getrandbits(256), "sha256"
    else:
        v, t = b58(rnd.getrandbits(256).to_bytes(32, "big")), "sol"
    print(f"{v},{t},{actors[i % 5]},bench,50,,,")
