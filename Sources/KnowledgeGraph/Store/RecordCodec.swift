extension NoteRecord {
    /// The record without its path, which the file table holds (a note's id is its place
    /// among the notes there).
    func encode(into w: inout BinaryWriter) {
        w.string(title)
        w.strings(tags)
        w.int(links.count)
        for l in links {
            w.string(l.target)
            w.int32(l.line)
            w.int32(l.column)
            w.int32(l.length)
            w.u8((l.isWiki ? 1 : 0) | (l.isEmbed ? 2 : 0))
        }
        w.strings(aliases)
        w.string(date ?? "")
        if let encodedCandidates {
            w.bytes += encodedCandidates
        } else {
            NoteCandidate.encode(candidates, into: &w)
        }
        w.entity(definesEntity)
        w.int32(lineCount)
        w.int32(tokenCount)
        var last: Int32 = 0
        for s in lineTokenStarts {
            w.int32(s - last)
            last = s
        }
        // Mentions come in line order: lines, blocks and sections as deltas, and each surface
        // once in a small table of the note's distinct spellings.
        // A note has few distinct spellings: a linear search beats hashing them.
        var surfaces: [String] = []
        var surfaceOf: [Int] = []
        surfaceOf.reserveCapacity(mentions.count)
        for m in mentions {
            if let k = surfaces.firstIndex(where: { $0.utf8.bytesEqual(m.surface.utf8) }) {
                surfaceOf.append(k)
            } else {
                surfaceOf.append(surfaces.count)
                surfaces.append(m.surface)
            }
        }
        w.strings(surfaces)
        w.int(mentions.count)
        var line: Int32 = 0
        var block: Int32 = 0
        var section: Int32 = 0
        for (m, k) in zip(mentions, surfaceOf) {
            w.int32(m.entity)
            w.sint(Int64(m.line - line))
            w.sint(Int64(m.block - block))
            w.sint(Int64(m.section - section))
            w.int(k)
            w.int32(m.column)
            line = m.line
            block = m.block
            section = m.section
        }
    }

    /// A record's mentions with empty spellings, everything before them stepped over.
    static func mentionPlaces(_ r: inout BinaryReader, entityCount: Int) throws(CorruptIndex) -> [Mention] {
        try r.skipString()  // title
        try r.skipStrings()  // tags
        for _ in 0..<(try r.count(max: r.end - r.offset)) {  // links
            try r.skipString()
            _ = (try r.int32(), try r.int32(), try r.int32(), try r.u8())
        }
        try r.skipStrings()  // aliases
        try r.skipString()  // date
        try NoteCandidate.skip(&r)
        if try r.u8() == 1 {  // the entity it defines
            try r.skipString()
            try r.skipString()
            try r.skipStrings()
        }
        let lineCount = try r.int32()
        _ = try r.int32()  // tokens
        guard lineCount >= 0, Int(lineCount) <= r.end - r.offset else { throw CorruptIndex(reason: "bad line count") }
        for _ in 0..<Int(lineCount) { _ = try r.int32() }
        let surfaces = try r.count(max: r.end - r.offset)
        for _ in 0..<surfaces { try r.skipString() }
        return try mentions(&r, surfaces: surfaces, entityCount: entityCount) { _ in "" }
    }

    /// The mentions at the end of a record, each spelling given by `surface(k)`.
    private static func mentions(_ r: inout BinaryReader, surfaces: Int, entityCount: Int, surface: (Int) -> String) throws(CorruptIndex)
        -> [Mention]
    {
        var mentions: [Mention] = []
        let mc = try r.count(max: r.end - r.offset)
        mentions.reserveCapacity(mc)
        var line: Int32 = 0
        var block: Int32 = 0
        var section: Int32 = 0
        for _ in 0..<mc {
            let entity = try r.int32()
            line = line &+ Int32(truncatingIfNeeded: try r.sint())
            block = block &+ Int32(truncatingIfNeeded: try r.sint())
            section = section &+ Int32(truncatingIfNeeded: try r.sint())
            let k = try r.int()
            let column = try r.int32()
            guard k < surfaces else { throw CorruptIndex(reason: "bad surface") }
            guard entity >= 0, Int(entity) < entityCount else { throw CorruptIndex(reason: "bad entity id") }
            mentions.append(Mention(entity: entity, line: line, block: block, section: section, surface: surface(k), column: column))
        }
        return mentions
    }

    /// Decodes a record whose mentions name entities below `entityCount`.
    static func decode(_ r: inout BinaryReader, path: String, entityCount: Int) throws(CorruptIndex) -> NoteRecord {
        let title = try r.string()
        let tags = try r.strings()
        var links: [NoteLink] = []
        for _ in 0..<(try r.count(max: r.end - r.offset)) {
            let target = try r.string()
            let (line, column, length) = (try r.int32(), try r.int32(), try r.int32())
            let flags = try r.u8()
            links.append(NoteLink(target: target, line: line, column: column, length: length, isWiki: flags & 1 != 0, isEmbed: flags & 2 != 0))
        }
        let aliases = try r.strings()
        let date = try r.string()
        let candidates = try NoteCandidate.decode(&r)
        let entity = try r.entity()
        let lineCount = try r.int32()
        let tokenCount = try r.int32()
        guard lineCount >= 0, Int(lineCount) <= r.end - r.offset else { throw CorruptIndex(reason: "bad line count") }
        var starts: [Int32] = []
        starts.reserveCapacity(Int(lineCount))
        var last: Int32 = 0
        for _ in 0..<Int(lineCount) {
            last &+= try r.int32()
            starts.append(last)
        }
        let surfaces = try r.strings()
        let mentions = try mentions(&r, surfaces: surfaces.count, entityCount: entityCount) { surfaces[$0] }
        return NoteRecord(path: path, title: title, tags: tags, links: links, aliases: aliases, date: date.isEmpty ? nil : date,
            definesEntity: entity, candidates: candidates, lineCount: lineCount,
            tokenCount: tokenCount, lineTokenStarts: starts, mentions: mentions)
    }
}

