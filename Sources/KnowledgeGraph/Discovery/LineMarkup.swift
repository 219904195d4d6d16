/// What the candidate scan takes out of a line before reading it: TeX math, inline code,
/// and the marks of emphasis between a word and its particle.
extension CandidateExtractor {
    /// Takes the inline code spans out of the line being scanned (`` `a` ``, ``` ``a`` ```).
    /// A span that reads as code (a call with arguments, an assignment, a path, a member, a
    /// flag: `f(a, b)`, `a = b`, `torch.nn`, `--rm`) is not read for names at all. The words
    /// of a short one, of at most six words (`CharField`, `kubectl get pods`), are kept in
    /// `codeWords`, where the rest of the line is blank. One with Hangul that does not read as
    /// code is a term set off (`정점`) and stays in the line.
    mutating func codeSpans() {
        codeWords.removeAll(keepingCapacity: true)
        let end = line.count
        /// The first backtick at or after `k`, and the end of its run (`end` when none).
        func backticks(from k: Int) -> Range<Int> {
            var a = k
            while a < end && line[a] != 0x60 { a += 1 }
            var b = a
            while b < end && line[b] == 0x60 { b += 1 }
            return a..<b
        }
        var i = 0
        while i < end {
            let opening = backticks(from: i)
            guard !opening.isEmpty else { break }
            i = opening.lowerBound
            let (run, ticks) = (opening.upperBound, opening.count)
            // The closing run: the next one of as many backticks.
            var close: Int?
            var next = backticks(from: run)
            while !next.isEmpty {
                if next.count == ticks {
                    close = next.lowerBound
                    break
                }
                next = backticks(from: next.upperBound)
            }
            guard let close else { break }  // no span: the rest are literal backticks
            let inner = run..<close
            var words = 0
            var inWord = false
            var code = false
            var korean = false
            for k in inner {
                let c = line[k]
                if Scalars.isHangulSyllable(c) { korean = true }
                if c == 0x20 { inWord = false } else if !inWord { inWord = true; words += 1 }
                if CandidateExtractor.isCodePunctuation(c) || (c == 0x2E && k + 1 < close && CandidateExtractor.isLatinWord(line[k + 1]))
                    || (c == 0x2D && (k == inner.lowerBound || line[k - 1] == 0x20))
                {
                    code = true
                }
            }
            if korean && !code {
                // Hangul in backticks is a term set off (`정점`을), read as prose.
                i = close + ticks
                continue
            }
            if !code && words <= 6 {
                if codeWords.isEmpty { codeWords = [UInt32](repeating: 0, count: end) }
                for k in inner { codeWords[k] = line[k] }
            }
            for k in i..<(close + ticks) {
                line[k] = 0
                lowered[k] = 0x20
            }
            i = close + ticks
        }
    }

    /// Takes out of the line being scanned the marks that close emphasis or a term set off
    /// right before a Hangul syllable (`**정점**을`, `` `정점`을 ``, `~~모델~~은`), so that the
    /// word meets its particle.
    mutating func unwrapEmphasis() {
        let end = line.count
        var out = 0
        var i = 0
        func isMark(_ v: UInt32) -> Bool { v == 0x2A || v == 0x60 || v == 0x7E }
        while i < end {
            if isMark(line[i]) && out > 0 && (Scalars.isHangulSyllable(line[out - 1]) || CandidateExtractor.isLatinWord(line[out - 1])) {
                var j = i
                while j < end && isMark(line[j]) { j += 1 }
                if j < end && Scalars.isHangulSyllable(line[j]) {
                    i = j
                    continue
                }
            }
            line[out] = line[i]
            lowered[out] = lowered[i]
            out += 1
            i += 1
        }
        line.removeLast(end - out)
        lowered.removeLast(end - out)
    }

    /// Blanks TeX math in the line being scanned, `$x_T$` and `$$ ... $$` (which may span
    /// lines: `display` carries it to the next): its letters are symbols, not names. A `$`
    /// followed by a space, or a closing one after a space or before a digit, is no math
    /// (`$5 and $10`).
    mutating func blankMath(_ display: inout Bool) {
        let end = line.count
        var open = display ? 0 : -1  // where display math opened in this line
        var i = 0
        func blank(_ r: Range<Int>) {
            for k in r {
                line[k] = 0
                lowered[k] = 0x20
            }
        }
        while i < end {
            guard line[i] == 0x24 else {
                i += 1
                continue
            }
            if i + 1 < end && line[i + 1] == 0x24 {
                if display { blank(open..<(i + 2)) } else { open = i }
                display.toggle()
                i += 2
                continue
            }
            if !display && i + 1 < end && !Scalars.isSpace(line[i + 1]) {
                var j = i + 1
                while j < end && line[j] != 0x24 { j += 1 }
                if j < end && !Scalars.isSpace(line[j - 1]) && !(j + 1 < end && CandidateExtractor.isDigit(line[j + 1])) {
                    blank(i..<(j + 1))
                    i = j + 1
                    continue
                }
            }
            i += 1
        }
        if display { blank(max(open, 0)..<end) }
    }
}
