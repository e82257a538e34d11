# plot-store.gp: the plots of bench/bench-store.sh.
#   gnuplot -e "dir='bench-results'" bench/plot-store.gp
# store.dat:  n snap_bytes snap_build snap_hits snap_misses base_bytes base_build base_hits base_misses
# daemon.dat: n dprk_bytes dprk_load acd_bytes acd_load dprk_cpu   (nan where not measured)
set terminal svg size 720,520 dynamic enhanced font "sans,11"
set datafile missing "nan"
set logscale x 10
set format x "10^{%L}"
set xlabel "indicators"
set key outside below left Left reverse
set xrange [500:20000000]
set grid

set output dir."/store-memory.svg"
set title "Memory per indicator (below 10^5 indicators the daemon's own few MB of noise dominate)"
set ylabel "bytes per indicator"
set logscale y 10
plot dir."/daemon.dat" using 1:2 with linespoints lw 2 title "dprk-intel(): daemon RSS beyond bare syslog-ng", \
     dir."/store.dat" using 1:2 with linespoints title "snapshot in-process (anonymous memory)", \
     dir."/daemon.dat" using 1:4 with linespoints title "add-contextual-data(): daemon RSS beyond bare", \
     dir."/store.dat" using 1:6 with linespoints title "GHashTable of strings in-process"

set output dir."/store-load.svg"
set title "Load time"
set ylabel "seconds"
set logscale y 10
plot dir."/daemon.dat" using 1:3 with linespoints lw 2 title "dprk-intel(): load in the daemon (wall)", \
     dir."/daemon.dat" using 1:6 with linespoints lw 2 title "dprk-intel(): load in the daemon (CPU, all threads)", \
     dir."/store.dat" using 1:3 with linespoints title "snapshot build in-process (CPU: normalise, add, finish)", \
     dir."/daemon.dat" using 1:5 with linespoints title "add-contextual-data(): start-up less bare syslog-ng's", \
     dir."/store.dat" using 1:7 with linespoints title "GHashTable of strings in-process (CPU)"
