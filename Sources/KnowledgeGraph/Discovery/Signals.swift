/// What discovery notices about a name in notes: how it is written and where it stands.
public enum Signal: Int, CaseIterable, Sendable {
    case acronym = 0, mixedCase, alphanumeric, capitalized, capitalizedPhrase, hyphenated, lowercase
    case particle, alone, companyContext, companyList, wikilink, tag, heading, definition, sentenceStart, compound, mixedScript
    /// A Hangul word seen as the second part of a compound (`포레스트` of `랜덤 포레스트`).
    case compoundTail
    /// A lowercase Latin word in a line of Korean: in Korean notes mostly a technical term.
    case latinInKorean
    /// Seen inside inline code (`` `CharField` ``), and seen outside it: a name the notes
    /// write only as code is an identifier more often than a name.
    case code, prose
    /// A Korean full name before a title (`김찬란 멘토`, `김학수교수`, `한기용님`).
    case person
    /// Particle classes a Hangul stem was seen before (bits 24–31).
    case subjectParticle = 24, objectParticle, topicParticle, genitiveParticle, locativeParticle, instrumentalParticle,
        comitativeParticle, otherParticle

    var bit: UInt32 { 1 << UInt32(rawValue) }

    /// The name shown in `signals`.
    public var label: String {
        switch self {
        case .acronym: return "acronym"
        case .mixedCase: return "mixed-case"
        case .alphanumeric: return "letters-and-digits"
        case .capitalized: return "capitalized"
        case .capitalizedPhrase: return "capitalized-phrase"
        case .hyphenated: return "hyphenated"
        case .lowercase: return "lowercase"
        case .particle: return "before-particles"
        case .alone: return "alone"
        case .companyContext: return "company-context"
        case .companyList: return "company-list"
        case .wikilink: return "wikilink"
        case .tag: return "tag"
        case .heading: return "heading"
        case .definition: return "definition"
        case .sentenceStart: return "sentence-start"
        case .compound: return "compound"
        case .mixedScript: return "mixed-script"
        case .compoundTail: return "compound-tail"
        case .latinInKorean: return "latin-in-korean"
        case .code: return "code"
        case .prose: return "prose"
        case .person: return "person-title"
        default: return "particle-class"
        }
    }
}

/// One name a note may be about, as the note writes it: a contribution to the vault's
/// discovery statistics, which are sums of these.
public struct NoteCandidate: Sendable, Hashable {
    /// The match key (`Lexicon.keyString`).
    public var key: String
    /// Spellings as written, with how often, most frequent first (at most three).
    public var surfaces: [String]
    public var surfaceCounts: [Int32]
    public var count: Int32
    /// The signals seen in this note (`Signal.bit`s).
    public var signals: UInt32
}
