#!/bin/sh
# Runs one Criterion test program with its TAP report on stdout, so that
# automake's tap-driver counts every test case.
prog="$1"; shift
exec "$prog" --tap=- -S "$@"
