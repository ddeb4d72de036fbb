# False sharing measured beside simulated: bars of the native slowdown
# (column 3 = 1) and each protocol's (column 3 = 2). Variables: data.
set title "False sharing, two threads: counters 8 bytes apart against a line apart"
set ylabel "slowdown (x)"
set style fill solid 0.85 border -1
set boxwidth 0.7
set yrange [0:*]
# Room above the tallest bar for its label and the note.
set offsets 0, 0, graph 0.15, 0
set xtics rotate by -30
unset key
set label 1 "blue: measured here; red: simulated (cycles)" at graph 0.02, graph 0.95 left font ",10"
plot data using 0:2:($3 == 1 ? 1 : 2):xtic(1) with boxes lc variable, \
     data using 0:2:(sprintf("%.1fx", $2)) with labels offset 0,0.8 font ",9"
