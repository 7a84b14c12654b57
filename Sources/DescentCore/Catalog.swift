/// The registry: every test function and optimizer Descent knows, one line each.
///
/// A name from a config or the command line is looked up here; an unknown name gets an edit-distance
/// suggestion. Adding an entry to `builtIn` is all it takes for `list`, `eval`, configs and docs to see it.
public struct Catalog: Sendable {
  public var objectives: [any Objective.Type]
  public var optimizers: [OptimizerEntry]

  public static let builtIn = Catalog(
    objectives: [
      Quadratic.self,
      XCos.self,
      Rosenbrock.self,
      Beale.self,
      Booth.self,
      Himmelblau.self,
      SixHumpCamel.self,
      ThreeHumpCamel.self,
      GoldsteinPrice.self,
      Matyas.self,
      Saddle.self,
      Rastrigin.self,
      Ackley.self,
      StyblinskiTang.self,
      LeastSquares.self,
      Logistic.self,
      Softmax.self,
    ],
    optimizers: [
      .optimizer(SGD.self),
      .alias("gd", of: SGD.self),
      .alias("momentum", of: SGD.self, ["momentum": .real(0.9)]),
      .alias("nesterov", of: SGD.self, ["momentum": .real(0.9), "nesterov": .boolean(true)]),
      .optimizer(Adagrad.self),
      .optimizer(RMSprop.self),
      .optimizer(Adadelta.self),
      .optimizer(Adam.self),
      .alias("amsgrad", of: Adam.self, ["amsgrad": .boolean(true)]),
      .optimizer(AdamW.self),
      .optimizer(NAdam.self),
      .optimizer(RAdam.self),
      .optimizer(Lion.self),
    ])

  public var objectiveNames: [String] { objectives.map { $0.name } }
  public var optimizerNames: [String] { optimizers.map(\.name) }

  public func objective(named name: String) -> (any Objective.Type)? {
    objectives.first { $0.name == name }
  }

  public func optimizer(named name: String) -> OptimizerEntry? {
    optimizers.first { $0.name == name }
  }

  /// Builds a function from a JSON entry (`{"name": "rosenbrock", "dim": 10}`), reporting every problem.
  /// Keys in `reserved` belong to the caller (for example `start`).
  public func makeObjective(_ entry: JSONObject, at path: String, reserved: [String] = [], diagnostics: inout Diagnostics) -> (any Objective)? {
    guard let type = lookUp(entry, kind: "function", names: objectiveNames, at: path, diagnostics: &diagnostics).flatMap(objective(named:)) else {
      return nil
    }
    guard let parameters = type.parameters.decode(entry, at: path, reserved: ["name"] + reserved, diagnostics: &diagnostics) else {
      return nil
    }
    do {
      return try type.init(parameters)
    } catch {
      diagnostics.report(Diagnostic(path: path.appending(path: error.path), error.message))
      return nil
    }
  }

  /// Builds an optimizer from a JSON entry (`{"name": "adam", "lr": 0.01}`), reporting every problem.
  public func makeOptimizer(_ entry: JSONObject, at path: String, reserved: [String] = [], diagnostics: inout Diagnostics) -> ConfiguredOptimizer? {
    guard let registered = lookUp(entry, kind: "optimizer", names: optimizerNames, at: path, diagnostics: &diagnostics).flatMap(optimizer(named:)) else {
      return nil
    }
    guard let parameters = registered.parameters.decode(entry, at: path, reserved: ["name"] + reserved, diagnostics: &diagnostics) else {
      return nil
    }
    do {
      return ConfiguredOptimizer(name: registered.name, optimizer: try registered.type.init(parameters), parameters: parameters)
    } catch {
      diagnostics.report(Diagnostic(path: path.appending(path: error.path), error.message))
      return nil
    }
  }

  private func lookUp(_ entry: JSONObject, kind: String, names: [String], at path: String, diagnostics: inout Diagnostics) -> String? {
    guard let nameValue = entry["name"] else {
      diagnostics.report(path.key("name"), "missing required key 'name' (the \(kind)'s registry name)")
      return nil
    }
    guard case .string(let name) = nameValue else {
      diagnostics.report(.expected("the \(kind)'s name as a string", got: nameValue.kindDescription, at: path.key("name")))
      return nil
    }
    guard names.contains(name) else {
      diagnostics.report(.unknown(kind, name, among: names, at: path.key("name")))
      return nil
    }
    return name
  }
}

/// A registered optimizer name: a type, or an alias that presets some of its hyperparameters.
public struct OptimizerEntry: Sendable {
  public let name: String
  public let type: any Optimizer.Type
  /// The name this one is an alias of, if any.
  public let aliasOf: String?
  /// The type's parameters, with an alias's presets as defaults.
  public let parameters: [ParameterSpec]

  public static func optimizer(_ type: any Optimizer.Type) -> OptimizerEntry {
    OptimizerEntry(name: type.name, type: type, aliasOf: nil, parameters: type.parameters)
  }

  public static func alias(_ name: String, of type: any Optimizer.Type, _ presets: [String: ParameterValue] = [:]) -> OptimizerEntry {
    let parameters = type.parameters.map { spec in
      var spec = spec
      if let preset = presets[spec.name] { spec.defaultValue = preset }
      return spec
    }
    return OptimizerEntry(name: name, type: type, aliasOf: type.name, parameters: parameters)
  }
}

/// An optimizer built from a config entry, with the values it was built from.
public struct ConfiguredOptimizer: Sendable {
  /// The registered name used (an alias stays an alias: `momentum`).
  public var name: String
  public var optimizer: any Optimizer
  public var parameters: Parameters
  /// The base learning rate.
  public var learningRate: Double { parameters.real("lr") }
  /// Whether runs of this optimizer can be stepped together as lanes (`Optimizer.isCoordinatewise`).
  public var isCoordinatewise: Bool { type(of: optimizer).isCoordinatewise }
}