extension Postings {
    /// Reads a list written by `encode(into:)` whose note ids are below `noteCount`.
    static func decode(_ r: inout BinaryReader, noteCount: Int) throws(CorruptIndex) -> Postings {
        try decode(&r, noteCount: noteCount, wanted: nil)
    }

    /// The list's entries for `notes` (ascending) only: the others' positions are stepped
    /// over by their byte length, not decoded, and the walk ends after the last of `notes`.
    static func decode(_ r: inout BinaryReader, noteCount: Int, within notes: [Int32]) throws(CorruptIndex) -> Postings {
        try notes.withUnsafeBufferPointer { (wanted) throws(CorruptIndex) in try decode(&r, noteCount: noteCount, wanted: wanted) }
    }

    /// Every entry (`wanted` nil), or those of the notes in `wanted`.
    private static func decode(_ r: inout BinaryReader, noteCount: Int, wanted: UnsafeBufferPointer<Int32>?) throws(CorruptIndex) -> Postings {
        let n = try r.count(max: noteCount)
        var failure: CorruptIndex?
        var reader = r
        // Each position takes a byte or more.
        let out = Postings.build(notes: min(n, wanted?.count ?? n), positions: r.end - r.offset) { out in
            do throws(CorruptIndex) {
                var c = 0
                var lastNote: Int32 = -1
                for _ in 0..<n {
                    if let wanted, c == wanted.count { break }
                    let note = lastNote &+ 1 &+ (try reader.int32())
                    guard note > lastNote, Int(note) < noteCount else { throw CorruptIndex(reason: "bad posting") }
                    lastNote = note
                    // The room left is measured after the length is read.
                    let length = try reader.int()
                    guard length <= reader.end - reader.offset else { throw CorruptIndex(reason: "bad posting") }
                    let end = reader.offset + length
                    defer { reader.offset = end }
                    if let wanted {
                        while c < wanted.count && wanted[c] < note { c += 1 }
                        guard c < wanted.count && wanted[c] == note else { continue }
                        c += 1
                    }
                    var last: Int32 = -1
                    var inner = BinaryReader(reader.base, range: reader.offset..<end)
                    while !inner.atEnd {
                        let p = last &+ 1 &+ (try inner.int32())
                        guard p > last else { throw CorruptIndex(reason: "bad position") }
                        out.position(p)
                        last = p
                    }
                    out.note(note)
                }
            } catch {
                failure = error
            }
        }
        r = reader
        if let failure { throw failure }
        return out
    }
}

extension NoteCandidate {
    /// A note's candidates, sorted by key: each key as the bytes it shares with the one
    /// before and the rest, and each spelling as a tag: 0 the key itself, 1 the key with the
    /// ASCII letters of a bit mask in capitals (`MLflow` of `mlflow`), 2 written out.
    static func encode(_ candidates: [NoteCandidate], into w: inout BinaryWriter) {
        w.int(candidates.count)
        var previous: [UInt8] = []
        for c in candidates {
            let key = Array(c.key.utf8)
            writeKey(key, after: previous, count: c.count, signals: c.signals, spellings: c.surfaces.count, into: &w)
            previous = key
            for (s, n) in zip(c.surfaces, c.surfaceCounts) { writeSpelling(Array(s.utf8), of: key, count: n, into: &w) }
        }
    }

