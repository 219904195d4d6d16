/// Korean particles, particle stacks and copula endings that may follow a name.
///
/// Each form says which final consonant it may follow: `을` and `으로` only after a consonant,
/// `를` and `로` only after a vowel (`로` also after ㄹ), `의` after anything.
public enum Particles {
    enum Fit: Sendable {
        case any, afterConsonant, afterVowel, afterConsonantNotRieul, afterVowelOrRieul
    }

    static let particles = """
        이 가 께서 을 를 의 에 에서 에게 에게서 한테 한테서 께 더러 으로 로 으로서 로서 으로써 로써 \
        으로부터 로부터 에서부터 처럼 같이 만큼 보다 대로 과 와 하고 이랑 랑 이며 며 에다 에다가 은 는 \
        도 만 까지 부터 조차 마저 이나 나 이나마 나마 이라도 라도 이든지 든지 이든 든 밖에 뿐 마다 \
        이야말로 야말로 이야 야 요 이라고 라고 이란 란 이라는 라는 들 들이 들을 들은 들의 들과 들도 들에게
        """
    static let stacks = """
        에서는 에서도 에서만 에서의 에서부터 에서까지 에서처럼 에서조차 에서라도 에는 에도 에만 에의 \
        에게는 에게도 에게만 한테는 한테도 으로는 로는 으로도 로도 으로만 로만 으로의 로의 으로서는 로서는 \
        으로서의 로서의 으로부터의 로부터의 와는 과는 와도 과도 와의 과의 와만 과만 이랑은 랑은 이랑도 랑도 \
        하고는 하고도 까지는 까지도 까지만 까지의 까지를 부터는 부터도 부터의 만은 만이 만을 만의 만으로 \
        만으로도 만큼은 만큼의 만큼도 보다는 보다도 처럼은 처럼도 마다의 대로의
        """
    static let copula = """
        이다 다 이고 고 이지만 지만 이었다 였다 이었던 였던 인 이라서 라서 입니다 이에요 예요 임 \
        이므로 므로 인데 인가 인지 이죠 죠
        """

    /// Every form with the final consonants it fits.
    static let table: [String: Fit] = {
        let all = (particles + " " + stacks + " " + copula).split(separator: " ").map(String.init)
        let set = Set(all)
        var table: [String: Fit] = [:]
        let explicitConsonant: Set<String> = ["이", "을", "은", "과", "이에요", "이었다", "이었던"]
        let explicitVowel: Set<String> = ["가", "를", "는", "와", "예요", "였다", "였던"]
        for form in all {
            let fit: Fit
            if form.hasPrefix("으로") {
                fit = .afterConsonantNotRieul
            } else if form.hasPrefix("로") {
                fit = .afterVowelOrRieul
            } else if explicitConsonant.contains(form) || form.hasPrefix("과") {
                fit = .afterConsonant
            } else if explicitVowel.contains(form) || form.hasPrefix("와") {
                fit = .afterVowel
            } else if form.hasPrefix("이"), set.contains(String(form.dropFirst())) {
                fit = .afterConsonant
            } else if set.contains("이" + form) {
                fit = .afterVowel
            } else {
                fit = .any
            }
            table[form] = fit
        }
        return table
    }()

    /// The longest particle form, in syllables: a longer Hangul run is never a particle.
    static let maxLength = table.keys.map { $0.unicodeScalars.count }.max() ?? 0

    /// Forms that follow nouns but also end verbs and adjectives (`하는`, `좋다`, `있고`), or
    /// end a noun's own syllables (`온라인`): discovery does not take them as evidence of a noun.
    static let ambiguous: Set<String> = Set(copula.split(separator: " ").map(String.init)).union([
        "인", "임", "다", "고", "며", "이며", "야", "이야", "요", "란", "이란", "라는", "이라는", "든", "이든", "든지", "이든지",
        "뿐", "나마", "이나마", "야말로", "이야말로", "더러", "께", "께서", "라고", "이라고", "는", "은", "나", "이나",
    ])

    /// Whether `run` is a particle that `last` may be followed by and that says the word
    /// before it is a noun: a case particle, not a form verbs end in too.
    static func fitsNounParticle(_ run: some Collection<UInt32>, after last: UInt32) -> Bool {
        guard fits(run, after: last) else { return false }
        let isAmbiguous: Bool
        if let k = packed(run) {
            isAmbiguous = packedAmbiguous.contains(k)
        } else {
            isAmbiguous = ambiguous.contains(string(run))
        }
        if !isAmbiguous { return true }
        // 은/는 and 이나/나 after a syllable that cannot end a verb stem's adnominal form.
        return run.count == 1 && (run.first == 0xC740 || run.first == 0xB294) && !adnominalStemFinals.contains(last)
    }

    /// 하되있없않같싶한된할될던: syllables that end verb stems and adnominal forms.
    private static let adnominalStemFinals = ScalarBits("하되있없않같싶한된할될던".unicodeScalars.map(\.value))

    /// The first syllables of the forms: a run that starts with another is no particle.
    static let initials = ScalarBits(table.keys.compactMap { $0.unicodeScalars.first?.value })

    /// A run of at most four Hangul syllables as one number (14 bits a syllable, each at
    /// least 1, so runs of different lengths differ): the particle tables are looked up in
    /// the matcher's and discovery's inner loops, where hashing a `String` costs too much.
    @inline(__always) static func packed(_ run: some Collection<UInt32>) -> UInt64? {
        var k: UInt64 = 0
        var n = 0
        for v in run {
            n += 1
            guard n <= 4, v >= 0xAC00, v <= 0xD7A3 else { return nil }
            k = k << 14 | UInt64(v - 0xAC00 + 1)
        }
        return k
    }

    private static func string(_ run: some Collection<UInt32>) -> String {
        var view = String.UnicodeScalarView()
        for v in run { if let s = Unicode.Scalar(v) { view.append(s) } }
        return String(view)
    }

    private static let packedTable: [UInt64: Fit] = {
        var out: [UInt64: Fit] = [:]
        for (form, fit) in table {
            if let k = packed(form.unicodeScalars.map(\.value)) { out[k] = fit }
        }
        return out
    }()
    private static let packedAmbiguous = Set(ambiguous.compactMap { packed($0.unicodeScalars.map(\.value)) })

    /// The form `run` is, if it is one, with what it fits after.
    private static func form(_ run: some Collection<UInt32>) -> Fit? {
        if run.count > maxLength { return nil }
        // Every form is Hangul: a short run that does not pack is no particle.
        return run.count <= 4 ? packed(run).flatMap { packedTable[$0] } : table[string(run)]
    }

    /// Whether a Hangul run is a particle form, whatever the syllable before it (`EDA를`,
    /// `LightGCN은`: after Latin letters either form of a pair is written).
    static func isForm(_ run: some Collection<UInt32>) -> Bool {
        !run.isEmpty && form(run) != nil
    }

    /// Whether the Hangul run `run` may follow a name whose last syllable is `last`.
    ///
    /// `last` is a Hangul syllable; `run` holds Hangul syllables only.
    public static func fits(_ run: some Collection<UInt32>, after last: UInt32) -> Bool {
        if run.isEmpty { return true }
        guard let fit = form(run) else { return false }
        let t = Scalars.finalConsonant(last)
        switch fit {
        case .any: return true
        case .afterConsonant: return t != 0
        case .afterVowel: return t == 0
        case .afterConsonantNotRieul: return t != 0 && t != 8
        case .afterVowelOrRieul: return t == 0 || t == 8
        }
    }
}
