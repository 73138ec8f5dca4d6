/// The type of a git object.
public enum ObjectKind: Sendable, Equatable {
  case commit, tree, blob, tag, other
}
