# A fleet group's latency staircases overlaid, one line per machine.
# Variables: data (a block per machine: size_bytes latency_ns), machines
# (an array of their names), nmachines, title.
set title title
set logscale x 2
set logscale y
set xlabel "working set"
set ylabel "load-to-use latency (ns)"
set format x "%.0b%B"
set key top left font ",9"
plot for [i=0:nmachines-1] data index i using 1:2 with lines lt (i+1) title machines[i+1]
