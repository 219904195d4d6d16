/// Common English words: general vocabulary, written from general knowledge of the
/// language (the words any frequency list of English starts with), not from any vault. A
/// word on it written capitalized (`Running`, `Store`, `Active`, `Body`) is weaker evidence
/// of a name than one that is not (`Kafka`, `Logstash`): notes capitalize ordinary words in
/// labels, list items and Korean sentences, which have no capitals of their own.
enum EnglishWords {
    static let words: Set<String> = Vocabulary.words("""
        able about above accept access account across act action active activity actual add address admin \
        advance advice affect after again against age agent ago agree ahead aim air alert all allow almost alone \
        along already also alter always amount analysis and animal another answer any anyone anything app apply \
        approach area argue arm around arrange arrive art article artist ask assume attach attack attempt attend \
        audience author auto available average avoid away baby back background bad bag balance ball band bank \
        bar base basic basis battle bear beat beautiful because become bed before begin behavior behind believe \
        below benefit best better between beyond big bill bind bit black blank block blog blood blow blue board \
        boat body book boost border both bottom bound box boy brain branch brand break bridge brief bright bring \
        broad broken brother browse budget build builder building bulk burn business busy buy cache call camera \
        campaign can cancel capital capture car card care career carry case cash cast catch cause cell center \
        central chain chair challenge chance change channel chapter character charge chart cheap check child \
        choice choose church circle city claim class classic clean clear click client climb clock close cloud \
        club coach code coffee cold collect collection college color column combine come comment common \
        community company compare complete complex component compute concept concern condition conference config \
        configure confirm connect connection consider console constant consumer contact contain content context \
        continue contract control convert cool copy core corner correct cost could count country couple course \
        court cover create creative credit crime cross crowd culture cup current custom customer cut cycle daily \
        damage dark data date daughter day dead deal dear death debate debug decade decide decision deep default \
        defense define degree delay delete deliver demand deploy depth describe design desk detail detect \
        develop developer device die difference different difficult digital dinner direct direction director \
        discover discuss disease display distance divide doctor document dog domain door double doubt down draft \
        draw dream dress drink drive driver drop dry due during duty dynamic each early earn east easy eat \
        economy edge edit editor education effect effort either element else email empty enable end energy \
        engine enjoy enough enter entire entry environment equal error escape especially establish estimate even \
        evening event ever every evidence exact exam example exchange exist exit expect expense experience \
        experiment expert explain export expose express extend external extra extract eye face fact factor fail \
        failure fair fall false family fan far farm fast father fault fear feature feel field fight figure file \
        fill film filter final finally find fine finish fire firm first fish fit fix flag flat flight floor flow \
        fly focus folder follow food foot force foreign forget form format forward free fresh friend front full \
        fun function fund future gain game gap garden gas gate general generate get gift girl give glass global \
        goal gold good government grab grant graph great green ground group grow growth guard guess guest guide \
        gun guy hair half hall hand handle hang happen happy hard head health healthy hear heart heat heavy \
        hello help here hero hide high history hit hold hole home hook hope host hot hotel hour house however \
        huge human idea identify image impact import important improve include income increase index indicate \
        individual industry info information input inside insight install instance instead interest internal \
        international interview into invest issue item job join joint journey judge jump just justice keep key \
        kid kill kind king kitchen know knowledge label lack land language large last late later launch law lay \
        layer lead leader learn least leave left leg legal less lesson let letter level library license life \
        lift light like limit line link list listen little live load local lock log logic long look loop lose \
        loss lot love low luck machine main maintain major make male manage managed management manager many map \
        mark market master match material matter may maybe mean measure media medical meet meeting member memory \
        mention menu merge message method middle might mind minute mirror miss mission mobile mode model modern \
        moment money monitor month more morning most mother motion move movie much music must name nation \
        natural nature near need network never new news next nice night node none normal north note nothing \
        notice number object observe offer office officer often old once one online only open operation option \
        optional order organize other out output outside over own owner pack package page pain paint pair panel \
        paper parent part partner party pass past paste patch path patient pattern pause pay peace people per \
        perfect perform performance period permission person personal phone photo pick picture piece place plan \
        plant platform play player please plus pocket point policy political pool poor popular port position \
        positive possible post power practice prepare present press pressure pretty prevent price primary print \
        private problem process produce product production profile program progress project promise promotion \
        proof property protect prove provide public pull purpose push put quality question quick quiet quite \
        race radio raise range rate rather reach read ready real reason receive recent record red reduce \
        reference reflect region register relate release remain remember remove repeat replace report request \
        require research reset resource respond response rest result return review rich ride right ring rise \
        risk road rock role room root round route row rule run running safe sale same sample save say scale \
        scene schedule school science score screen script search season seat second secret section security see \
        seek select self sell send sense sentence separate series serve server service session set setting setup \
        several shadow shake shape share sheet shift ship shoot shop short should show side sign signal simple \
        since single sister site size skill sleep slow small smart social soft software solution solve some \
        someone something son song soon sort sound source south space speak special speech speed spend split \
        sport spot spring staff stage stand standard star start state statement station status stay step still \
        stock stop storage store story strategy street stress strike string strong structure student study stuff \
        style subject submit success such suffer suggest summary summer supply support sure surface surprise \
        switch system table take talk target task tax teach teacher team tech technology tell template term test \
        text than thank that theory there thing think third though thought thread threat through throw time tip \
        title today together tomorrow tonight too tool top topic total touch tough toward town track trade \
        traffic train transfer travel treat tree trend trial trigger trip trouble true trust truth try turn type \
        under understand union unit until up update upload upon usage use user usual valid value variable \
        various version very video view village visit voice volume vote wait walk wall want war warning watch \
        water way weak wear weather web week weight well west what wheel when where whether which while white \
        whole why wide wife will win wind window wing winter wish with within without woman wonder word work \
        worker world worry would write writer wrong yard yeah year yes yet you young your zone
        """)

    /// Whether a key is an identifier made of words joined by `_` of which one is a common
    /// English word (`installed_apps`, `auto_increment`; not `cnn_fm`).
    static func inIdentifier(_ key: String) -> Bool {
        key.contains("_") && key.split(separator: "_").contains { contains(String($0)) }
    }

    /// Whether a lowercase Latin key is a common English word or a regular form of one
    /// (`stores`, `libraries`, `completed`, `pasted`, `running`, `making`, `easily`).
    static func contains(_ key: String) -> Bool {
        if words.contains(key) { return true }
        guard key.utf8.count >= 4, key.utf8.allSatisfy({ $0 >= 0x61 && $0 <= 0x7A }) else { return false }
        func stem(_ suffix: String) -> String? { key.hasSuffix(suffix) ? String(key.dropLast(suffix.count)) : nil }
        func known(_ s: String?) -> Bool {
            guard let s, s.utf8.count >= 2 else { return false }
            if words.contains(s) || words.contains(s + "e") { return true }
            // A doubled final consonant (`running`, `stopped`).
            let u = Array(s.utf8)
            return u.count >= 3 && u[u.count - 1] == u[u.count - 2] && words.contains(String(s.dropLast()))
        }
        if let s = stem("ies"), words.contains(s + "y") { return true }
        return known(stem("ing")) || known(stem("ed")) || known(stem("es")) || known(stem("s")) || known(stem("ly"))
    }
}
