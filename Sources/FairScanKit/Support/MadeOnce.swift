import Synchronization

/// A value made at its first use, once, whichever thread asks first, and kept, a failure to make
/// it included: a rule's compiled pattern (`CompiledRule`), the keyword matcher (`RuleSet`).
struct MadeOnce<Value, Failure: Error>: ~Copyable, @unchecked Sendable {
  private let state: Mutex<Result<Value, Failure>?>

  /// `made`: the value already made (nil: made at the first `value(_:)`).
  init(_ made: sending Result<Value, Failure>? = nil) { state = Mutex(made) }

  /// The value, made now by `make` if no caller made it before (callers wait for one another).
  func value(_ make: () -> Result<Value, Failure>) -> Result<Value, Failure> {
    state.withLock { state in
      if let state { return state }
      let made = make()
      state = made
      return made
    }
  }

  /// Whether it was made already.
  var isMade: Bool { state.withLock { $0 != nil } }
}
