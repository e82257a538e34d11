#!/usr/bin/env python3
"""relay-filler.py STOPFILE COUNTFILE: lines for loggen -d -R, as loggen
itself would make them (RFC 3164, "seq: N, thread: ..., 200 bytes a line),
numbered from 0, written to stdout until STOPFILE exists; then the number
written goes to COUNTFILE.

The relay tests point loggen at a pipe this writes to: loggen then sends
for as long as a test needs, at its own rate, however slow the machine is,
and stops cleanly when this ends (it sends every line it read, and its last
line says how many).  Standard library only.
"""
import os
import sys
import time

LINE = 200   # bytes with the newline, loggen -s 200


def main(stop, count_file):
    out = sys.stdout
    n = 0
    try:
        while not os.path.exists(stop):
            head = "<38>%s localhost prg00000[1234]: seq: %010d, thread: 0000, runid: 1, stamp: %s " % (
                time.strftime("%Y-%m-%dT%H:%M:%S"), n, time.strftime("%Y-%m-%dT%H:%M:%S"))
            out.write(head + "PADD" * ((LINE - 1 - len(head)) // 4) + "\n")
            n += 1
        out.flush()
    finally:
        with open(count_file, "w") as f:
            f.write("%d\n" % n)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
