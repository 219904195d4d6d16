// kg-bench: measures kg on a vault as a user runs it (whole commands, process start
// included) and prints a table and JSON.
//
//   swift run -c release kg-bench --vault PATH [--truth FILE] [--runs N] [--json FILE]
//   swift run -c release kg-bench --notes N [--seed S] ...     (generates a vault itself)
//
// The vault is copied to a temporary folder first, so kg's index is never written into it.
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

struct Options {
    var vault: String?
    var notes = 0
    var seed = 1
    var truth: String?
    var runs = 7
    var json: String?
}

func parse() -> Options {
    var o = Options()
    var args = Array(CommandLine.arguments.dropFirst())
    func value() -> String {
        guard !args.isEmpty else {
            FileHandle.standardError.write(Data("kg-bench: missing value\n".utf8))
            exit(64)
        }
        return args.removeFirst()
    }
    while !args.isEmpty {
        let a = args.removeFirst()
        switch a {
        case "--vault": o.vault = value()
        case "--notes": o.notes = Int(value()) ?? 0
        case "--seed": o.seed = Int(value()) ?? 1
        case "--truth": o.truth = value()
        case "--runs": o.runs = max(1, Int(value()) ?? 7)
        case "--json": o.json = value()
        default:
            FileHandle.standardError.write(Data("usage: kg-bench (--vault PATH | --notes N [--seed S]) [--truth FILE] [--runs N] [--json FILE]\n".utf8))
            exit(64)
        }
    }
    if o.vault == nil && o.notes <= 0 { o.notes = 1000 }
    return o
}

/// Runs a command; returns wall seconds, peak RSS in KiB, exit status and stdout.
@discardableResult
func run(_ path: String, _ args: [String], capture: Bool = false, environment: [String: String] = [:]) -> (seconds: Double, rssKB: Int, status: Int32, out: Data) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: path)
    p.arguments = args
    if !environment.isEmpty { p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
    let pipe = Pipe()
    p.standardOutput = capture ? pipe : FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    var start = timespec()
    clock_gettime(CLOCK_MONOTONIC, &start)
    do { try p.run() } catch { return (0, 0, -1, Data()) }
    var out = Data()
    if capture { out = pipe.fileHandleForReading.readDataToEndOfFile() }
    var status: Int32 = 0
    var usage = rusage()
    wait4(p.processIdentifier, &status, 0, &usage)
    var end = timespec()
    clock_gettime(CLOCK_MONOTONIC, &end)
    let seconds = Double(end.tv_sec - start.tv_sec) + Double(end.tv_nsec - start.tv_nsec) / 1e9
    return (seconds, Int(usage.ru_maxrss), (status >> 8) & 0xFF, out)
}

/// `run`, with the peak resident memory of the command itself: measured by `/usr/bin/time`
/// when it is there. (A child's `ru_maxrss` from `wait4` also counts the memory of this
/// process at the time it was forked, which grows as kg-bench reads its truth files.)
func runMeasuringPeak(_ path: String, _ args: [String]) -> (seconds: Double, rssKB: Int) {
    let time = "/usr/bin/time"
    guard FileManager.default.isExecutableFile(atPath: time) else {
        let r = run(path, args)
        return (r.seconds, r.rssKB)
    }
    let report = FileManager.default.temporaryDirectory.appendingPathComponent("kg-bench-time-\(getpid())").path
    let r = run(time, ["-f", "%M", "-o", report, path] + args)
    let text = (try? String(contentsOfFile: report, encoding: .utf8)) ?? ""
    try? FileManager.default.removeItem(atPath: report)
    let kb = text.split(separator: "\n").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }.last ?? r.rssKB
    return (r.seconds, kb)
}

struct Stat {
    var median: Double
    var min: Double
    var max: Double
    init(_ xs: [Double]) {
        let s = xs.sorted()
        median = s.isEmpty ? 0 : (s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2)
        min = s.first ?? 0
        max = s.last ?? 0
    }
}

