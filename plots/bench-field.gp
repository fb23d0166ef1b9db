# plots/bench-field.gp - field multiplication throughput, scalar vs vector,
# from `mpcsim bench --csv` (columns: name, ..., items_per_second, ...).
# gnuplot -e "csv='bench-field.csv'; out='bench-field.png'" bench-field.gp
set terminal pngcairo size 900,480 font 'Sans,12' noenhanced
set output out
set datafile separator ','
set title 'GF(2^61-1) multiplication throughput, one core (mpcsim bench)'
set ylabel 'multiplications per second (G/s)'
set style data histograms
set style fill solid 0.8 border -1
set boxwidth 0.7
set grid ytics
set yrange [0:*]
set xtics rotate by -20 nomirror
unset key
plot csv every ::1 using ($8/1e9):xtic(1) lc rgb '#3070b0'
