/// Errors that stop a command. Per-note problems are not errors: they are `SkippedFile`s.
public enum KGError: Error, Sendable, Equatable {
    case vaultNotFound(String)
    case vaultNotAFolder(String)
    case cannotCreateIndexFolder(String, reason: String)
    case ioError(String, reason: String)
    case usage(String)
    case unknownEntity(String, suggestions: [String])
    case failure(String)
    /// Another writer holds the lock and `--no-wait` was given.
    case locked(String)
    /// The update would remove most of the vault's notes.
    case massDelete(removed: Int, of: Int)

    /// The one-line message shown after `kg: error: `.
    public var message: String {
        switch self {
        case .vaultNotFound(let p): return "vault not found: \(p)"
        case .vaultNotAFolder(let p): return "vault is not a folder: \(p)"
        case .cannotCreateIndexFolder(let p, let r): return "cannot create the index folder \(p): \(r)"
        case .ioError(let p, let r): return "cannot write the index \(p): \(r); the previous index is unchanged"
        case .usage(let m): return m
        case .unknownEntity(let name, let suggestions):
            let shown = name.count <= 60 ? name : String(name.prefix(59)) + "…"
            if suggestions.isEmpty { return "unknown entity '\(shown)'" }
            return "unknown entity '\(shown)'; did you mean: \(suggestions.joined(separator: ", "))?"
        case .failure(let m): return m
        case .locked(let p): return "another kg is writing this index (lock \(p)); not waiting (--no-wait)"
        case .massDelete(let removed, let total):
            return "\(removed) of \(total) indexed notes are gone from the vault; refusing to drop them from the index "
                + "(is the vault unmounted or half-synced?). Run again with --allow-mass-delete if they were deleted on purpose"
        }
    }
}

/// The index file is damaged, inconsistent or of another format; the caller rebuilds it.
public struct CorruptIndex: Error, Sendable, Equatable {
    public var reason: String

    public init(reason: String) {
        self.reason = reason
    }
}