let options = parse()
let kg = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("kg").path
guard FileManager.default.isExecutableFile(atPath: kg) else {
    FileHandle.standardError.write(Data("kg-bench: build kg first (swift build -c release): \(kg) not found\n".utf8))
    exit(1)
}
let work = FileManager.default.temporaryDirectory.appendingPathComponent("kg-bench-\(getpid())").path
try? FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(atPath: work) }
let vault = work + "/vault"
var truthPath = options.truth
if let source = options.vault {
    _ = run("/bin/cp", ["-R", source, vault])
    try? FileManager.default.removeItem(atPath: vault + "/.kg/index")
} else {
    let truth = work + "/truth.json"
    Generator(notes: options.notes, seed: options.seed).write(to: vault, truth: truth)
    truthPath = truthPath ?? truth
}
_ = run("/bin/sh", ["-c", "find '\(vault)' -type f -name '*.md' -print0 | xargs -0 cat > /dev/null"])
var vaultBytes = 0
var noteCount = 0
if let e = FileManager.default.enumerator(atPath: vault) {
    for case let f as String in e where f.hasSuffix(".md") && !f.hasPrefix(".kg") {
        noteCount += 1
        vaultBytes += (try? FileManager.default.attributesOfItem(atPath: vault + "/" + f)[.size] as? Int) ?? 0
    }
}
let runs = options.runs
var results: [(String, Stat, String)] = []  // name, seconds, note
@MainActor func measure(_ name: String, _ note: String = "", _ body: () -> Double) {
    var xs: [Double] = []
    for _ in 0..<runs { xs.append(body()) }
    results.append((name, Stat(xs), note))
}

// Full builds, with peak memory: a first build (no index yet: each note is read, hashed and
// analysed at once, unless a note defines an entity) and `--rebuild` (every note analysed
// again; unchanged files are settled by stat and read once).
var peak = 0
var firstPeak = 0
measure("first build (no index yet)") {
    try? FileManager.default.removeItem(atPath: vault + "/.kg/index")
    let r = runMeasuringPeak(kg, ["index", "--vault", vault])
    firstPeak = max(firstPeak, r.rssKB)
    return r.seconds
}
measure("full build (index --rebuild)") {
    let r = runMeasuringPeak(kg, ["index", "--rebuild", "--vault", vault])
    peak = max(peak, r.rssKB)
    return r.seconds
}
/// Bytes of kg's index on disk: the index file, and the base file of a delta.
func indexFootprint() -> Int {
    ["index", "index.base"].reduce(0) { sum, name in
        sum + ((try? FileManager.default.attributesOfItem(atPath: vault + "/.kg/" + name)[.size] as? Int) ?? 0)
    }
}
let indexBytes = indexFootprint()
usleep(2_100_000)  // let files leave the racy window, as they would on a real vault
_ = run(kg, ["index", "--vault", vault])
measure("no-change refresh (index)") { run(kg, ["index", "--vault", vault]).seconds }
let notePaths = (FileManager.default.enumerator(atPath: vault)?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".md") && !$0.hasPrefix(".kg") }.sorted()
// Reference commands measured in the same run, next to the kg figures they bound: a change
// scan (`find` with stat) and ripgrep (when installed), so that the ratios hold on a noisy
// machine.
func executable(_ name: String) -> String? {
    for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
        let p = "\(dir)/\(name)"
        if FileManager.default.isExecutableFile(atPath: p) { return p }
    }
    return nil
}
if let find = executable("find") {
    measure("reference: find + stat") { run(find, [vault, "-type", "f", "-name", "*.md", "-printf", "%T@ %s %p\n"]).seconds }
}
var edit = 0
measure("refresh after editing one note") {
    let path = vault + "/" + notePaths[(edit * 7919) % max(1, notePaths.count)]
    edit += 1
    if let h = FileHandle(forWritingAtPath: path) {
        h.seekToEndOfFile()
        h.write(Data("\n편집 \(edit) FFM\n".utf8))
        h.closeFile()
    }
    return run(kg, ["index", "--vault", vault]).seconds
}
// After the edits the index is a delta over the base file: both count.
let editedIndexBytes = indexFootprint()
usleep(2_100_000)
_ = run(kg, ["index", "--vault", vault])
if let rg = executable("rg") {
    measure("reference: rg -c 카카오") { run(rg, ["-c", "카카오", vault]).seconds }
    measure("reference: rg -c LightGCN") { run(rg, ["-c", "LightGCN", vault]).seconds }
}
measure("search 카카오 (freshness check)") { run(kg, ["search", "카카오", "--vault", vault]).seconds }
measure("search LightGCN (freshness check)") { run(kg, ["search", "LightGCN", "--vault", vault]).seconds }
measure("related FFM (freshness check)") { run(kg, ["related", "FFM", "--vault", vault]).seconds }

