# Shared look of mesilab's figures: gnuplot reads it before every template.
# Colours: Paul Tol's bright scheme, readable by colour-blind readers.
set grid lc rgb "#dddddd" lt 1
set border lc rgb "#444444"
set key box lc rgb "#bbbbbb" opaque
set linetype 1 lc rgb "#4477aa" lw 2 pt 7 ps 0.8
set linetype 2 lc rgb "#ee6677" lw 2 pt 5 ps 0.8
set linetype 3 lc rgb "#228833" lw 2 pt 9 ps 0.9
set linetype 4 lc rgb "#ccbb44" lw 2 pt 11 ps 0.9
set linetype 5 lc rgb "#66ccee" lw 2 pt 13 ps 0.9
set linetype 6 lc rgb "#aa3377" lw 2 pt 3 ps 0.9
set linetype 7 lc rgb "#555555" lw 2 pt 1 ps 0.9
set linetype 8 lc rgb "#4477aa" lw 2 dt 2 pt 6 ps 0.8
set linetype 9 lc rgb "#ee6677" lw 2 dt 2 pt 4 ps 0.8
set linetype 10 lc rgb "#228833" lw 2 dt 2 pt 8 ps 0.9
set linetype cycle 10
