#!/usr/bin/env bash
# bench-hunt.sh [MEGABYTES] [ROUNDS] [FILES]: the retro-hunt against the
# tools that only read the same archives (issue 15).
#
# Generates, in a temp dir, FILES archived logs of MEGABYTES in all
# (bench/gen-logs.py: an exchange's log mix with some lines naming
# indicators of the feed), as plain text and gzip, and a feed of 100,000
# synthetic indicators (bench/gen-feed.py).  Then, ROUNDS times and
# interleaved (the best of each is kept: single runs are noisy on a small
# shared machine), times on the same, cached files:
#   cat FILES > /dev/null            against   dprk-intel hunt FILES
#   zcat FILES.gz > /dev/null        against   dprk-intel hunt FILES.gz
#   zcat ONE.gz > /dev/null          against   dprk-intel hunt ONE.gz
#   (one archive: its decompression cannot be split, so this is the case
#    where the hunt must keep up with one decompressing core)
# and hunt's throughput on the plain files with --jobs 1 .. the number of
# cores (and twice that).  Prints every figure and ratio, and writes the
# throughput against jobs as bench-hunt.dat and, when gnuplot is installed,
# bench-hunt.svg, into $OUT (default: the current directory).
#
# Targets: plain text at least 1 GB/s in total on the machine's cores; gzip
# within 1.3x of zcat's time.  Environment: BUILD (the build tree, default
# _build), DPRK_INTEL (the tool, default $BUILD/tool/dprk-intel), OUT.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top/_build}
tool=${DPRK_INTEL:-$build/tool/dprk-intel}
out=${OUT:-.}
mb=${1:-1024}
rounds=${2:-3}
files=${3:-4}
cores=$(nproc)
[ -x "$tool" ] || { echo "bench-hunt: $tool is not built" >&2; exit 1; }
mkdir -p "$out"
work=$(mktemp -d /tmp/dprk-intel-bench-hunt.XXXXXX)
trap 'rm -rf "$work"' EXIT

python3 "$top/bench/gen-feed.py" 100000 >"$work/feed.csv"
per=$(( (mb + files - 1) / files ))
plain=()
gz=()
for i in $(seq 1 "$files"); do
  python3 "$top/bench/gen-logs.py" "$per" "$work/feed.csv" 20 >"$work/app-$i.log"
  plain+=("$work/app-$i.log")
  gz+=("$work/app-$i.log.gz")
done
# gzip -6, as logrotate leaves them; one compressor a core
printf '%s\n' "${plain[@]}" | xargs -P "$cores" -n 1 gzip -6 -k
bytes=$(cat "${plain[@]}" | wc -c)
gz_bytes=$(cat "${gz[@]}" | wc -c)
one=${gz[0]}
one_bytes=$(wc -c <"${plain[0]}")
cat "${plain[@]}" "${gz[@]}" >/dev/null   # into the page cache
: >"$work/empty.log"

# run NAME COMMAND...: appends "WALL CPU" (ms; CPU = user + system) of
# COMMAND to $work/NAME.t; a hunt's exit 1 (no match) is no failure
run()
{
  local name=$1 t
  shift
  t=$( { TIMEFORMAT='%R %U %S'; time "$@" >"$work/$name.out" 2>"$work/$name.err" || [ $? -eq 1 ]; } 2>&1 )
  echo "$t" | awk '{ printf "%d %d\n", $1 * 1000, ($2 + $3) * 1000 }' >>"$work/$name.t"
}
# best NAME: "WALL:CPU" of the fastest run
best() { sort -n "$work/$1.t" | head -n 1 | tr ' ' ':'; }
hunt() { "$tool" hunt --database "$work/feed.csv" "$@"; }

max_jobs=$(( cores * 2 ))
for _ in $(seq 1 "$rounds"); do
  run load hunt "$work/empty.log"
  run cat cat "${plain[@]}"
  run hunt-plain hunt "${plain[@]}"
  run zcat zcat "${gz[@]}"
  run hunt-gz hunt "${gz[@]}"
  run zcat-one zcat "$one"
  run hunt-one hunt "$one"
  for j in $(seq 1 "$cores") "$max_jobs"; do
    run "jobs-$j" hunt --jobs "$j" "${plain[@]}"
  done
done

matches=$(wc -l <"$work/hunt-plain.out")
[ "$matches" -gt 0 ] && [ "$matches" -eq "$(wc -l <"$work/hunt-gz.out")" ] || {
  echo "bench-hunt: the hunts disagree or found nothing ($matches plain, $(wc -l <"$work/hunt-gz.out") gzip)" >&2
  cat "$work/hunt-gz.err" >&2
  exit 1
}

