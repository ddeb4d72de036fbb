# Contention on one line: total throughput as threads are added.
# Variables: data, titles, nblocks, xmin, xmax.
set title "Many threads on one line"
set xlabel "threads"
set ylabel "throughput, all threads (million operations/s)"
set xrange [xmin-0.5:xmax+0.5]
if (xmax - xmin <= 16) set xtics 1
set yrange [0:*]
set key outside right top
plot for [i=1:nblocks] data index (i-1) using 1:2 with linespoints lt i title titles[i]
