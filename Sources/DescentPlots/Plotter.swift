import DescentCore
import Dispatch
import Foundation
import GnuplotKit
import Synchronization

/// Turns a results directory into plots: gnuplot scripts and data in `<results>/plots/`, and the pictures they draw.
///
/// ```swift
/// let results = try LoadedResults.load("Results/quickstart")
/// let plotter = try Plotter(output: .picture(.png))
/// for rendered in try plotter.render(results) { print(rendered.plot.picture ?? rendered.text) }
/// ```
/// The plots, each described in `plot/<kind>.gp`:
/// - per function, its convergence (`ConvergencePlot`);
/// - per 2-D function, its landscape with one path per optimizer setting; per 1-D function, its curve with the
///   iterates (`LandscapePlot`, `CurvePlot`);
/// - per function, final value against learning rate, where some optimizer tries several (`LearningRatePlot`);
/// - per objective tried with several gradient oracles (batch GD, SGD, minibatches, gradient noise), every
///   variant's convergence in one plot, per step and, for finite sums, per sample seen (`ConvergencePlot`);
/// - once, the data profile over every function, seed and target (`DataProfilePlot`).
///
/// "Per function" means per function variant with completed runs: one without any gets no plots of its own.
///
/// Plots are drawn by several gnuplot processes at once. Nothing in the results directory besides `plots/` is
/// written.
public struct Plotter: Sendable {
  public var output: PlotOutput
  public var gnuplot: Gnuplot
  /// How many gnuplot processes (and threads reading trajectories) run at once.
  public var jobs: Int

  /// The name of the folder inside a results directory that holds the plots.
  public static let folder = "plots"

  /// Where the scripts and data of `output` go inside a results directory: `plots/`, or for the dumb terminal
  /// `plots/text/`, so that a look at the plots as text leaves the scripts beside the pictures as they were.
  public static func folder(for output: PlotOutput) -> String {
    output == .dumb ? folder + "/text" : folder
  }

  /// The x axis of convergence plots for finite sums (`--x`): steps (with a companion plot per sample seen), or
  /// samples seen.
  public enum XAxis: String, Sendable, CaseIterable { case steps, samples }
  public var xAxis: XAxis = .steps

  public init(output: PlotOutput = .default, gnuplot: Gnuplot, jobs: Int = ProcessInfo.processInfo.activeProcessorCount) {
    self.output = output
    self.gnuplot = gnuplot
    self.jobs = max(1, jobs)
  }

  /// Finds gnuplot on the `PATH` of `environment`.
  /// - Throws: `GnuplotError.notFound` (exit code 69, with the install command) when there is none.
  public init(
    output: PlotOutput = .default, environment: [String: String] = ProcessInfo.processInfo.environment,
    jobs: Int = ProcessInfo.processInfo.activeProcessorCount
  ) throws(GnuplotError) {
    self.init(output: output, gnuplot: try Gnuplot(environment: environment), jobs: jobs)
  }

  /// Every plot `results` calls for, as scripts and data, without running gnuplot.
  public static func plots(
    for results: LoadedResults, output: PlotOutput = .default,
    jobs: Int = ProcessInfo.processInfo.activeProcessorCount, xAxis: XAxis = .steps
  ) -> [Plot] {
    var plots: [Plot] = []
    forEachPlot(of: results, output: output, jobs: jobs, xAxis: xAxis) { plots.append($0) }
    return plots
  }

