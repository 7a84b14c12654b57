import Foundation
import Testing
@testable import DescentCore

/// A config with the given top-level additions/overrides, as JSON text.
func config(_ extra: String = "", functions: String = #"[{"name": "rosenbrock"}]"#, optimizers: String = #"[{"name": "adam"}]"#) -> String {
  #"{"name": "t", "steps": 10, "functions": \#(functions), "optimizers": \#(optimizers)\#(extra.isEmpty ? "" : ", " + extra)}"#
}

@Suite("Config validation: every problem, with its JSON path")
struct ConfigValidationTests {
  @Test("every problem is reported at once, each naming its path and what was expected")
  func allProblemsAtOnce() {
    let problems = configProblems("""
      {"name": "bad name", "steps": 0, "seeds": 2, "recrod": "every",
       "functions": [{"name": "rosenbrok"}, {"name": "quadratic", "diag": [1, 2], "start": [1, 2, 3]}],
       "optimizers": [{"name": "adam", "betas": [0.9, 1.5]}, {"name": "sgd", "lr": {"grid": [0.1, -1]}},
                      {"name": "adam", "lrr": 0.1}]}
      """)
    #expect(problems == [
      "recrod: unknown key 'recrod'; did you mean 'record'?",
      "name: 'bad name' contains ' '; use only letters, digits, '.', '_' and '-' (names become file names)",
      "steps: expected an integer in [1, 1000000000], got 0",
      "functions[0].name: unknown function 'rosenbrok'; did you mean 'rosenbrock'?",
      "functions[1].start: expected a point of 2 coordinates (the function's dimension), got 3",
      "optimizers[0].betas[1]: expected a number in [0, 1), got 1.5",
      "optimizers[1].lr.grid[1]: expected a number ≥ 0, got -1",
      "optimizers[2].lrr: unknown key 'lrr'; did you mean 'lr'?",
    ])
  }

  @Test("every bad grid value of a function or optimizer entry is named, up to ten problems an entry")
  func everyBadGridValue() {
    #expect(configProblems(config(functions: #"[{"name": "rosenbrock", "dim": {"grid": [2.5, 3, 3.5]}}]"#,
                                  optimizers: #"[{"name": "sgd", "lr": {"grid": [-1, 0.1, -2]}}]"#)) == [
      "functions[0].dim.grid[0]: expected an integer in [2, 1000000], got 2.5",
      "functions[0].dim.grid[2]: expected an integer in [2, 1000000], got 3.5",
      "optimizers[0].lr.grid[0]: expected a number ≥ 0, got -1",
      "optimizers[0].lr.grid[2]: expected a number ≥ 0, got -2",
    ])
    // A problem outside the grid is the same at every point: said once. Past ten, the rest of the grid is left.
    let grid = (1...30).map { "-\($0)" }.joined(separator: ", ")
    let problems = configProblems(config(optimizers: #"[{"name": "adam", "betas": [2, 0.9], "lr": {"grid": [\#(grid)]}}]"#))
    #expect(problems.count == 11)
    #expect(problems.filter { $0.hasPrefix("optimizers[0].betas[0]:") }.count == 1)
    #expect(problems.last == "optimizers[0]: 10 problems listed; the 21 later grid settings of this entry were not checked")
    // An unknown key whose value is a grid: the key is the problem, named once, not once for each value.
    #expect(configProblems(config(functions: #"[{"name": "quadratic", "dim": 2, "scale": {"grid": [1, 10, 100]}}]"#))
      .filter { $0.contains("'scale'") } == ["functions[0].scale: unknown key 'scale'"])
    #expect(configProblems(config(optimizers: #"[{"name": "sgd", "lrr": {"grid": [0.1, 0.01]}}]"#))
      == ["optimizers[0].lrr: unknown key 'lrr'; did you mean 'lr'?"])
  }

  @Test("a divergence limit that every run of a function exceeds at its start is refused, naming the functions")
  func divergenceLimitBelowTheStart() {
    // Below f* (rosenbrock's 0): every point is over it. Above f* but below f at a fixed start (12.5 at
    // [-1.5, 2]; 0.5 · 100 · 1 + 0.5 · 1 = 50.5 for the quadratic of condition 100 at [1, 1]).
    #expect(configProblems(config(#""stop": {"divergence": -1}"#)) == [
      "stop.divergence: -1 is exceeded at step 0 by every run of rosenbrock (f* = 0): they would all stop diverged before their first step. A run is diverged when f exceeds this limit: give one above f at the starts, or remove it",
    ])
    let functions = #"[{"name": "rosenbrock", "start": [-1.5, 2]}, {"name": "quadratic", "dim": 2, "condition": {"grid": [1, 100]}, "start": [1, 1]}, {"name": "rosenbrock", "label": "random"}, {"name": "saddle", "start": [0, 5]}]"#
    #expect(configProblems(config(#""stop": {"divergence": 10}"#, functions: functions)) == [
      "stop.divergence: 10 is exceeded at step 0 by every run of rosenbrock (f = 12.5 at its start), quadratic-condition=100 (f = 50.5 at its start): they would all stop diverged before their first step. A run is diverged when f exceeds this limit: give one above f at the starts, or remove it",
    ])
    // A limit above f at every fixed start and above f* where the start is random (or f* does not exist).
    #expect(configProblems(config(#""stop": {"divergence": 51}"#, functions: functions)).isEmpty)
    // A limit equal to f at a fixed start: f must exceed it to diverge.
    #expect(configProblems(config(#""stop": {"divergence": 12.5}"#, functions: #"[{"name": "rosenbrock", "start": [-1.5, 2]}]"#)).isEmpty)
    // f not finite at a fixed start is refused with or without a limit, at the start, once an entry.
    let overflowing = #"[{"name": "quadratic", "diag": [1e300], "start": {"points": [[1e8], [1], [-1e8]]}}]"#
    for extra in ["", #""stop": {"divergence": 1e300}"#] {
      #expect(configProblems(config(extra, functions: overflowing)) == [
        "functions[0].start: f is not finite at the start of quadratic-start=0 (f = inf), quadratic-start=2 (f = inf): every run would stop diverged at step 0; start where f is finite",
      ])
    }
  }

  @Test("results already made are read whatever the checks for new runs say of their config")
  func checksForNewRunsOnly() throws {
    let made = config(#""stop": {"divergence": -1}"#, functions: #"[{"name": "rosenbrock"}, {"name": "quadratic", "condition": 1e20, "dim": 2, "rotate": true}]"#)
    #expect(configProblems(made).count == 2)
    let read = try Experiment.decodeResultsConfig(Array(made.utf8), file: "config.json")
    #expect(read.functions.count == 2 && read.stop.divergence == -1)
  }

  @Test("malformed JSON names the line and column", arguments: [
    ("{\"name\": \"t\",\n  \"steps\": 10,\n}", 3, 1, "trailing comma before '}'"),
    // Windows (CRLF) and old Mac (CR) line ends count one line each.
    ("{\"name\": \"t\",\r\n  \"steps\": 10,\r\n}", 3, 1, "trailing comma before '}'"),
    ("{\"name\": \"t\",\r  \"steps\": 10,\r}", 3, 1, "trailing comma before '}'"),
    ("{\"name\": \"t\", \"steps\": [1, 2,]}", 1, 30, "trailing comma before ']'"),
    ("{\"name\": \"t\"", 1, 13, "unexpected end of file inside an object; expected ',' or '}'"),
    ("", 1, 1, "the file is empty; expected a JSON object"),
    ("\u{FEFF}{}", 1, 1, "the file starts with a UTF-8 byte-order mark; save it as UTF-8 without BOM"),
    ("{\"lr\": NaN}", 1, 8, "'NaN' is not valid JSON; only finite numbers are accepted"),
    ("{\"lr\": Infinity}", 1, 8, "'Infinity' is not valid JSON; only finite numbers are accepted"),
    ("{\"a\": 1, \"a\": 2}", 1, 10, "duplicate key \"a\""),
    ("{\"a\": 1e999}", 1, 7, "number 1e999 is out of range for a 64-bit float"),
    ("{\"lr\": 1e-400}", 1, 8, "number 1e-400 is too small for a 64-bit float (the smallest is about 4.9e-324) and would be read as 0"),
    ("{\"a\": 01}", 1, 8, "invalid number: leading zeros are not allowed"),
  ])
  func malformed(text: String, line: Int, column: Int, reason: String) {
    #expect(configProblems(text) == ["bad.json:\(line):\(column): invalid JSON: \(reason)"])
  }

  @Test("zeros however written, and the smallest subnormal, are numbers; only a nonzero number that rounds to 0 is refused")
  func smallNumbers() throws {
    for (text, value) in [("0", 0.0), ("-0.0000e-999", -0.0), ("0e5", 0), ("4.9e-324", .leastNonzeroMagnitude), ("2.5e-324", .leastNonzeroMagnitude)] {
      #expect(try JSONParser.parse(Array(text.utf8)) == .number(value), "\(text)")
    }
    #expect(throws: JSONParser.SyntaxError.self) { try JSONParser.parse(Array("2e-324".utf8)) }
  }

  @Test("bytes that are not UTF-8 are rejected with their position; a sequence cut short is named by its start", arguments: [
    ([0xFF], "invalid UTF-8 byte 0xFF"),
    ([0x80], "invalid UTF-8: continuation byte 0x80 with no start byte"),
    ([0xC3], "invalid UTF-8: the 2-byte sequence starting with byte 0xC3 is cut short"),
    ([0xE2, 0x82], "invalid UTF-8: the 3-byte sequence starting with byte 0xE2 is cut short"),
    ([0xED, 0xA0, 0x80], "invalid UTF-8: the sequence starting with byte 0xED encodes no character (overlong, a surrogate or past U+10FFFF)"),
    ([0xE0, 0x80, 0xAF], "invalid UTF-8: the sequence starting with byte 0xE0 encodes no character (overlong, a surrogate or past U+10FFFF)"),
  ] as [([UInt8], String)])
  func invalidUTF8(_ bad: [UInt8], _ reason: String) {
    // "é" first: columns count characters, so the bad byte is at column 12.
    let bytes: [UInt8] = Array("{\"name\": \"é".utf8) + bad + Array("\"}".utf8)
    #expect(throws: ConfigError.malformed(file: "x.json", line: 1, column: 12, reason: reason)) {
      try Experiment.decode(bytes, file: "x.json")
    }
  }

  @Test("wrong types, missing keys and bad values at every level", arguments: [
    ("[]", "expected a JSON object with \"name\", \"steps\", \"functions\" and \"optimizers\", got an array"),
    (#"{"steps": 10, "functions": [{"name": "booth"}], "optimizers": [{"name": "sgd"}]}"#, "name: missing required key 'name' (letters, digits, '.', '_' and '-')"),
    (#"{"name": "t", "functions": [{"name": "booth"}], "optimizers": [{"name": "sgd"}]}"#, "steps: missing required key 'steps' (an integer in [1, 1000000000])"),
    (config(#""seeds": "three""#), "seeds: expected a count of seeds or a list of seeds, got a string"),
    (config(#""seeds": 0"#), "seeds: expected an integer in [1, 100000000], got 0"),
    (config(#""seeds": []"#), "seeds: an empty list of seeds expands to zero runs"),
    (config(#""seeds": [1, 1]"#), "seeds[1]: seed 1 is listed twice; its runs would collide"),
    (config(#""record": "all""#), #"record: expected "every", {"every": k}, {"log": n} or "none", got "all""#),
    (config(#""record": {"evry": 2}"#), "record.evry: unknown key 'evry'; did you mean 'every'?"),
    // An object that holds one key names each key too many, rather than "got an object".
    (config(#""record": {"log": 20, "evry": 2}"#), #"record.evry: unexpected key 'evry' beside 'log': {"log": …} takes no other key"#),
    (config(#""record": {"every": 2, "log": 20}"#), #"record: expected "every", {"every": k}, {"log": n} or "none", got 'every' and 'log' together; give one"#),
    (config(#""record": {}"#), #"record: expected "every", {"every": k}, {"log": n} or "none", got an empty object"#),
    (config(functions: #"[{"name": "rosenbrock", "start": {"box": [[0, 1], [0, 1]], "bx": 1}}]"#), #"functions[0].start.bx: unexpected key 'bx' beside 'box': {"box": …} takes no other key"#),
    (config(functions: #"[{"name": "rosenbrock", "start": {"pionts": [[0, 1]]}}]"#), "functions[0].start.pionts: unknown key 'pionts'; did you mean 'points'?"),
    (config(optimizers: #"[{"name": "sgd", "lr": {"grid": [0.1, 0.2], "extra": 1}}]"#), #"optimizers[0].lr.extra: unexpected key 'extra' beside 'grid': {"grid": …} takes no other key"#),
    (config(optimizers: #"[{"name": "sgd", "lr": {"grid": [0.1], "linspace": [0, 1, 3]}}]"#), #"optimizers[0].lr: expected a grid axis, {"grid": […]}, {"logspace": [lo_exp, hi_exp, n]} or {"linspace": [lo, hi, n]}, got 'grid' and 'linspace' together; give one"#),
    (config(#""evaluate": "none""#), #"evaluate: expected "every", {"every": k} or {"log": n} (a run with stochastic gradients is always evaluated at its first and last step at least), got "none""#),
    (config(#""evaluate": {"every": 0}"#), "evaluate.every: expected a whole number in [1, 1000000000], got 0"),
    (config(functions: #"[{"name": "quadratic", "condition": 10, "rotate": true, "seed": 1000000000000000}]"#),
     "functions[0].seed: expected an integer ≥ 0 and below 1e15, got 1000000000000000.0"),
    (config(optimizers: #"[{"name": "sgd", "lr": {"logspace": [-4, 0, "8"]}}]"#),
     #"optimizers[0].lr.logspace[2]: expected a number (count of [lo_exponent, hi_exponent, count]), got the string "8""#),
    (config(optimizers: #"[{"name": "sgd", "lr": {"linspace": [0, null, 8]}}]"#),
     "optimizers[0].lr.linspace[1]: expected a number (hi of [lo, hi, count]), got null"),
    (config(optimizers: #"[{"name": "sgd", "schedule": {"grid": [{"name": "constant"}]}}]"#),
     #"optimizers[0].schedule.grid[0]: expected a number or a boolean (a schedule is not a grid axis: give each schedule its own optimizer entry, or grid a schedule's numbers, e.g. {"name": "step", "step_size": 100, "gamma": {"grid": [0.1, 0.5]}}), got an object"#),
    // Text from the config is shown shortened, and with invisible or bidirectional controls escaped.
    (config(#""record": "\#(String(repeating: "y", count: 100))""#),
     #"record: expected "every", {"every": k}, {"log": n} or "none", got "\#(String(repeating: "y", count: 60))…""#),
    (config(optimizers: #"[{"name": "adam\u202e\u200b"}]"#), #"optimizers[0].name: unknown optimizer 'adam\u{202E}\u{200B}'; did you mean 'adam'?"#),
    (config(#""evaluate": "all""#), #"evaluate: expected "every", {"every": k} or {"log": n}, got "all""#),
    (config(#""evaluate": {"every": 10}"#), #"evaluate: applies to runs with stochastic gradients (a finite sum's "batch_size", or "gradient_noise"), and every function here has exact gradients, evaluated at every step; remove it"#),
    (config(#""targets": [0.1, -1]"#), "targets[1]: expected a number > 0, got -1"),
    (config(#""stop": {"grad_norm": "small"}"#), "stop.grad_norm: expected a number, got the string \"small\""),
    (config(#""stop": {"gradnorm": 1e-8}"#), "stop.gradnorm: unknown key 'gradnorm'; did you mean 'grad_norm'?"),
    (config(functions: "{}"), "functions: expected an array of functions entries, got an object"),
    (config(functions: "[]"), "functions: an empty list of functions expands to zero runs"),
    (config(functions: "[3]"), #"functions[0]: expected an object with a "name", got a number"#),
    (config(functions: #"[{"dim": 3}]"#), "functions[0].name: missing required key 'name' (the function's registry name)"),
    (config(functions: #"[{"name": "rosenbrock", "dim": 2.5}]"#), "functions[0].dim: expected an integer in [2, 1000000], got 2.5"),
    (config().replacingOccurrences(of: #""steps": 10"#, with: #""steps": 1e20"#), "steps: expected an integer in [1, 1000000000], got 1e+20"),
    (config(functions: #"[{"name": "rosenbrock", "dim": {"grid": []}}]"#), "functions[0].dim.grid: an empty grid expands to zero runs; give at least one value"),
    (config(functions: #"[{"name": "rosenbrock", "start": "anywhere"}]"#), #"functions[0].start: expected a point, "random", {"box": [[lo, hi], …]} or {"points": [[…], …]}, got "anywhere""#),
    (config(functions: #"[{"name": "rosenbrock", "start": [1e300, 0]}]"#), "functions[0].start[0]: expected a coordinate with |x| ≤ 1e8, got 1e+300"),
    (config(functions: #"[{"name": "rosenbrock", "start": {"box": [[1, 0], [0, 1]]}}]"#), "functions[0].start.box[0]: expected an interval [lo, hi] with lo ≤ hi, got [1, 0]"),
    (config(functions: #"[{"name": "rosenbrock", "start": {"box": [[0, 1], ["a", 1]]}}]"#), #"functions[0].start.box[1][0]: expected a coordinate with |x| ≤ 1e8, got the string "a""#),
    (config(functions: #"[{"name": "rosenbrock", "start": {"box": [[0, 1], [0, 1, 2]]}}]"#), "functions[0].start.box[1]: expected an interval [lo, hi] of two numbers, got an array of 3 items"),
    (config(optimizers: #"[{"name": "adam", "lr": {"gird": [0.1, 0.2]}}]"#), #"optimizers[0].lr: expected a number, got an object with key 'gird' (a grid axis is {"grid": […]}, {"logspace": [lo_exp, hi_exp, n]} or {"linspace": [lo, hi, n]})"#),
    (config(#""minimum_radius": -1"#), "minimum_radius: expected a number > 0, got -1"),
    (config(functions: #"[{"name": "ackley", "a": -20}]"#), "functions[0].a: expected a number ≥ 0, got -20"),
    (config(functions: #"[{"name": "xcos", "start": [2.5]}]"#), "functions[0].start: 'xcos' is unbounded below outside its domain [-1, 2], and its f* holds only there: expected a start inside it, got [2.5]"),
    (config(functions: #"[{"name": "xcos", "start": {"points": [[0], [-3]]}}]"#), "functions[0].start.points[1]: 'xcos' is unbounded below outside its domain [-1, 2], and its f* holds only there: expected a start inside it, got [-3]"),
    (config(functions: #"[{"name": "xcos", "start": {"box": [[0, 4]]}}]"#), "functions[0].start.box: 'xcos' is unbounded below outside its domain [-1, 2], and its f* holds only there: expected a box inside it, got [[0, 4]]"),
    (config(functions: #"[{"name": "booth", "label": "../../etc"}]"#), "functions[0].label: '../../etc' must not start with '.' or contain '..'"),
    (config(functions: #"[{"name": "booth", "label": "a/b"}]"#), "functions[0].label: 'a/b' contains '/'; use only letters, digits, '.', '_' and '-' (names become file names)"),
    (config(functions: #"[{"name": "booth"}, {"name": "booth"}]"#), #"functions[1].label: run ids would collide with functions[0] ('booth'); give one of them a distinct "label""#),
    (config(optimizers: #"[{"name": "adam"}, {"name": "adam", "lr": 0.1}]"#), #"optimizers[1].label: run ids would collide with optimizers[0] ('adam'); give one of them a distinct "label""#),
    (config(functions: #"[{"name": "booth", "label": "a"}, {"name": "booth", "label": "a_"}]"#, optimizers: #"[{"name": "sgd", "label": "_b"}, {"name": "sgd", "label": "b"}]"#),
     #"functions[1].label: run ids would collide: function 'a_' with optimizer 'b' (optimizers[1]) and function 'a' (functions[0]) with optimizer '_b' (optimizers[0]) both make 'a___b__seed=N'; give one of them a distinct "label""#),
    (config(optimizers: #"[{"name": "sgd", "lr": {"grid": [0.1, 0.2, 0.1]}}]"#), "optimizers[0]: its grid makes 'sgd-lr=0.1' twice, so two settings' runs would share their ids: list each grid value once"),
    (config(functions: #"[{"name": "rosenbrock", "dim": {"linspace": [2, 2, 2]}}]"#), "functions[0]: its grid makes 'rosenbrock-dim=2' twice, so two settings' runs would share their ids: list each grid value once"),
    (config(optimizers: #"[{"name": "adam", "zzzzzz": 1}]"#), "optimizers[0].zzzzzz: unknown key 'zzzzzz'; expected one of: lr, betas, eps, weight_decay, amsgrad, name, label, schedule"),
    (config(optimizers: #"[{"name": "adamm"}]"#), "optimizers[0].name: unknown optimizer 'adamm'; did you mean 'adam'?"),
    (config(optimizers: #"[{"name": "adam", "lr": -0.1}]"#), "optimizers[0].lr: expected a number ≥ 0, got -0.1"),
    (config(optimizers: #"[{"name": "adam", "eps": -1e-8}]"#), "optimizers[0].eps: expected a number ≥ 0, got -1e-08"),
    (config(optimizers: #"[{"name": "adam", "betas": [0.9]}]"#), "optimizers[0].betas: expected an array of two numbers in [0, 1), got an array of 1 item"),
    (config(optimizers: #"[{"name": "adam", "amsgrad": 1}]"#), "optimizers[0].amsgrad: expected true or false, got 1"),
    (config(optimizers: #"[{"name": "sgd", "nesterov": true}]"#), "optimizers[0].nesterov: Nesterov momentum needs momentum > 0 (as in torch), got momentum 0"),
    (config(optimizers: #"[{"name": "sgd", "nesterov": true, "momentum": 0.9, "dampening": {"grid": [0, 0.5]}}]"#), "optimizers[0].dampening.grid[1]: Nesterov momentum needs dampening = 0 (as in torch), got 0.5"),
    (config(optimizers: #"[{"name": "adam", "lr": {"logspace": [-4, 0]}}]"#), "optimizers[0].lr.logspace: expected [lo_exponent, hi_exponent, count], got an array of 2 items"),
    (config(optimizers: #"[{"name": "adam", "lr": {"linspace": [0, 1, 0]}}]"#), "optimizers[0].lr.linspace[2]: expected a whole number of points between 1 and 1000000, got 0"),
    (config(optimizers: #"[{"name": "adam", "schedule": {"name": "cosin"}}]"#), "optimizers[0].schedule.name: unknown schedule 'cosin'; did you mean 'cosine'?"),
    (config(optimizers: #"[{"name": "adam", "schedule": {"name": "cosine"}}]"#), "optimizers[0].schedule.t_max: missing required key 't_max' (an integer ≥ 1 and below 1e15)"),
    (config(optimizers: #"[{"name": "adam", "schedule": {"name": "multistep", "milestones": [10, 5]}}]"#), "optimizers[0].schedule.milestones: milestones must be strictly increasing"),
    (config(optimizers: #"[{"name": "adam", "label": "my adam"}]"#), "optimizers[0].label: 'my adam' contains ' '; use only letters, digits, '.', '_' and '-' (names become file names)"),
  ])
  func invalid(text: String, expected: String) {
    #expect(configProblems(text) == [expected])
  }

  @Test("a grid that expands beyond the run cap needs allowLarge")
  func runCap() throws {
    let text = config(#""seeds": 1000"#, optimizers: #"[{"name": "adam", "lr": {"logspace": [-5, 0, 2000]}}]"#)
    #expect(configProblems(text) == ["the config expands to 2000000 runs, more than the cap of 1000000; pass --allow-large to run it anyway"])
    let e = try Experiment.decode(Array(text.utf8), file: "x.json", runCap: nil)
    #expect(e.runCount == 2_000_000)
  }

  @Test("no config plans more runs than results are read back for, even with allowLarge")
  func readBackBound() throws {
    // 10^10 runs: planning them alone crashed `run` (a 480 TB allocation), and no results directory of that
    // size is read back; refused before anything is expanded.
    let huge = config(#""seeds": 1000000"#, optimizers: #"[{"name": "adam", "lr": {"logspace": [-5, 0, 10000]}}]"#)
    let problem = "the config expands to 10000000000 runs, more than 100000000, the most one experiment may plan and read back"
    #expect(throws: ConfigError.invalid(file: "x.json", problems: [Diagnostic(path: "", problem)])) {
      try Experiment.decode(Array(huge.utf8), file: "x.json", runCap: nil)
    }
    #expect(throws: ConfigError.invalid(file: "r/config.json", problems: [Diagnostic(path: "", problem)])) {
      try Experiment.decodeResultsConfig(Array(huge.utf8), file: "r/config.json")
    }
    let limit = config(#""seeds": 10000"#, optimizers: #"[{"name": "adam", "lr": {"logspace": [-5, 0, 10000]}}]"#)
    #expect(configProblems(limit) == ["the config expands to 100000000 runs, more than the cap of 1000000; pass --allow-large to run it anyway"])
    #expect(try Experiment.decode(Array(limit.utf8), file: "x.json", runCap: nil).runCount == 100_000_000)
    #expect(try Experiment.decodeResultsConfig(Array(text2M.utf8), file: "r/config.json").runCount == 2_000_000)
  }

  @Test("reading a file with no size limit, or a directory, is no crash")
  func readWithoutLimit() throws {
    let dir = temporaryDirectory()
    defer { cleanUp(dir) }
    #expect(FileManager.default.createFile(atPath: dir + "/f", contents: Data("abc".utf8)))
    #expect(FileIO.read(dir + "/f", limit: Int.max) == Array("abc".utf8))
    #expect(FileIO.read(dir + "/f", limit: 2) == nil)
    // merge reads trajectories with no limit; a directory in a trajectory's place once overflowed `limit + 1`.
    #expect(FileIO.read(dir, limit: Int.max) == nil)
    // A FIFO with no writer in a file's place once blocked every reader in `open` for ever.
    #expect(mkfifo(dir + "/fifo", 0o644) == 0)
    #expect(FileIO.read(dir + "/fifo") == nil)
    #expect(throws: ConfigError.self) { try Experiment.load(dir + "/fifo") }
  }

  let text2M = config(#""seeds": 1000"#, optimizers: #"[{"name": "adam", "lr": {"logspace": [-5, 0, 2000]}}]"#)

  @Test("a directory, a missing file and an oversized file are clear errors")
  func unreadable() throws {
    let dir = temporaryDirectory()
    defer { cleanUp(dir) }
    #expect(throws: ConfigError.unreadable(file: dir, reason: "is a directory, not a JSON file")) { try Experiment.load(dir) }
    #expect(throws: ConfigError.unreadable(file: dir + "/none.json", reason: "no such file")) { try Experiment.load(dir + "/none.json") }
    // A link to nothing, or a loop of links, is not "no such file": the name is there.
    #expect(symlink("none.json", dir + "/dangling.json") == 0 && symlink("loop.json", dir + "/loop.json") == 0)
    for name in ["dangling.json", "loop.json"] {
      #expect(throws: ConfigError.unreadable(file: dir + "/" + name, reason: "a symbolic link to nothing (its target is missing, or a loop of links)")) {
        try Experiment.load(dir + "/" + name)
      }
    }
    let big = dir + "/big.json"
    #expect(FileManager.default.createFile(atPath: big, contents: Data(count: 50 << 20)))
    #expect(throws: ConfigError.invalid(file: big, problems: [Diagnostic(path: "", "the file is larger than 16 MB, the most read as a config (one describes an experiment and should be small)")])) {
      try Experiment.load(big)
    }
  }

  @Test("evaluate is accepted where a function has stochastic gradients")
  func evaluateWithNoise() throws {
    let e = try decodeExperiment(config(#""evaluate": {"every": 10}"#, functions: #"[{"name": "rosenbrock"}, {"name": "booth", "gradient_noise": 0.1}]"#))
    #expect(e.evaluate == .everyK(10))
  }

  @Test("a target listed twice is found among 100,000 (each checked against the ones before in constant time)")
  func manyTargets() throws {
    let targets = (1...100_000).map { "\($0)e-6" } + ["12345e-6"]
    let problems = configProblems(config(#""targets": [\#(targets.joined(separator: ", "))]"#))
    #expect(problems == ["targets[100000]: target 0.012345 is listed twice"])
  }

  @Test("every shipped config is valid")
  func shippedConfigs() throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let configs = try FileManager.default.contentsOfDirectory(atPath: root.path + "/Configs").filter { $0.hasSuffix(".json") }
    #expect(!configs.isEmpty)
    for name in configs {
      let e = try Experiment.load(root.path + "/Configs/" + name)
      #expect(e.runCount > 0)
      #expect(e.description?.isEmpty == false, "\(name) needs a one-line description")
    }
  }
}