python3 - "$bytes" "$gz_bytes" "$one_bytes" "$mb" "$files" "$rounds" "$cores" "$max_jobs" "$matches" \
  "$(best cat)" "$(best hunt-plain)" "$(best zcat)" "$(best hunt-gz)" "$(best zcat-one)" "$(best hunt-one)" "$(best load)" \
  "$out/bench-hunt.dat" $(for j in $(seq 1 "$cores") "$max_jobs"; do echo "$j:$(best "jobs-$j")"; done) <<'PY'
import platform, sys
bytes_, gz_bytes, one_bytes, mb, files, rounds, cores, max_jobs, matches = (int(x) for x in sys.argv[1:10])
# (wall, cpu) in seconds
cat, hunt_plain, zcat, hunt_gz, zcat_one, hunt_one, load = (
    tuple(int(v) / 1e3 for v in x.split(":")) for x in sys.argv[10:17])
dat = sys.argv[17]
jobs = [(int(j), tuple(int(v) / 1e3 for v in rest.split(":")))
        for j, rest in (x.split(":", 1) for x in sys.argv[18:])]
gb = lambda n, s: n / s / 1e9
scan = lambda t: max(t[0] - load[0], 1e-3)       # wall time without loading the feed
scan_cpu = lambda t: max(t[1] - load[1], 1e-3)   # CPU time without loading the feed
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
print("machine:   %s, %d cores (%s); load average %s" % (cpu, cores, platform.machine(),
                                                          open("/proc/loadavg").read().split()[0]))
print("input:     %d files, %.0f MB of text, %.0f MB as gzip -6; %d matching lines; best of %d rounds"
      % (files, bytes_ / 1e6, gz_bytes / 1e6, matches, rounds))
print("feed load: %.2f s (100,000 indicators: hunt of an empty file; subtracted where it says 'scan')" % load[0])
print("plain:     hunt %.2f s, scan %.2f GB/s (%.2f GB/s with the load)   cat %.2f s = %.2f GB/s   "
      "hunt/cat time %.1fx   (target: scan >= 1 GB/s)"
      % (hunt_plain[0], gb(bytes_, scan(hunt_plain)), gb(bytes_, hunt_plain[0]), cat[0], gb(bytes_, cat[0]),
         hunt_plain[0] / cat[0]))
print("           CPU: hunt %.2f s = %.2f GB/s a core busy, cat %.2f s"
      % (hunt_plain[1], gb(bytes_, scan_cpu(hunt_plain)), cat[1]))
print("gzip:      hunt %.2f s   zcat %.2f s   hunt/zcat time %.2fx, %.2fx without the load   (target: <= 1.3x)"
      % (hunt_gz[0], zcat[0], hunt_gz[0] / zcat[0], scan(hunt_gz) / zcat[0]))
print("           CPU: hunt %.2f s, zcat %.2f s" % (hunt_gz[1], zcat[1]))
print("gzip, one: hunt %.2f s   zcat %.2f s   hunt/zcat time %.2fx, %.2fx without the load   (one archive, %.0f MB)"
      % (hunt_one[0], zcat_one[0], hunt_one[0] / zcat_one[0], scan(hunt_one) / zcat_one[0], one_bytes / 1e6))
with open(dat, "w") as f:
    f.write("# jobs  scan GB/s  (dprk-intel hunt, %d plain files, %.0f MB, feed load subtracted)\n"
            % (files, bytes_ / 1e6))
    for j, t in jobs:
        f.write("%d %.4f\n" % (j, gb(bytes_, scan(t))))
        print("jobs %-4d  hunt %.2f s, scan %.2f GB/s   %.2fx of --jobs 1   (CPU %.2f s)"
              % (j, t[0], gb(bytes_, scan(t)), scan(jobs[0][1]) / scan(t), t[1]))
PY

if command -v gnuplot >/dev/null 2>&1; then
  gnuplot <<GP
set terminal svg size 640,400 dynamic font "sans,12"
set output "$out/bench-hunt.svg"
set title "dprk-intel hunt: plain-text throughput against worker threads ($cores cores)"
set xlabel "--jobs"
set ylabel "scan GB/s (feed load subtracted)"
set xtics 1
set yrange [0:*]
set grid
set key off
plot "$out/bench-hunt.dat" using 1:2 with linespoints lw 2 pt 7
GP
  echo "plot:      $out/bench-hunt.svg (data: $out/bench-hunt.dat)"
else
  echo "plot:      not made: gnuplot is not installed (apt-get install gnuplot-nox); data: $out/bench-hunt.dat"
fi