  /// Makes the plots of `results` one at a time, in their fixed order, and hands each to `body` as soon as it is
  /// ready (so gnuplot can draw one while the next one's trajectories are read).
  /// `unreadable` is told the path of each complete run's trajectory that could not be read, and why (it is left out).
  static func forEachPlot(of results: LoadedResults, output: PlotOutput, jobs: Int, xAxis: XAxis,
                          unreadable: (String) -> Void = { _ in }, _ body: (Plot) -> Void) {
    let context = PlotContext(results: results, jobs: jobs)
    let experiment = context.experiment
    var used: Set<String> = []
    func emit(_ draft: PlotDraft) {
      let stem = PlotContext.fileStem(draft.name)
      var name = stem
      var k = 2
      while used.contains(name) {
        name = "\(stem)-\(k)"
        k += 1
      }
      used.insert(name)
      body(draft.plot(name: name, experimentLine: context.experimentLine, output: output))
    }

    let learningRate = LearningRatePlot.applies(to: experiment)
    for function in context.plotted {
      let dimension = experiment.functions[function].objective.dimension
      // Trajectories are read one function at a time, so a large experiment never holds them all, and only for
      // the settings the plots draw.
      let runs = context.drawn[function].indices.flatMap { context.runs[function][$0].map(\.spec) }
      let read = context.traces(runs) { (1...2).contains(dimension) && $0.seed == context.pathSeed }
      var traces: [Int: PlotContext.Trace] = [:]
      for (run, trace) in zip(runs, read) {
        traces[run.index] = trace
        if trace == nil, experiment.trajectoryFormat != nil {
          let why = results.trajectoryProblem(run).map { " (\($0))" } ?? ""
          unreadable(results.directory.trajectoryName(run, in: experiment) + why)
        }
      }
      let finiteSum = experiment.functions[function].samplesPerStep != nil
      emit(ConvergencePlot.draft(function: function, context: context, traces: traces, perSample: finiteSum && xAxis == .samples))
      if finiteSum && xAxis == .steps {
        emit(ConvergencePlot.draft(function: function, context: context, traces: traces, perSample: true, companion: true))
      }
      if dimension == 2 { emit(LandscapePlot.draft(function: function, context: context, traces: traces)) }
      if dimension == 1 { emit(CurvePlot.draft(function: function, context: context, traces: traces)) }
      if learningRate { emit(LearningRatePlot.draft(function: function, context: context)) }
    }
    for group in context.comparisons {
      let runs = group.flatMap { f in context.drawn[f].indices.flatMap { context.runs[f][$0].map(\.spec) } }
      var traces: [Int: PlotContext.Trace] = [:]
      for (run, trace) in zip(runs, context.traces(runs) { _ in false }) { traces[run.index] = trace }
      let finiteSum = experiment.functions[group[0]].samplesPerStep != nil
      if xAxis == .steps || !finiteSum { emit(ConvergencePlot.comparisonDraft(group: group, context: context, traces: traces, perSample: false)) }
      if finiteSum { emit(ConvergencePlot.comparisonDraft(group: group, context: context, traces: traces, perSample: true)) }
    }
    emit(DataProfilePlot.draft(context: context))
  }

