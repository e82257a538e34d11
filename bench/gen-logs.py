#!/usr/bin/env python3
"""gen-logs.py MEGABYTES FEED.csv [HITS_PER_MILLION] > archive.log

A realistic archived log for the retro-hunt benchmark (bench-hunt.sh), for
benchmarks only: what an exchange keeps for months -- withdrawal and deposit
events as JSON, nginx access lines, sshd, BIND query lines, an upload
service logging SHA-256 digests, systemd and kernel chatter -- with valid
wallet addresses (random EVM accounts, base58check Bitcoin addresses) that
are in no feed, plus HITS_PER_MILLION lines (default 20) naming an indicator
taken from FEED.csv (bench/gen-feed.py), so the hunt has matches to print.

A pool of distinct lines is generated once and written in a new random
order on every pass until MEGABYTES are out, which keeps the generator fast
and the text as compressible as real logs (repeats are further apart than
gzip's 32 KiB window)."""
import random
import sys

from b58 import base58check


def main():
    megabytes = int(sys.argv[1])
    feed = sys.argv[2]
    hits_per_million = int(sys.argv[3]) if len(sys.argv) > 3 else 20
    rnd = random.Random(20250221)

    hits = []
    with open(feed) as f:
        next(f)
        for line in f:
            hits.append(line.split(",", 1)[0])
            if len(hits) == 1000:
                break

    evm = ["0x%040x" % rnd.getrandbits(160) for _ in range(2000)]
    btc = [base58check(bytes([0]) + rnd.getrandbits(160).to_bytes(20, "big")) for _ in range(2000)]
    hosts = ["api.example-exchange.com", "cdn.jsdelivr.net", "login.microsoftonline.com", "ntp.ubuntu.com",
             "s3.eu-west-1.amazonaws.com", "updates.vendor.io", "graph.facebook.com", "wallet.example-exchange.com"]
    paths = ["/api/v3/account", "/api/v3/order?symbol=BTCUSDT", "/static/js/app.3f2a1c.js", "/healthz",
             "/v1/withdrawals/status", "/login?next=%2Fdashboard"]

    def ip():
        return "%d.%d.%d.%d" % (rnd.randrange(1, 224), rnd.randrange(256), rnd.randrange(256), rnd.randrange(1, 255))

    def ts():
        return "2025-02-%02dT%02d:%02d:%02d.%03dZ" % (rnd.randrange(1, 29), rnd.randrange(24), rnd.randrange(60),
                                                    rnd.randrange(60), rnd.randrange(1000))

    def line(dest=None):
        k = rnd.randrange(8)
        if dest or k == 0:
            return ('{"ts":"%s","service":"withdrawal-svc","event":"withdrawal.requested","account":"acc_%d",'
                    '"asset":"%s","amount":"%d.%06d","to_address":"%s","client_ip":"%s"}'
                    % (ts(), rnd.randrange(9000000), rnd.choice(["ETH", "USDT", "BTC"]), rnd.randrange(100),
                       rnd.randrange(1000000), dest or rnd.choice(evm + btc), ip()))
        if k == 1:
            return ('{"ts":"%s","service":"deposit-watcher","event":"deposit.confirmed","tx":"0x%064x",'
                    '"from":"%s","confirmations":%d}' % (ts(), rnd.getrandbits(256), rnd.choice(evm),
                                                         rnd.randrange(64)))
        if k == 2:
            return ('%s - - [21/Feb/2025:14:%02d:%02d +0000] "GET %s HTTP/1.1" %d %d "-" "Mozilla/5.0 (X11; '
                    'Linux x86_64)" rt=0.%03d' % (ip(), rnd.randrange(60), rnd.randrange(60), rnd.choice(paths),
                                                  rnd.choice([200, 200, 200, 304, 404]), rnd.randrange(20000),
                                                  rnd.randrange(1000)))
        if k == 3:
            return ("Feb 21 14:%02d:%02d bastion-%d sshd[%d]: Accepted publickey for deploy from %s port %d ssh2: "
                    "ED25519 SHA256:%s" % (rnd.randrange(60), rnd.randrange(60), rnd.randrange(4),
                                           rnd.randrange(60000), ip(), rnd.randrange(65536),
                                           "%043x" % rnd.getrandbits(172)))
        if k == 4:
            return ("21-Feb-2025 14:%02d:%02d.%03d queries: info: client @0x7f3a2c0016e0 %s#%d (%s): query: %s IN A "
                    "+E(0)K (10.0.0.53)" % (rnd.randrange(60), rnd.randrange(60), rnd.randrange(1000), ip(),
                                            rnd.randrange(1024, 65536), rnd.choice(hosts), rnd.choice(hosts)))
        if k == 5:
            return ("%s INFO upload-svc stored object kyc/%d.pdf sha256=%064x size=%d"
                    % (ts(), rnd.randrange(10 ** 6), rnd.getrandbits(256), rnd.randrange(10 ** 7)))
        if k == 6:
            return ("Feb 21 14:%02d:%02d worker-%d systemd[1]: Started Session %d of user deploy."
                    % (rnd.randrange(60), rnd.randrange(60), rnd.randrange(9), rnd.randrange(1000)))
        return ("Feb 21 14:%02d:%02d worker-%d kernel: [%d.%06d] TCP: request_sock_TCP: Possible SYN flooding on "
                "port 443. Sending cookies." % (rnd.randrange(60), rnd.randrange(60), rnd.randrange(9),
                                                rnd.randrange(10 ** 6), rnd.randrange(10 ** 6)))

    # ~170 bytes a line: a small archive gets a pool it uses whole
    pool = [line() for _ in range(min(65536, (megabytes << 20) // 170 + 1))]
    n_hits = max(2, len(pool) * hits_per_million // 10 ** 6)
    for i in range(n_hits):
        pool[i] = line(hits[i % len(hits)])
    out = sys.stdout
    written, target = 0, megabytes << 20
    while written < target:
        rnd.shuffle(pool)
        text = "\n".join(pool) + "\n"
        if written + len(text) > target:
            text = text[:target - written]
            text = text[:text.rfind("\n") + 1]
            if not text:
                break
        out.write(text)
        written += len(text)


main()
