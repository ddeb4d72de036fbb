# From registers to disk: a bar per level, top first, on a log latency
# axis, each labelled with its latency, capacity and bandwidth.
# Variables: data (lines "INDEX NAME LATENCY_NS LABEL"), nlevels.
set title "From registers to disk: every level measured on this machine"
set logscale x 10
set xlabel "latency (ns, log scale)"
set format x "%g"
stats data using 3 nooutput
set xrange [0.05:STATS_max * 300] # room for the labels right of the bars
set yrange [nlevels - 0.4:-0.6]
set ytics scale 0
unset key
set style fill solid 0.75 border -1
plot data using (sqrt($3 * 0.05)):1:(0.05):3:($1 - 0.35):($1 + 0.35):ytic(2) with boxxyerror lc rgb "#4477aa", \
     data using ($3 * 1.3):1:4 with labels left font ",9"
