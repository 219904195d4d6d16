/// What an index run did.
public struct IndexReport: Sendable {
    public var added: [String] = []
    public var changed: [String] = []
    public var removed: [String] = []
    public var unchanged = 0
    /// Files not indexed, with reasons (binary, unreadable, too large, ...).
    public var skipped: [SkippedFile] = []
    /// Why the whole index was rebuilt (`--rebuild`, no index yet, damaged, lexicon changed).
    public var rebuildReason: String?
    /// Notes read and analyzed in this run.
    public var analyzed = 0
    public var lexiconIssues: [LexiconIssue] = []
    public var seconds: Double = 0
    public var wroteIndex = false
    /// With discovery on, how many names an update decided again from the entries its notes
    /// touched (`DiscoveryUpdate`); nil when discovery decided over the whole vault.
    public var discoveryDecidedAgain: Int?

    public var hasChanges: Bool { !added.isEmpty || !changed.isEmpty || !removed.isEmpty }
}
