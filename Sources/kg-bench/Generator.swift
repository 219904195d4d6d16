import Foundation

/// A deterministic synthetic vault: Korean sentences with English ML jargon, particles glued
/// to names, headings, lists, fenced code (mentions there do not count) and traps
/// (카카오뱅크 is not 카카오, FMCG is not FM, 파이프라인 is not 라인). Writes the lexicon and a
/// truth file in the format of ../shared/bench/gen_vault.py (`{"docs": [{"path", "entities"}]}`).
struct Generator {
    let notes: Int
    let seed: Int

    struct Name {
        let canonical: String
        let surfaces: [String]
        let type: String
    }

    static let names: [Name] = [
        Name(canonical: "FM", surfaces: ["FM", "fm", "Factorization Machine"], type: "concept"),
        Name(canonical: "FFM", surfaces: ["FFM", "ffm"], type: "concept"),
        Name(canonical: "DeepFM", surfaces: ["DeepFM", "deepfm"], type: "concept"),
        Name(canonical: "LightGCN", surfaces: ["LightGCN", "lightgcn"], type: "concept"),
        Name(canonical: "DeepCoNN", surfaces: ["DeepCoNN", "deepconn"], type: "concept"),
        Name(canonical: "CatBoost", surfaces: ["CatBoost", "catboost"], type: "concept"),
        Name(canonical: "BERT", surfaces: ["BERT", "bert"], type: "concept"),
        Name(canonical: "MLflow", surfaces: ["MLflow", "Mlflow", "mlflow"], type: "tool"),
        Name(canonical: "Airflow", surfaces: ["Airflow", "airflow"], type: "tool"),
        Name(canonical: "Docker", surfaces: ["Docker", "도커"], type: "tool"),
        Name(canonical: "카카오", surfaces: ["카카오", "Kakao"], type: "company"),
        Name(canonical: "카카오뱅크", surfaces: ["카카오뱅크"], type: "company"),
        Name(canonical: "네이버", surfaces: ["네이버", "Naver"], type: "company"),
        Name(canonical: "라인", surfaces: ["라인"], type: "company"),
        Name(canonical: "스캐터랩", surfaces: ["스캐터랩", "Scatter Lab"], type: "company"),
        Name(canonical: "당근마켓", surfaces: ["당근마켓", "당근 마켓"], type: "company"),
        Name(canonical: "구글", surfaces: ["구글", "Google"], type: "company"),
    ]
    static let fillers = ["오늘은", "모델을", "학습시켜서", "성능이", "좋았다", "면접에서", "질문이", "나왔다", "데이터", "파이프라인을",
        "정리했다", "실험", "결과를", "비교했다", "추천", "서빙", "FMCG", "분야는", "같이", "공부했다", "리뷰", "논문을", "읽었다"]
    static let folders = ["면접", "스터디/추천", "회사/기록", "daily", "projects/mlops"]

    struct Rng {
        var state: UInt64
        mutating func next(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(max(n, 1)))
        }
    }

    /// A particle that fits the surface's last character.
    static func particle(after surface: String, _ rng: inout Rng) -> String {
        guard let last = surface.unicodeScalars.last else { return "" }
        let v = last.value
        if v >= 0xAC00 && v <= 0xD7A3 {
            let consonant = (v - 0xAC00) % 28 != 0
            let pairs = [("은", "는"), ("이", "가"), ("을", "를"), ("과", "와"), ("에서", "에서"), ("의", "의"), ("도", "도")]
            let p = pairs[rng.next(pairs.count)]
            return consonant ? p.0 : p.1
        }
        return ["은", "을", "로", "", " ", "에서", ","][rng.next(7)]
    }

    func write(to vault: String, truth: String) {
        let fm = FileManager.default
        try? fm.createDirectory(atPath: vault + "/.kg", withIntermediateDirectories: true)
        var lexicon = "# kg-bench generated lexicon\n"
        for n in Generator.names { lexicon += "\(n.type): " + n.surfaces.joined(separator: " | ") + "\n" }
        _ = fm.createFile(atPath: vault + "/.kg/lexicon.txt", contents: Data(lexicon.utf8))
        var rng = Rng(state: UInt64(seed) &* 0x9E37_79B9_7F4A_7C15 &+ 1)
        var docs: [[String: Any]] = []
        for i in 0..<notes {
            let folder = Generator.folders[rng.next(Generator.folders.count)]
            let path = "\(folder)/note \(i).md"
            var counts: [String: Int] = [:]
            var text = ""
            if rng.next(3) == 0 { text += "---\ntitle: 노트 \(i)\ntags: [recsys, 면접]\n---\n" }
            for section in 0..<(1 + rng.next(4)) {
                text += "\n# 섹션 \(section)\n\n"
                for _ in 0..<(2 + rng.next(6)) {
                    var line = rng.next(2) == 0 ? "- " : ""
                    for _ in 0..<(4 + rng.next(10)) {
                        if rng.next(3) == 0 {
                            let n = Generator.names[min(rng.next(Generator.names.count), rng.next(Generator.names.count))]
                            let s = n.surfaces[rng.next(n.surfaces.count)]
                            line += s + Generator.particle(after: s, &rng) + " "
                            counts[n.canonical, default: 0] += 1
                        } else {
                            line += Generator.fillers[rng.next(Generator.fillers.count)] + " "
                        }
                    }
                    text += line + "\n"
                }
                if rng.next(4) == 0 { text += "\n```python\nmlflow.log_metric(\"FM\", 0.1)  # 카카오\n```\n" }
            }
            try? fm.createDirectory(atPath: vault + "/" + folder, withIntermediateDirectories: true)
            _ = fm.createFile(atPath: vault + "/" + path, contents: Data(text.utf8))
            docs.append(["path": path, "entities": counts])
        }
        if let data = try? JSONSerialization.data(withJSONObject: ["generator": "kg-bench", "notes": notes, "seed": seed, "docs": docs], options: [.sortedKeys]) {
            _ = fm.createFile(atPath: truth, contents: data)
        }
    }
}
