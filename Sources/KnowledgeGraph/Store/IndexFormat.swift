/// The index file's format: its magic number, version, section tags and checksum blocks.
///
/// A file is a header (magic, version, a table of sections with offset, length and checksum,
/// and the header's own checksum), then the sections. In the file the note sections come first
/// (LEXI, FILE, FCHK, NIDX, ENOT, GRPH, NEXT, NCHK, NOTE), then META, BASE, TDIC, PEXT, PCHK and the
/// postings last; readers find them by tag. BASE, NEXT and PEXT are empty but in a delta.
enum IndexFormat {
    static let magic: [UInt8] = [0x89, 0x4B, 0x47, 0x49, 0x44, 0x58, 0x0D, 0x0A]  // \x89KGIDX\r\n
    /// The on-disk format version; any other version is rebuilt.
    static let version: UInt32 = 21
    /// NOTE and POST carry one checksum per block of this size, checked as they are read: a
    /// query that reads a few scattered notes or lists checks a few small blocks.
    static let block = 1 << 14
    /// Size of the header: magic, version, section count, a 28-byte entry per section, checksum.
    static var headerSize: Int { magic.count + 8 + Section.allCases.count * 28 + 8 }
}

/// A value for each section, in an array: looked up on every read of a note or list, where a
/// hashed dictionary would cost more than the read.
struct SectionMap<Value> {
    private var values = [Value?](repeating: nil, count: Section.allCases.count)

    subscript(_ s: Section) -> Value? {
        get { values[s.slot] }
        // In place, so that changing one block's flag does not copy the section's array.
        _modify { yield &values[s.slot] }
    }

    /// How many sections have a value.
    var count: Int { values.reduce(0) { $0 + ($1 == nil ? 0 : 1) } }
    /// The values set, in slot order.
    var present: [Value] { values.compactMap { $0 } }
}

/// Section tags of the index file.
enum Section: UInt32, CaseIterable, Sendable {
    case meta = 0x4154_454D  // "META": lexicon fingerprint and counts
    case lexicon = 0x4958_454C  // "LEXI"
    case files = 0x454C_4946  // "FILE": the file table
    case noteIndex = 0x5844_494E  // "NIDX": offset and token count of each note record
    case entityNotes = 0x544F_4E45  // "ENOT": entity -> notes mentioning it
    case graph = 0x4850_5247  // "GRPH"
    case terms = 0x4349_4454  // "TDIC": the dictionary
    case noteChecks = 0x4B48_434E  // "NCHK"
    case notes = 0x4554_4F4E  // "NOTE": note records
    case postingChecks = 0x4B48_4350  // "PCHK"
    case postings = 0x5453_4F50  // "POST"
    case base = 0x4553_4142  // "BASE": the base file a delta was written over
    case noteExtents = 0x5458_454E  // "NEXT": where a delta's note records are stored
    case postingExtents = 0x5458_4550  // "PEXT": where a delta's posting lists are stored
    case discovery = 0x4353_4944  // "DISC": discovery's statistics, sums over the notes
    case fileChecks = 0x4B48_4346  // "FCHK": block checksums of FILE, for a few paths read alone

    /// A dense number for the section (0 up to the number of sections), for `SectionMap`.
    var slot: Int {
        switch self {
        case .meta: 0
        case .lexicon: 1
        case .files: 2
        case .noteIndex: 3
        case .entityNotes: 4
        case .graph: 5
        case .terms: 6
        case .noteChecks: 7
        case .notes: 8
        case .postingChecks: 9
        case .postings: 10
        case .base: 11
        case .noteExtents: 12
        case .postingExtents: 13
        case .discovery: 14
        case .fileChecks: 15
        }
    }

    /// Whether the section is checked block by block as it is read (NOTE and POST), rather
    /// than whole.
    var isBlockChecked: Bool { self == .notes || self == .postings }

    /// The section holding the block checksums of NOTE, POST or FILE.
    var checks: Section { self == .notes ? .noteChecks : self == .files ? .fileChecks : .postingChecks }
    /// The section holding a delta's extents of NOTE or POST.
    var extents: Section { self == .notes ? .noteExtents : .postingExtents }
}
