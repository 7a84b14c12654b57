# learning-rate.gp: how the final result depends on the learning rate, one line per optimizer entry (and per
# setting of its other swept hyperparameters), with the 25-75 % band over seeds. Diverged runs count as
# +infinity: where the median diverged, the point sits on the dashed "diverged" line at the top.
#
# Data (data_file): one data set per line, in the order of series_title, sorted by learning rate:
#   lr   median   25th percentile   75th percentile
# Variables: series_count, series_title[i], y_log, y_label, show_band, diverged_level (0 when no run diverged),
#   y_bottom, y_top (where the y axis starts and ends, else NaN: autoscaled; y_bottom set alone when a point
#   falling far below the rest sits on the bottom edge, both when every value is the same)

set logscale x
set format x "1e%T"
set xlabel "learning rate lr (log scale)" noenhanced
set ylabel y_label noenhanced
if (y_log) { set logscale y; set format y "1e%T" }
if (y_bottom == y_bottom) { if (y_top == y_top) { set yrange [y_bottom:y_top] } else { set yrange [y_bottom:*] } }
set offsets graph 0.03, graph 0.03, graph 0.05, graph 0.05
set key outside right top vertical Left reverse width 2
eval dumb_ylabel
band_count = (show_band && !is_dumb) ? series_count : 0
if (has_data && diverged_level != 0) {
  set arrow 1 from graph 0, first diverged_level to graph 1, first diverged_level nohead dt 2 lc rgb "#909090"
  set label 1 "diverged" at graph 0.01, first diverged_level offset 0, 0.6 tc rgb "#606060" noenhanced
}

if (!has_data) { eval empty_plot } else {
  plot for [i=1:band_count] data_file index (i - 1) using 1:3:4 \
         with filledcurves fs transparent solid 0.15 noborder lc rgb series_color(i) notitle, \
       for [i=1:series_count] data_file index (i - 1) using 1:2 \
         with linespoints lw 2 pt 7 ps 0.9 dt series_dash(i) lc rgb series_color(i) title series_title[i]
}
