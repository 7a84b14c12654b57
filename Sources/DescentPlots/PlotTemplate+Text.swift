// The gnuplot templates of plot/, embedded so that the binary needs no files beside it. A test checks that
// each text here is identical to its file in plot/: edit the file, then copy it here (or the other way round).

extension PlotTemplate {
  /// `plot/common.gp`
  static let commonText = #"""
    # common.gp: shared by every Descent plot. descent copies it into each rendered script after the variables and
    # before the plot's own template (convergence.gp, landscape-2d.gp, ...), so a rendered script needs nothing else.
    #
    # Variables it reads:
    #   plot_title   the title: its first line names the plot, its second the experiment
    #   has_data     0 when there is nothing finite to draw; the plot is then an empty frame and the title says why

    is_dumb = (GPVAL_TERM eq "dumb")

    # Twelve categorical colours, chosen to stand out on the grey landscapes, taken in the order of each plot's key
    # (the learning-rate plot's lines are optimizer entries, the other plots' curves settings); past the twelfth they
    # repeat with a dash pattern.
    series_color(i) = word("#1f77b4 #d62728 #2ca02c #ff7f0e #9467bd #8c564b #e377c2 #17becf #bcbd22 #393b79 #637939 #843c39", (i - 1) % 12 + 1)
    series_dash(i) = (i - 1) / 12 + 1

    # The title is a label from the picture's left edge rather than gnuplot's title, which is centred over the graph:
    # the key outside pushes the graph left, and a long title would run off the picture's left side.
    set tmargin 4
    set label 99 plot_title at screen 0, screen 1 offset character 1, character -1 left front noenhanced
    set key noenhanced
    set grid back lc rgb "#e0e0e0"
    set border lc rgb "#404040"
    set tics nomirror
    # The dumb terminal cannot turn text on its side and drops a vertical y label: there, y_label goes above the axis.
    # A template calls this after it sets its labels.
    dumb_ylabel = 'if (is_dumb) { unset ylabel; set tmargin 5; set label 98 y_label at graph 0, graph 1 offset -4, 1 left noenhanced }'

    # With nothing to draw: an empty frame that says so (the title gives the reason).
    empty_plot = 'unset key; unset tics; unset border; unset grid; unset colorbox; unset logscale; set xrange [0:1]; set yrange [0:1]; set label 1 "nothing to draw" at graph 0.5, 0.5 center; plot 2 notitle'
    """#

  /// `plot/convergence.gp`
  static let convergenceText = #"""
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
    """#

  /// `plot/landscape-2d.gp`
  static let landscape2DText = #"""
    # landscape-2d.gp: a two-dimensional function as a shaded map with contour lines, and the path each optimizer
    # setting took on it (one seed), from an open circle at the start to a filled one at the end.
    #
    # Data (data_file):
    #   index 0   the grid: x  y  z, one scan per x separated by blank lines (z is z_label's quantity)
    #   index 1   global minimisers: x  y
    #   index 2   known local minimisers: x  y
    #   index 3   one row per optimizer setting, in the order of series_title: start_x  start_y  end_x  end_y
    #   index 3+i the path of setting i: x  y
    # Variables: series_count, series_title[i], x_min, x_max, y_min, y_max, z_min, z_max, z_label,
    #   contour_first, contour_step, contour_last, equal_aspect, global_count, local_count, canvas_width

    set view map
    set pm3d at b noborder
    set contour base
    set cntrparam levels incremental contour_first, contour_step, contour_last
    unset clabel
    set palette defined (0 "#ffffff", 1 "#d4d4d4", 2 "#8a8a8a")
    set xrange [x_min:x_max]
    set yrange [y_min:y_max]
    set zrange [z_min:z_max]
    set cbrange [z_min:z_max]
    set cblabel z_label noenhanced
    set xlabel "x1" noenhanced
    set ylabel "x2" noenhanced
    if (equal_aspect) { set size ratio -1 }
    # Fixed places for the map, its colour box and the key (gnuplot's own layout lets a long key run over the colour
    # box's label). canvas_width is the picture's width in pixels, made wide enough for the longest key entry.
    px(x) = x / canvas_width
    if (!is_dumb) {
      set lmargin at screen px(70)
      set rmargin at screen px(650)
      set bmargin at screen 0.09
      set tmargin at screen 0.87
      set colorbox user origin screen px(670), screen 0.09 size screen px(18), screen 0.78
      set key at screen px(770), screen 0.87 left top vertical Left reverse
    } else {
      set key outside right top vertical Left reverse
    }
    if (is_dumb) { unset colorbox }
    unset grid

