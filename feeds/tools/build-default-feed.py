#!/usr/bin/env python3
"""build-default-feed.py DATA_DIR > dprk/dprk-default.csv

DATA_DIR is tests/data of this tree (its feeds/ holds the lists, with their
provenance).

Writes the bundled default feed, in our canonical CSV, from the public lists
named in PROVENANCE.md.  Run by a maintainer when those lists change; the
build and the daemon never run it.  Every row carries its source and the
reference that attributes it.
"""
import csv
import re
import sys

OFAC_REF = "https://sanctionssearch.ofac.treas.gov/Details.aspx?id={uid}"
FBI_BYBIT_REF = "https://www.ic3.gov/PSA/2025/PSA250226"
FBI_2023_REF = "https://www.fbi.gov/news/press-releases/fbi-identifies-cryptocurrency-funds-stolen-by-dprk"


def chain_of(address):
    if address.startswith("0x"):
        return "eth"
    if address.startswith("T"):
        return "trx"
    return "btc"


def ofac_rows(data):
    with open(f"{data}/feeds/ofac_dprk_linked_addresses.csv", newline="") as f:
        for r in csv.DictReader(f):
            yield [r["address"], chain_of(r["address"]), r["sdn_entity"], "OFAC SDN", "95",
                   OFAC_REF.format(uid=r["sdn_uid"]), "",
                   f"OFAC SDN uid {r['sdn_uid']} ({r['sdn_entity']}), programs {r['programs']}, asset {r['ofac_asset']}"]


def fbi_rows(data):
    with open(f"{data}/feeds/fbi_dprk_addresses.csv", newline="") as f:
        for r in csv.DictReader(f):
            bybit = "Bybit" in r["attribution"]
            yield [r["address"], chain_of(r["address"]), "TraderTraitor", "FBI", "90",
                   FBI_BYBIT_REF if bybit else FBI_2023_REF, "",
                   f"FBI: {r['attribution']}"]


HOST = re.compile(r"^[a-z0-9.-]+\.[a-z]{2,}$")
IPV4 = re.compile(r"^\d{1,3}(\.\d{1,3}){3}$")


def maltrail_rows(data):
    """Domains and IPv4 addresses under a '# Reference:' line; path trails are
    left out (they name pages on compromised third-party sites)."""
    reference = None
    seen = set()
    with open(f"{data}/feeds/maltrail_apt_lazarus.txt") as f:
        for line in f:
            line = line.strip()
            if line.startswith("# Reference:"):
                reference = line.split(":", 1)[1].strip()
                continue
            if not line or line.startswith("#") or not reference:
                continue
            value = line.split(":", 1)[0] if IPV4.match(line.split(":", 1)[0]) else line.lower()
            kind = "ipv4" if IPV4.match(value) else "domain" if HOST.match(value) else None
            if not kind or value in seen:
                continue
            seen.add(value)
            yield [value, kind, "Lazarus Group", "maltrail", "70", reference, "",
                   "maltrail apt_lazarus trail"]


def main():
    data = sys.argv[1]
    # every row of this feed is DPRK-linked (docs/feeds.md, "DPRK nexus"),
    # the OFAC rows of other programs (NPWMD) included
    sys.stdout.write("# nexus: dprk\n")
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["indicator", "type", "actor", "source", "confidence", "reference", "valid_until",
                  "description"])
    for rows in (ofac_rows(data), fbi_rows(data), maltrail_rows(data)):
        for row in rows:
            out.writerow(row)


if __name__ == "__main__":
    main()