  /// Writes every plot's script and data to `<results>/plots/` (`plots/text/` for the dumb terminal) and has
  /// gnuplot draw them there, up to `jobs` at once.
  ///
  /// - Returns: the plots in a fixed order (per function: convergence, landscape, learning rate; then the
  ///   comparisons of gradient oracles; then the data profile), with what the dumb terminal drew.
  /// - Throws: `GnuplotError`: `.cannotWrite` (exit code 73) when `plots/` cannot be written, or the first error
  ///   gnuplot reported (the other plots are still drawn, unless gnuplot hung: then none is started after it).
  ///
  /// `unreadable` is told the path of each trajectory file that exists but could not be read: its run is left
  /// out of the plots that draw trajectories.
  public func render(_ results: LoadedResults, unreadable: (String) -> Void = { _ in }) throws(GnuplotError) -> [RenderedPlot] {
    let relative = Self.folder(for: output)
    let folder = URL(fileURLWithPath: results.directory.path).appendingPathComponent(relative, isDirectory: true)
    // Output stays inside the results directory: a planted `plots` (or `plots/text`) link is not followed.
    for link in [Self.folder, relative] where results.directory.isSymbolicLink(link) {
      throw .cannotWrite(path: results.directory.file(link), reason: "it is a symbolic link; refusing to write through it")
    }
    do {
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    } catch {
      throw .cannotWrite(path: folder.path, reason: error.localizedDescription)
    }
    var inFolder = self.gnuplot
    inFolder.workingDirectory = folder
    let gnuplot = inFolder
    let output = self.output

    let outcomes = Mutex([Result<RenderedPlot, GnuplotError>?]())
    let running = DispatchGroup()
    let slots = DispatchSemaphore(value: jobs)
    var writeError: GnuplotError?
    // A gnuplot that hangs on one script would hang on the next: once one is stopped, no more are started.
    let hung = Atomic<Bool>(false)
    Self.forEachPlot(of: results, output: output, jobs: jobs, xAxis: xAxis, unreadable: unreadable) { plot in
      guard writeError == nil, !hung.load(ordering: .relaxed) else { return }
      do throws(GnuplotError) {
        try Self.write(plot.script, to: folder.appendingPathComponent(plot.scriptFile))
        try Self.write(plot.data, to: folder.appendingPathComponent(plot.dataFile))
      } catch {
        writeError = error
        return
      }
      slots.wait()
      guard !hung.load(ordering: .relaxed) else {
        slots.signal()
        return
      }
      let index = outcomes.withLock { outcomes in
        outcomes.append(nil)
        return outcomes.count - 1
      }
      DispatchQueue.global().async(group: running) {
        defer { slots.signal() }
        let outcome = Result { () throws(GnuplotError) -> RenderedPlot in
          // Just before gnuplot draws it: a plot not drawn (after a hung gnuplot) keeps its old picture.
          if let picture = plot.picture { try Self.makeRoom(for: folder.appendingPathComponent(picture)) }
          let printed = try Self.run(plot.script, on: gnuplot, writtenAt: folder.appendingPathComponent(plot.scriptFile).path)
          return RenderedPlot(
            plot: plot, text: output == .dumb ? printed.standardOutputText : "",
            warnings: printed.warnings.map(\.description))
        }
        if case .failure(.inScript(_, .timedOut)) = outcome { hung.store(true, ordering: .relaxed) }
        outcomes.withLock { $0[index] = outcome }
      }
    }
    running.wait()
    if let writeError { throw writeError }
    return try outcomes.withLock { $0 }.map { outcome throws(GnuplotError) in try outcome!.get() }
  }

  /// Runs `script`, which was also written at `path`: a script error at a line names that file (gnuplot
  /// itself read it from its standard input), and so does a gnuplot that hung, crashed or stopped early.
  static func run(_ script: String, on gnuplot: Gnuplot, writtenAt path: String) throws(GnuplotError) -> GnuplotOutput {
    do { return try gnuplot.run(script) } catch {
      switch error {
      case .scriptFailed(var diagnostic, let status, let standardError) where diagnostic.file == nil && diagnostic.line != nil:
        diagnostic.file = path
        throw .scriptFailed(diagnostic, exitStatus: status, standardError: standardError)
      case .timedOut, .crashed, .exitedEarly, .scriptFailed: throw .inScript(path, error)
      default: throw error
      }
    }
  }

  /// Removes what stands at a picture's name before gnuplot draws it: gnuplot opens the name as it is, so
  /// a link planted there (or a second name of another file) would have it write over a file outside
  /// `plots/`. The picture is always drawn afresh, so nothing of the old one is lost.
  static func makeRoom(for picture: URL) throws(GnuplotError) {
    var s = stat()
    guard lstat(picture.path, &s) == 0 else { return }
    if (s.st_mode & S_IFMT) == S_IFDIR {
      throw .cannotWrite(path: picture.path, reason: "it is a directory, where the picture goes")
    }
    guard unlink(picture.path) == 0 else {
      throw .cannotWrite(path: picture.path, reason: String(cString: strerror(errno)))
    }
  }

  static func write(_ text: String, to url: URL) throws(GnuplotError) {
    do {
      try Data(text.utf8).write(to: url, options: .atomic)
    } catch {
      throw .cannotWrite(path: url.path, reason: error.localizedDescription)
    }
  }
}
