#!/usr/bin/env bash
# ensure-deps.sh: installs the Debian packages that building, the demo and the
# tests need, when any is missing.  As root it runs apt-get; otherwise it
# names what is missing and stops.
set -euo pipefail

DEPS=(
  # build
  build-essential autoconf automake libtool pkg-config bison python3
  syslog-ng-core syslog-ng-dev syslog-ng-scl syslog-ng-mod-http
  libglib2.0-dev libjson-c-dev libivykis-dev
  zlib1g-dev libzstd-dev
  # tests: unit tests, fuzzing, the updater's HTTP, the ECS schema (npm)
  libcriterion-dev clang libclang-rt-14-dev curl
  # tests of hunt: archives to hunt
  gzip zstd
  # packaging tests
  dpkg-dev debhelper fakeroot lintian rpm chrpath groff-base binutils git
)

missing=()
for pkg in "${DEPS[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
# npm (for the ECS field list): some images ship a nodejs that bundles npm and
# conflicts with Debian's npm package, so ask for the command, not the package.
command -v npm >/dev/null 2>&1 || missing+=(npm)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "missing Debian packages: ${missing[*]}" >&2
  echo "run as root, or: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
echo "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