// Known fresh: a watcher holds the index.
let watcher = Process()
watcher.executableURL = URL(fileURLWithPath: kg)
watcher.arguments = ["watch", "--vault", vault]
watcher.standardOutput = FileHandle.nullDevice
watcher.standardError = FileHandle.nullDevice
try? watcher.run()
// Running means settled: its start (a check of the vault, a compaction of the delta the
// edits above left) is over, as it is for a watcher someone left running.
usleep(1_500_000)
waitUntilIdle()
measure("search 카카오 (watcher running)") { run(kg, ["search", "카카오", "--vault", vault]).seconds }
measure("search LightGCN (watcher running)") { run(kg, ["search", "LightGCN", "--vault", vault]).seconds }
measure("related FFM (watcher running)") { run(kg, ["related", "FFM", "--vault", vault]).seconds }
// The same, the command opening the index itself instead of asking the watcher.
measure("search 카카오 (watcher running, KG_LOCAL=1)") { run(kg, ["search", "카카오", "--vault", vault], environment: ["KG_LOCAL": "1"]).seconds }
measure("related FFM (watcher running, KG_LOCAL=1)") { run(kg, ["related", "FFM", "--vault", vault], environment: ["KG_LOCAL": "1"]).seconds }

// Save → visible: a note written with a fresh word, then `kg search WORD --no-refresh` run
// until it finds the note (the search's own time included, as a user waits for it).
func watcherRSSKB() -> Int {
    guard let status = try? String(contentsOfFile: "/proc/\(watcher.processIdentifier)/status", encoding: .utf8) else { return 0 }
    for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }
    return 0
}
func watcherCPUSeconds() -> Double {
    guard let stat = try? String(contentsOfFile: "/proc/\(watcher.processIdentifier)/stat", encoding: .utf8),
        let close = stat.lastIndex(of: ")")
    else { return 0 }
    let fields = stat[stat.index(after: close)...].split(separator: " ")
    // utime and stime are fields 14 and 15; after the command name, 12 and 13 (0-based 11, 12).
    guard fields.count > 12, let u = Double(fields[11]), let k = Double(fields[12]) else { return 0 }
    return (u + k) / Double(sysconf(Int32(_SC_CLK_TCK)))
}
/// Waits (at most a minute) until the watcher has used no CPU for half a second.
func waitUntilIdle() {
    var last = watcherCPUSeconds()
    for _ in 0..<120 {
        usleep(500_000)
        let now = watcherCPUSeconds()
        if now == last { return }
        last = now
    }
}
func save(_ i: Int, word: String) {
    let path = vault + "/00 kg-bench save \(i % 5).md"
    _ = FileManager.default.createFile(atPath: path, contents: Data("# 저장 \(i)\n\(word) 노트, FFM 과 카카오\n".utf8))
}
var latencies: [Double] = []
for i in 0..<50 {
    let word = "kgbenchfresh\(i)x"
    let start = Date()
    save(i, word: word)
    while Date().timeIntervalSince(start) < 10 {
        if String(decoding: run(kg, ["search", word, "--no-refresh", "--vault", vault], capture: true).out, as: UTF8.self).contains("kg-bench save") { break }
    }
    latencies.append(Date().timeIntervalSince(start))
    usleep(50_000)
}
latencies.sort()
let saveMedian = latencies[latencies.count / 2]
let saveP95 = latencies[min(latencies.count - 1, Int(Double(latencies.count) * 0.95))]

