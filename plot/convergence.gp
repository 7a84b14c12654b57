# convergence.gp: how fast each optimizer setting gets down one function.
#
# One curve per optimizer setting: the median over seeds at each step, with the 25-75 % band between the
# quartiles when there are several seeds. The comparison of gradient oracles (compare-<function>) draws one
# curve per function variant and optimizer setting, the colour saying the setting and the dash the variant.
# A run that stopped early holds its last value (a converged run stays where it converged); a diverged run
# counts as +infinity from the record where it diverged, as do non-finite values, and anything infinite is
# drawn at the top of the plot. Quartiles interpolate linearly between the seeds' values (numpy's default).
#
# Data (data_file): one data set (index) per curve, in the order of series_title, with the columns
#   x (step or samples seen)   median   25th percentile   75th percentile
# Variables: series_count, series_title[i], series_hue[i] and series_line[i] (the colour and dash of curve i),
#   y_log (1: f - f* on a log axis, 0: f on a linear one), y_label, show_band (1 with several seeds),
#   y_top (where the y axis ends when a curve or band reaches +infinity, there drawn along the top; else NaN),
#   y_bottom (where the y axis starts: a run falling far below every start runs along it there, on a linear axis;
#     or every value is the same, and y_top is set too; else NaN),
#   single_count, single_index[j] (the data sets, from 0, of curves of one row: drawn as points;
#     from 0 because gnuplot evaluates a plot-for clause once even when it iterates over nothing),
#   x_log (1: a log x axis), x_min, x_max (the first and last x: 0, or a little left of it to show points at 0), x_label ("step" or "samples seen")

set xlabel x_label noenhanced
set ylabel y_label noenhanced
if (x_log) { set logscale x; set format x "1e%T" }
set xrange [x_min:x_max]
if (y_log) { set logscale y; set format y "1e%T" }
if (y_top == y_top) { set yrange [*:y_top] }
if (y_bottom == y_bottom) { set yrange [y_bottom:] }
set key outside right top vertical Left reverse width 2
eval dumb_ylabel
band_count = (show_band && !is_dumb) ? series_count : 0

if (!has_data) { eval empty_plot } else {
  plot for [i=1:band_count] data_file index (i - 1) using 1:3:4 \
         with filledcurves fs transparent solid 0.15 noborder lc rgb series_color(series_hue[i]) notitle, \
       for [i=1:series_count] data_file index (i - 1) using 1:2 \
         with lines lw 2 dt series_line[i] lc rgb series_color(series_hue[i]) title series_title[i], \
       for [j=1:single_count] data_file index single_index[j] using 1:2 \
         with points pt 7 ps 1.5 lc rgb series_color(series_hue[single_index[j] + 1]) notitle
}
