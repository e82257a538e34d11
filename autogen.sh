#!/bin/sh
# Generates configure and Makefile.in from a fresh clone.
set -e
cd "$(dirname "$0")"
mkdir -p m4 build-aux
autoreconf --install --force