    /// One candidate's key (the bytes it shares with the key before, then the rest), count,
    /// signals and number of spellings, which `writeSpelling` writes next.
    static func writeKey(_ key: [UInt8], after previous: [UInt8], count: Int32, signals: UInt32, spellings: Int, into w: inout BinaryWriter) {
        var shared = 0
        while shared < key.count && shared < previous.count && key[shared] == previous[shared] { shared += 1 }
        w.int(shared)
        w.int(key.count - shared)
        w.bytes += key[shared...]
        w.int32(count)
        w.u32(signals)
        w.int(spellings)
    }

    /// A spelling of `key` with its count: tag 0, 1 (with the capitals' mask) or 2 (written out).
    static func writeSpelling(_ text: [UInt8], of key: [UInt8], count: Int32, into w: inout BinaryWriter) {
        if text == key {
            w.u8(0)
        } else if let mask = capitals(text, of: key) {
            w.u8(1)
            w.varint(mask)
        } else {
            w.u8(2)
            w.varint(UInt64(text.count))
            w.bytes += text
        }
        w.int32(count)
    }

    /// The positions at which `text` has a capital where `key` has the lowercase letter, when
    /// that is all that differs and the key is at most 64 bytes.
    private static func capitals(_ text: [UInt8], of key: [UInt8]) -> UInt64? {
        guard text.count == key.count, key.count <= 64 else { return nil }
        var mask: UInt64 = 0
        for i in key.indices where text[i] != key[i] {
            guard key[i] >= 0x61, key[i] <= 0x7A, text[i] == key[i] - 0x20 else { return nil }
            mask |= 1 << UInt64(i)
        }
        return mask
    }

    /// Steps over what `encode` wrote.
    static func skip(_ r: inout BinaryReader) throws(CorruptIndex) {
        var previous = 0
        for _ in 0..<(try r.count(max: r.end - r.offset)) {
            let shared = try r.count(max: previous)
            let rest = try r.count(max: r.end - r.offset)
            r.offset += rest
            previous = shared + rest
            _ = (try r.int32(), try r.u32())
            for _ in 0..<(try r.count(max: r.end - r.offset)) {
                switch try r.u8() {
                case 0: break
                case 1: _ = try r.varint()
                case 2: try r.skipString()
                default: throw CorruptIndex(reason: "bad candidate spelling")
                }
                _ = try r.int32()
            }
        }
    }

    static func decode(_ r: inout BinaryReader) throws(CorruptIndex) -> [NoteCandidate] {
        var out: [NoteCandidate] = []
        var previous: [UInt8] = []
        for _ in 0..<(try r.count(max: r.end - r.offset)) {
            let shared = try r.count(max: previous.count)
            let rest = try r.count(max: r.end - r.offset)
            var key = Array(previous[..<shared])
            for _ in 0..<rest { key.append(try r.u8()) }
            previous = key
            let (count, signals) = (try r.int32(), try r.u32())
            var surfaces: [String] = []
            var counts: [Int32] = []
            for _ in 0..<(try r.count(max: r.end - r.offset)) {
                switch try r.u8() {
                case 0:
                    surfaces.append(String(decoding: key, as: UTF8.self))
                case 1:
                    let mask = try r.varint()
                    guard key.count <= 64, key.count == 64 || mask >> UInt64(key.count) == 0 else {
                        throw CorruptIndex(reason: "bad candidate spelling")
                    }
                    var text = key
                    for i in text.indices where mask & (1 << UInt64(i)) != 0 {
                        guard text[i] >= 0x61, text[i] <= 0x7A else { throw CorruptIndex(reason: "bad candidate spelling") }
                        text[i] -= 0x20
                    }
                    surfaces.append(String(decoding: text, as: UTF8.self))
                case 2:
                    surfaces.append(try r.string())
                default:
                    throw CorruptIndex(reason: "bad candidate spelling")
                }
                counts.append(try r.int32())
            }
            out.append(NoteCandidate(key: String(decoding: key, as: UTF8.self), surfaces: surfaces, surfaceCounts: counts, count: count, signals: signals))
        }
        return out
    }
}