// Soak: many saves; the watcher's resident memory after the first 50 and at the end.
let soakSaves = noteCount >= 50_000 ? 200 : 1000
var rssAfter50 = 0
for i in 0..<soakSaves {
    save(i, word: "soak\(i)")
    usleep(30_000)
    if i == 49 {
        usleep(500_000)
        rssAfter50 = watcherRSSKB()
    }
}
usleep(1_500_000)
let rssEnd = watcherRSSKB()
// Idle: the watcher's CPU time over 30 s with nothing changing, per minute, once it has
// settled: the one compaction that follows the last save (after 5 s of quiet) is timed apart.
let cpuAfterSoak = watcherCPUSeconds()
sleep(10)
let compactionCPU = watcherCPUSeconds() - cpuAfterSoak
let cpuBefore = watcherCPUSeconds()
sleep(30)
let idleCPUPerMinute = (watcherCPUSeconds() - cpuBefore) * 2
watcher.interrupt()
watcher.waitUntilExit()
// The watched index answers as a rebuild of the same notes does.
let rebuilt = work + "/rebuilt"
_ = run("/bin/cp", ["-R", vault, rebuilt])
_ = run(kg, ["index", "--rebuild", "--vault", rebuilt])
var soakSame = true
for q in [["mentions", "--limit", "0"], ["entities", "--limit", "0"], ["export"], ["search", "카카오", "--limit", "0"], ["search", "soak999"],
    ["related", "FFM", "--limit", "0"]]
{
    let a = run(kg, q + ["--json", "--no-refresh", "--vault", vault], capture: true).out
    let b = run(kg, q + ["--json", "--no-refresh", "--vault", rebuilt], capture: true).out
    if a != b { soakSame = false }
}

// Mentions against the truth file.
var precision: Double?
var recall: Double?
if let truthPath, let data = FileManager.default.contents(atPath: truthPath),
    let truth = try? JSONSerialization.jsonObject(with: data) as? [String: Any], let docs = truth["docs"] as? [[String: Any]]
{
    // Undo the benchmark's edits before comparing.
    if let source = options.vault {
        for p in notePaths { _ = run("/bin/cp", [source + "/" + p, vault + "/" + p]) }
    } else {
        Generator(notes: options.notes, seed: options.seed).write(to: vault, truth: work + "/truth.json")
    }
    let out = run(kg, ["mentions", "--json", "--limit", "0", "--vault", vault], capture: true).out
    var got: [String: [String: Int]] = [:]
    if let rows = try? JSONSerialization.jsonObject(with: out) as? [[String: Any]] {
        for r in rows {
            if let n = r["note"] as? String, let e = r["entity"] as? String { got[n, default: [:]][e, default: 0] += 1 }
        }
    }
    var tp = 0
    var fp = 0
    var fn = 0
    for d in docs {
        guard let path = d["path"] as? String else { continue }
        let expected = d["entities"] as? [String: Int] ?? [:]
        let found = got[path] ?? [:]
        for e in Set(expected.keys).union(found.keys) {
            let a = expected[e] ?? 0
            let b = found[e] ?? 0
            tp += min(a, b)
            fp += max(0, b - a)
            fn += max(0, a - b)
        }
    }
    precision = tp + fp > 0 ? Double(tp) / Double(tp + fp) : 1
    recall = tp + fn > 0 ? Double(tp) / Double(tp + fn) : 1
}

