#!/usr/bin/env python3
"""relay-check.py: what the relay tests compare, read from the ECS documents
($(dprk-intel-ecs), one a line) that a node wrote to its file.

  relay-check.py count FILE           "<messages> <summaries>"
  relay-check.py messages FILE        one line per message (host, process,
                                      message), sorted: a multiset to compare
  relay-check.py summaries FILE       one line per incident summary: key,
                                      count, distinct indicators, amount (as
                                      %.15g), actors (sorted), sorted by key
  relay-check.py ids FILE             problems with the central node's
                                      summaries: an id its relays did not
                                      give, relay counts that do not add up
                                      to the count; prints nothing when none
  relay-check.py relays FILE KEY      the relay list of KEY's summary
  relay-check.py relay-of FILE NAME=INPUT...
                                      problems with dprk_intel.relay: every
                                      message must name the relay NAME that
                                      its INPUT file was sent through
  relay-check.py versions FILE        the feed versions (hashes) the matched
                                      messages carry, "RELAY HASH" a line,
                                      sorted, unique ("RELAY -" for none)
  relay-check.py requests FILE        the request ids of withdrawal_lines'
                                      messages, one a line, as they came
  relay-check.py batch-ids FILE BATCH the incident ids the withdrawals of
                                      BATCH got, "ACCOUNT=ID[,ID...]" for
                                      each account, sorted
  relay-check.py seqs FILE            the loggen sequence numbers seen, one
                                      "<relay> <seq>" a line (messages only)

Standard library only.
"""
import collections
import json
import re
import sys


def docs(path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def is_summary(doc):
    return doc.get("event", {}).get("dataset") == "dprk_intel.incident"


def dprk(doc):
    return doc.get("dprk_intel", {})


def message_line(doc):
    return "%s %s %s" % (doc.get("host", {}).get("hostname", ""), doc.get("process", {}).get("name", ""),
                         doc.get("message", ""))


def cmd_count(path):
    n = collections.Counter(is_summary(d) for d in docs(path))
    print(n[False], n[True])


def cmd_messages(path):
    for line in sorted(message_line(d) for d in docs(path) if not is_summary(d)):
        print(line)


def cmd_summaries(path):
    rows = []
    for d in docs(path):
        if not is_summary(d):
            continue
        inc = dprk(d).get("incident", {})
        amount = inc.get("amount")
        rows.append("%s\tcount=%s\tindicators=%s\tamount=%s\tactors=%s" % (
            inc.get("key"), inc.get("count"), inc.get("indicators_count"),
            None if amount is None else format(float(amount), ".15g"), ",".join(sorted(inc.get("actors", [])))))
    for row in sorted(rows):
        print(row)


def cmd_ids(path):
    for d in docs(path):
        if not is_summary(d):
            continue
        inc = dprk(d).get("incident", {})
        relays = inc.get("relays", [])
        total = sum(int(r.rsplit(":", 1)[1]) for r in relays)
        if total != inc.get("count"):
            print("%s: relays %s add up to %d, count %s" % (inc.get("key"), relays, total, inc.get("count")))
        if inc.get("id") not in inc.get("relay_ids", []):
            print("%s: id %s is none of the relays' %s" % (inc.get("key"), inc.get("id"), inc.get("relay_ids")))


def cmd_relays(path, key):
    for d in docs(path):
        inc = dprk(d).get("incident", {})
        if is_summary(d) and inc.get("key") == key:
            print(",".join(inc.get("relays", [])))


def cmd_relay_of(path, *pairs):
    sent = {}
    for pair in pairs:
        name, input_path = pair.split("=", 1)
        with open(input_path, encoding="utf-8") as f:
            for line in f:
                # the message of an RFC 3164 line: after "PROGRAM[PID]: "
                m = re.match(r"<\d+>\w{3} [ \d]\d [\d:]{8} \S+ [^:]+: (.*)$", line.rstrip("\n"))
                if m:
                    sent[m.group(1)] = name
    for d in docs(path):
        if is_summary(d):
            continue
        want = sent.get(d.get("message"))
        got = dprk(d).get("relay")
        if want is None:
            print("a message that no input has: %r" % d.get("message"))
        elif got != want:
            print("relay %r, sent through %r: %r" % (got, want, d.get("message")))


def cmd_versions(path):
    seen = set()
    for d in docs(path):
        if is_summary(d) or "dprk.match" not in d.get("tags", []):
            continue
        version = dprk(d).get("feed_version")
        seen.add("%s %s" % (dprk(d).get("relay"), version.split("@")[0] if version else "-"))
    for line in sorted(seen):
        print(line)


WITHDRAWAL = re.compile(r'"request_id":"([^"]*)","account_id":"([^"]*)"')


def cmd_requests(path):
    for d in docs(path):
        m = WITHDRAWAL.search(d.get("message", ""))
        if m and not is_summary(d):
            print(m.group(1))


def cmd_batch_ids(path, batch):
    ids = collections.defaultdict(set)
    for d in docs(path):
        m = WITHDRAWAL.search(d.get("message", ""))
        if m and not is_summary(d) and m.group(1).startswith(batch + "-"):
            ids[m.group(2)].add(dprk(d).get("incident", {}).get("id"))
    print(" ".join("%s=%s" % (a, ",".join(sorted(i))) for a, i in sorted(ids.items())))


def cmd_seqs(path):
    for d in docs(path):
        m = re.search(r"seq: (\d+),", d.get("message", ""))
        if m and not is_summary(d):
            print(dprk(d).get("relay"), int(m.group(1)))


COMMANDS = {"count": cmd_count, "messages": cmd_messages, "summaries": cmd_summaries, "ids": cmd_ids,
            "relays": cmd_relays, "relay-of": cmd_relay_of, "versions": cmd_versions,
            "requests": cmd_requests, "batch-ids": cmd_batch_ids, "seqs": cmd_seqs}

if __name__ == "__main__":
    if len(sys.argv) < 3 or sys.argv[1] not in COMMANDS:
        sys.exit(__doc__)
    COMMANDS[sys.argv[1]](*sys.argv[2:])