    if (!has_data) { eval empty_plot } else {
      splot data_file index 0 using 1:2:3 with pm3d notitle, \
            data_file index 0 using 1:2:3 nosurface with lines lc rgb "#707070" notitle, \
            for [i=1:series_count] data_file index (3 + i) using 1:2:(z_max) nocontours \
              with lines lw 2 dt series_dash(i) lc rgb series_color(i) title series_title[i], \
            for [i=1:series_count] data_file index 3 every ::(i - 1)::(i - 1) using 1:2:(z_max) nocontours \
              with points pt 6 ps 1.6 lw 2 lc rgb series_color(i) notitle, \
            for [i=1:series_count] data_file index 3 every ::(i - 1)::(i - 1) using 3:4:(z_max) nocontours \
              with points pt 7 ps 1.3 lc rgb series_color(i) notitle, \
            data_file index 1 using 1:2:(z_max) nocontours \
              with points pt 3 ps 2.5 lw 2 lc rgb "black" title (global_count > 0 ? "global minimum" : ""), \
            data_file index 2 using 1:2:(z_max) nocontours \
              with points pt 12 ps 2 lw 2 lc rgb "black" title (local_count > 0 ? "local minimum" : ""), \
            keyentry with points pt 6 ps 1.6 lw 2 lc rgb "#404040" title "start", \
            keyentry with points pt 7 ps 1.3 lc rgb "#404040" title "end"
    }
    """#

  /// `plot/landscape-1d.gp`
  static let landscape1DText = #"""
    # landscape-1d.gp: a one-dimensional function with the iterates of each optimizer setting (one seed), one panel
    # per setting: the curve f(x), the iterates as points coloured by step (dark early, light late), the start as an
    # open circle, and the known minima.
    #
    # Data (data_file):
    #   index 0   the curve: x  f
    #   index 1   global minimisers: x  f
    #   index 2   known local minimisers: x  f
    #   index 2+i the iterates of setting i, in order: x  f  step
    # Variables: series_count, series_title[i], panel_rows, panel_columns, x_min, x_max, y_min, y_max, step_max,
    #   global_count, local_count

    set palette defined (0 "#1a1a6e", 1 "#7b3294", 2 "#e66101", 3 "#fdb863")
    set logscale cb
    set cbrange [1:(step_max > 1 ? step_max : 2)]
    set format cb "%.0s%c"
    set cblabel "step (log scale)" noenhanced
    set xrange [x_min:x_max]
    set yrange [y_min:y_max]
    set xlabel "x" noenhanced
    set ylabel "f(x)" noenhanced
    set key top left noenhanced samplen 1 spacing 0.9
    if (is_dumb) { unset colorbox }

    if (!has_data) { eval empty_plot } else {
      # Here the title is the whole page's, centred over the panels; each panel's title names its setting.
      unset label 99
      set multiplot layout panel_rows, panel_columns title plot_title noenhanced
      do for [i=1:series_count] {
        set title series_title[i] noenhanced
        if (i == 2) { unset key }
        plot data_file index 0 using 1:2 with lines lw 1.5 lc rgb "#808080" notitle, \
             data_file index (2 + i) using 1:2:($3 < 1 ? 1 : $3) with points pt 7 ps 0.7 lc palette notitle, \
             data_file index (2 + i) every ::0::0 using 1:2 with points pt 6 ps 2 lw 2 lc rgb "black" title "start", \
             data_file index 1 using 1:2 with points pt 3 ps 2 lw 2 lc rgb "#2ca02c" title (global_count > 0 ? "global min" : ""), \
             data_file index 2 using 1:2 with points pt 12 ps 2 lw 2 lc rgb "#2ca02c" title (local_count > 0 ? "local min" : "")
      }
      unset multiplot
    }
    """#

  /// `plot/learning-rate.gp`
  static let learningRateText = #"""
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
    """#

  /// `plot/data-profile.gp`
  static let dataProfileText = #"""
    # data-profile.gp: a data profile in the COCO sense, the empirical cumulative distribution of the steps each
    # optimizer setting needs to reach the targets: at each step, the fraction of all (run, target) pairs whose run
    # has got within the target of f* by then, over every function with a known f* and every seed.
    #
    # Data (data_file): one data set per optimizer setting, in the order of series_title, as a staircase:
    #   step   fraction solved by that step
    # A target met at step 0 (by the start point) is drawn at step 1, where the log axis begins.
    # Variables: series_count, series_title[i], x_max (the experiment's steps)

    set logscale x
    set xrange [1:(x_max > 1 ? x_max : 10)]
    set yrange [0:1.02]
    set xlabel "step (log scale)" noenhanced
    y_label = "fraction of (run, target) pairs solved"
    set ylabel y_label noenhanced
    set key outside right top vertical Left reverse width 2
    eval dumb_ylabel

    if (!has_data) { eval empty_plot } else {
      plot for [i=1:series_count] data_file index (i - 1) using 1:2 \
             with steps lw 2 dt series_dash(i) lc rgb series_color(i) title series_title[i]
    }
    """#
}