// Discovery: the same notes without their lexicon, so that kg finds the entities itself;
// its first build timed (with peak memory), a one-note update, and what it found compared
// with the vocabulary the generator wrote as the lexicon.
var discovery: (precision: Double, recall: Double, found: Int, vocabulary: Int, companies: Int, companiesTyped: Int)?
var discoveryPeak = 0
let lexiconPath = vault + "/.kg/lexicon.txt"
if let lexiconText = try? String(contentsOfFile: lexiconPath, encoding: .utf8) {
    let bare = work + "/discovery"
    _ = run("/bin/cp", ["-R", vault, bare])
    try? FileManager.default.removeItem(atPath: bare + "/.kg")
    func key(_ s: String) -> String {
        let t = s.precomposedStringWithCanonicalMapping.lowercased()
        return t.unicodeScalars.contains { $0.value >= 0xAC00 && $0.value <= 0xD7A3 } ? t.replacingOccurrences(of: " ", with: "") : t
    }
    // The vocabulary: canonical name -> (type, every key).
    var vocabulary: [String: (type: String, keys: Set<String>)] = [:]
    for line in lexiconText.split(separator: "\n") where !line.hasPrefix("#") {
        guard let colon = line.firstIndex(of: ":") else { continue }
        let names = line[line.index(after: colon)...].split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard let first = names.first else { continue }
        vocabulary[first] = (line[..<colon].trimmingCharacters(in: .whitespaces), Set(names.map(key)))
    }
    // Only what the notes mention counts towards recall.
    var mentioned = Set<String>()
    if let truthPath, let data = FileManager.default.contents(atPath: truthPath),
        let truth = try? JSONSerialization.jsonObject(with: data) as? [String: Any], let docs = truth["docs"] as? [[String: Any]]
    {
        for d in docs { for e in (d["entities"] as? [String: Int] ?? [:]).keys { mentioned.insert(e) } }
    } else {
        mentioned = Set(vocabulary.keys)
    }
    measure("first build, discovery on (no lexicon)") {
        try? FileManager.default.removeItem(atPath: bare + "/.kg/index")
        let r = runMeasuringPeak(kg, ["index", "--vault", bare])
        discoveryPeak = max(discoveryPeak, r.rssKB)
        return r.seconds
    }
    usleep(2_100_000)
    _ = run(kg, ["index", "--vault", bare])
    var bareEdit = 0
    measure("refresh after editing one note, discovery on") {
        let path = bare + "/" + notePaths[(bareEdit * 7919 + 13) % max(1, notePaths.count)]
        bareEdit += 1
        if let h = FileHandle(forWritingAtPath: path) {
            h.seekToEndOfFile()
            h.write(Data("\n편집 \(bareEdit) FFM\n".utf8))
            h.closeFile()
        }
        return run(kg, ["index", "--vault", bare]).seconds
    }
    let out = run(kg, ["entities", "--json", "--limit", "0", "--vault", bare], capture: true).out
    let rows = (try? JSONSerialization.jsonObject(with: out) as? [[String: Any]]) ?? []
    var right = 0
    var hit = Set<String>()
    var companies = 0
    var companiesTyped = 0
    for r in rows where r["source"] as? String == "discovered" {
        let keys = Set(([r["name"] as? String ?? ""] + (r["aliases"] as? [String] ?? [])).map(key))
        guard let match = vocabulary.first(where: { !$0.value.keys.isDisjoint(with: keys) }) else { continue }
        right += 1
        hit.insert(match.key)
        if match.value.type == "company" {
            companies += 1
            if r["type"] as? String == "company" { companiesTyped += 1 }
        }
    }
    let found = rows.filter { $0["source"] as? String == "discovered" }.count
    let wanted = mentioned.intersection(vocabulary.keys)
    discovery = (found > 0 ? Double(right) / Double(found) : 1, wanted.isEmpty ? 1 : Double(hit.intersection(wanted).count) / Double(wanted.count),
        found, wanted.count, companies, companiesTyped)
}

// Report.
func ms(_ s: Double) -> String { String(format: "%.1f ms", s * 1000) }
var table = "kg-bench: \(noteCount) notes, \(String(format: "%.1f", Double(vaultBytes) / 1e6)) MB, \(runs) runs each (median [min – max])\n"
for (name, s, _) in results {
    table += name.padding(toLength: 38, withPad: " ", startingAt: 0) + "\(ms(s.median))  [\(ms(s.min)) – \(ms(s.max))]\n"
}
table += "index size".padding(toLength: 38, withPad: " ", startingAt: 0) + String(format: "%.1f MB (%.0f%% of the vault)\n", Double(indexBytes) / 1e6, 100 * Double(indexBytes) / Double(max(1, vaultBytes)))
table += "index size after the edits".padding(toLength: 38, withPad: " ", startingAt: 0) + String(format: "%.1f MB (%.0f%% of the vault)\n", Double(editedIndexBytes) / 1e6, 100 * Double(editedIndexBytes) / Double(max(1, vaultBytes)))
table += "peak memory of a full build".padding(toLength: 38, withPad: " ", startingAt: 0) + "\(peak / 1024) MB (first build \(firstPeak / 1024) MB)\n"
if let d = discovery {
    table += "discovery vs the vocabulary".padding(toLength: 38, withPad: " ", startingAt: 0)
        + String(format: "precision %.3f, recall %.3f (%d found, %d in the notes), companies typed %d/%d, peak %d MB\n", d.precision,
            d.recall, d.found, d.vocabulary, d.companiesTyped, d.companies, discoveryPeak / 1024)
}
if let precision, let recall {
    table += "mentions vs truth".padding(toLength: 38, withPad: " ", startingAt: 0) + String(format: "precision %.4f, recall %.4f\n", precision, recall)
}
table += "save → visible (watcher, 50 saves)".padding(toLength: 38, withPad: " ", startingAt: 0)
    + String(format: "median %.1f ms, p95 %.1f ms\n", saveMedian * 1000, saveP95 * 1000)
table += "soak: watcher RSS, \(soakSaves) saves".padding(toLength: 38, withPad: " ", startingAt: 0)
    + String(format: "%d MB after 50, %d MB at the end (%+.1f MB); watched == rebuilt: %@\n", rssAfter50 / 1024, rssEnd / 1024,
        Double(rssEnd - rssAfter50) / 1024, soakSame ? "yes" : "NO")
table += "idle watcher CPU".padding(toLength: 38, withPad: " ", startingAt: 0)
    + String(format: "%.3f s per minute (after the compaction that follows the last save: %.3f s)\n", idleCPUPerMinute, compactionCPU)
// The targets that are ratios to a reference measured in this run.
@MainActor func median(_ name: String) -> Double? { results.first { $0.0 == name }?.1.median }
var ratios: [(String, Double)] = []
if let f = median("reference: find + stat"), f > 0, let u = median("refresh after editing one note") {
    ratios.append(("ratio: one-note update / find+stat", u / f))
}
for term in ["카카오", "LightGCN"] {
    if let a = median("search \(term) (freshness check)"), let b = median("reference: rg -c \(term)"), b > 0 {
        ratios.append(("ratio: search \(term) / rg", a / b))
    }
}
for (name, x) in ratios {
    table += name.padding(toLength: 38, withPad: " ", startingAt: 0) + String(format: "%.2f×\n", x)
}
print(table, terminator: "")
var json: [String: Any] = ["notes": noteCount, "vault_bytes": vaultBytes, "runs": runs, "index_bytes": indexBytes, "index_bytes_after_edits": editedIndexBytes, "peak_rss_kb": peak,
    "first_build_peak_rss_kb": firstPeak]
json["ratios"] = Dictionary(uniqueKeysWithValues: ratios.map { ($0.0, $0.1) })
json["watcher"] = ["save_visible_median_s": saveMedian, "save_visible_p95_s": saveP95, "soak_saves": soakSaves, "rss_after_50_kb": rssAfter50,
    "rss_end_kb": rssEnd, "watched_equals_rebuilt": soakSame, "idle_cpu_s_per_minute": idleCPUPerMinute, "compaction_cpu_s": compactionCPU]
json["timings"] = results.map { ["name": $0.0, "median_s": $0.1.median, "min_s": $0.1.min, "max_s": $0.1.max] }
if let d = discovery {
    json["discovery"] = ["precision": d.precision, "recall": d.recall, "found": d.found, "vocabulary": d.vocabulary,
        "companies": d.companies, "companies_typed": d.companiesTyped, "first_build_peak_rss_kb": discoveryPeak]
}
if let precision, let recall {
    json["precision"] = precision
    json["recall"] = recall
}
if let data = try? JSONSerialization.data(withJSONObject: json, options: [.prettyPrinted, .sortedKeys]) {
    if let path = options.json {
        _ = FileManager.default.createFile(atPath: path, contents: data)
    } else {
        print(String(decoding: data, as: UTF8.self))
    }
}
