/// General vocabulary that discovery does not propose: everyday Korean nouns and English
/// words, and the cues that tell a company from a concept. Written from general knowledge
/// of the two languages (frequency lists of common words), not from any one vault.
enum Vocabulary {
    static func words(_ text: String) -> Set<String> {
        Set(text.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init))
    }

    /// Everyday Korean nouns, pronouns, counters and bound nouns: words any note uses.
    static let koreanEveryday: Set<String> = words("""
        것 거 수 때 곳 점 중 등 및 또 더 안 밖 위 아래 앞 뒤 옆 속 사이 간 이후 이전 전 후 다음 지금 오늘 내일 어제 이번 \
        저번 다음번 요즘 최근 당시 처음 마지막 끝 시작 시간 기간 날 주 달 월 년 해 번 개 명 분 초 개월 주일 하루 이틀 \
        사람 사람들 우리 저희 나 너 저 그 이 제 내 자기 자신 본인 누구 무엇 뭐 어디 언제 왜 어떻게 모두 모든 각 각각 \
        이건 그건 저건 이걸 그걸 저걸 누군가 무언가 \
        혹은 또는 또한 그리고 그러나 하지만 그래서 따라서 그러므로 그런데 게다가 즉 특히 주로 보통 대개 거의 역시 \
        이미 아직 벌써 점점 훨씬 여러개 여러가지 \
        서로 여러 다른 같은 어떤 이런 그런 저런 이것 그것 저것 여기 거기 저기 이곳 그곳 정도 만큼 부분 전체 일부 대부분 \
        경우 때문 덕분 위해 대해 관련 관해 통해 따라 대한 대신 외 이상 이하 미만 초과 정말 진짜 너무 매우 아주 조금 \
        좀 많이 가장 제일 계속 다시 항상 자주 가끔 먼저 나중 바로 그냥 일단 결국 사실 실제 물론 아마 혹시 만약 \
        생각 느낌 마음 기분 경험 이야기 얘기 말 말씀 질문 대답 답변 답 내용 의미 이유 목적 방법 방식 과정 결과 \
        문제 해결 해결책 상황 상태 조건 기준 수준 단계 순서 차이 비교 관계 영향 효과 장점 단점 특징 특성 성능 \
        정보 자료 데이터 파일 폴더 문서 글 책 논문 발표 자료들 노트 메모 정리 요약 기록 일기 회고 후기 소감 \
        공부 학습 연습 실습 실험 과제 숙제 시험 문제들 강의 수업 수업들 강의들 강사 선생님 교수 교수님 학생 학생들 \
        회의 미팅 스터디 세미나 모임 행사 일정 계획 목표 준비 진행 완료 마무리 확인 검토 피드백 리뷰 코멘트 \
        모델 모델들 학습률 성능들 데이터셋 코드 함수 변수 값 결과값 입력 출력 파라미터 버전 설정 환경 서버 \
        사용 사용자 사용자들 유저 고객 회사 기업 팀 팀원 팀장 조직 부서 직무 직장 업무 일 일들 역할 책임 \
        개발 개발자 엔지니어 연구 연구자 연구원 분석 분석가 설계 구현 배포 운영 관리 서비스 제품 프로젝트 \
        기술 기술들 지식 능력 역량 실력 경력 신입 경력직 채용 면접 면접관 지원 지원자 합격 불합격 입사 퇴사 \
        이력서 포트폴리오 자기소개서 자소서 코딩테스트 코테 인턴 인턴십 정규직 연봉 복지 문화 분위기 \
        부족 중요 필요 가능 불가능 가능성 어려움 쉬움 도움 노력 시도 실패 성공 성장 변화 개선 발전 향상 \
        예시 예제 예 사례 종류 유형 형태 구조 규모 크기 길이 개수 비율 확률 평균 합계 최대 최소 \
        처리 작업 작업들 기능 기능들 요소 항목 목록 리스트 표 그림 사진 이미지 영상 링크 주소 사이트 페이지 \
        세상 사회 시장 산업 분야 영역 도메인 주제 키워드 개념 이론 원리 방향 흐름 트렌드 \
        나라 한국 국내 해외 미국 서울 지역 학교 대학 대학교 학과 전공 졸업 석사 박사 \
        하나 둘 셋 넷 다섯 첫째 둘째 셋째 여러분 선배 후배 동료 친구 가족 \
        이름 제목 소개 설명 정의 의견 생각들 고민 걱정 기대 관심 흥미 재미 \
        시스템 프로그램 프로세스 플랫폼 솔루션 툴 도구 라이브러리 프레임워크 패키지 모듈 \
        문장 단어 글자 언어 숫자 수치 점수 지표 평가 측정 테스트 검증 학습데이터 \
        관점 시각 입장 태도 자세 가지 얼마 얼마나 아니 그리 여기서 거기서 어디서 이정도 그정도 저정도 이만큼 \
        최소한 최대한 마찬가지 범위 주말 평일 아침 점심 저녁 밤 새벽 오전 오후 의지 동기 열정 \
        공고 취업 진로 직업 직군 업계 현업 실무 현장 파악 이해 설명 정리 코딩 프로그래밍 \
        기본 기초 심화 응용 활용 적용 도입 사용법 전공 전공자 비전공자 성과 실적 제한 한계 기회 위기 \
        등등 기타 나머지 대부분 절반 전부 다수 소수 이유들 장단점 차이점 공통점 문제점 해결방법 \
        느낀점 배운점 아쉬운점 좋은점 개선점 질문들 답변들 시간들 돈 비용 가격 예산 \
        온라인 오프라인 인터넷 컴퓨터 노트북 핸드폰 스마트폰 앱 웹 사이트들 홈페이지 블로그 \
        다음날 전날 매일 매주 매달 올해 작년 내년 하반기 상반기 분기 초반 중반 후반 이번주 다음주 지난주 \
        경영 경제 비즈니스 사업 창업 대기업 중소기업 중견기업 스타트업 벤처 이직 퇴직 승진 구성원 조직원 협업 협력 소통 \
        커뮤니케이션 리더십 리더 매니저 동기 선임 책임자 담당자 정답 오답 직전 직후 당장 한명 두명 세명 한번 두번 \
        한개 두개 다음번 이상형 강점 약점 단점들 전략 전술 방안 대안 제안 의사결정 결정 판단 선택 \
        고객사 파트너 시장성 수익 매출 이익 손실 투자 성과급 보상 평가제도 근무 재택 출근 퇴근 야근 \
        로그 스택 레벨 버전들 업데이트 설치 실행 에러 오류 버그 수정 변경 추가 삭제 저장 로딩 속도 메모리
        """)

    /// General action nouns (생성, 연결, 요청, 변환) and abstract nouns (기반, 핵심, 단위,
    /// 위치) that any kind of prose writes, technical or not: never entities on their own, but
    /// the head of a compound whose first word is not common (`선형 변환`, `동시성 제어`), where
    /// an everyday head (`면접`, `후기`) never is.
    static let koreanGeneral: Set<String> = words("""
        생성 연결 등록 구축 동작 반영 분리 구성 요청 응답 호출 대기 전송 수신 송신 전달 검색 조회 접근 접속 제어 \
        유지 보장 계산 표현 변환 전환 교체 반복 발생 감지 탐색 공유 수집 복구 복원 확장 축소 증가 감소 제거 포함 \
        제외 지정 할당 해제 종료 중단 반환 이동 복사 갱신 교환 검사 점검 승인 허용 차단 제공 요구 충족 달성 방지 \
        예방 대비 대처 대응 이용 작성 보완 강화 통합 분할 병합 결합 조합 정렬 분류 구분 식별 인식 추정 예측 \
        고려 해석 선언 호환 의존 참조 참고 인용 대체 생략 획득 등장 존재 부여 선정 투입 산출 도출 전개 수행 \
        시행 착수 도달 유입 유출 집중 집계 산정 배정 제작 생산 소비 공급 구매 판매 기반 핵심 포인트 \
        내부 외부 자체 별도 단위 위치 공간 형식 용도 사항 지점 거리 높이 너비 깊이 넓이 규칙 원칙 기본값 옵션 \
        모드 대상 주체 이점 장애 원인 효율 효율성 안정성 신뢰성 정확성 편의성 유연성 품질 성격 순위 상위 하위 \
        왼쪽 오른쪽 위쪽 아래쪽 앞쪽 뒤쪽 양쪽 한쪽 전반 이내 이외 정상 경고 알림 시점 순간 동안 동시 즉시 주기 \
        빈도 횟수 개별 각자 다양 일반 특정 특수 기존 신규 현재 과거 미래 최신 최초 최종 직접 간접 자동 수동 공통 \
        고급 초급 중급 요건 요구사항 사양 상세 세부 세부사항 전제 가정 근거 증거 원본 사본 내역 이력 현황 추세 \
        양상 측면 범주 분량 용량 의도 문맥 맥락 배경 구역 구간 경계 한도 제약 조치 대책 절차 체계 계층 패턴 템플릿 \
        케이스 포맷 타입 스타일 버튼 메뉴 화면 여부 방면 전후 내외 좌우 상하 대략 약간 다소 상당 충분
        """)

    /// One-syllable bound nouns and pronouns (것, 수, 때, 후, 시, 나, 내, 그): with a particle
    /// glued on (`것이`, `수가`, `후에`, `내가`) they are no noun of two syllables.
    static let boundNounScalars = ScalarBits("것거수때곳데바줄리뿐듯나너저그이제내네뭐왜얘걔후시중".unicodeScalars.map(\.value))

    /// Everyday nouns that still head technical compounds (`추천 시스템`, `협업 필터링`,
    /// `딥러닝 모델`); other everyday heads (`면접`, `후기`, `정리`) do not make a compound.
    static let technicalHeads: Set<String> = words("시스템 모델 학습 분석 필터링 네트워크 알고리즘 엔지니어링 처리 인식 분류 탐지 생성 검색 추론 최적화 파이프라인 플랫폼 서비스")

    /// Last syllables of Hangul stems that are not nouns: verb and adjective stems (하, 되,
    /// 있, 없, 않, 같, 싶, 해, 했, 한, 된, 할, 될, 던), the adjectival suffix 적, the honorific
    /// 님, the plural 들, endings (서, 면, 며, 요, 씀, 음, 함, 됨, 다, 까, 죠), and the 으 of
    /// 으로 or 으면 left after a split (`독립적으` of `독립적으로`).
    static let nonNounFinals: Set<Character> = Set("하되있없않같싶해했한된할될던적님들서면며요씀음함됨다까죠으")

    /// Last syllables of adnominal verb forms (`나온`, `받은`, `할`), which do not start a
    /// compound noun.
    static let adnominalFinals: Set<Character> = Set("은는던온운된한간난른린진낸본쓴준든을를할될갈볼줄울길")

    /// The ending of a Hangul word that makes it a verb or adjective form rather than a noun
    /// with a particle (`적용하려면`, `좋았다`): such words are not noun candidates.
    static let verbEndings: [String] = """
        하다 했다 한다 하는 하고 해서 하면 하며 하게 하지 했고 했는데 하려면 하기 할 할때 합니다 해요 했어요 \
        되다 된다 되는 되고 돼서 되면 됐다 됩니다 되어 된 될 \
        이다 였다 이었다 였고 이라 이며 \
        있다 있는 있고 있어 있었다 있을 없다 없는 없고 없이 없을 \
        로운 스러운 스럽게 롭게 \
        같다 같은 같이 많다 많은 좋다 좋은 좋았다 싶다 싶은 보다가 \
        었다 았다 였던 는데 지만 니까 으니 면서 도록 려고 려면 습니다 ㅂ니다 \
        졌다 진다 지는 졌고 봤다 줬다 겠다 네요 어요 아요 어서 아서 으면 라서 다가 았고 었고 았는데 었는데 \
        였다 됐고 했음 했지만 하자 하기로 해야 해야지 되기 보자 봐야 봤는데 나왔다 났다 왔다 갔다 \
        는지 을지 할지 될지 는가 인가 적인 \
        않는 않은 않고 않을 않게 않아 않았다
        """.split(separator: " ").map(String.init).filter { !$0.isEmpty && $0 != "\n" }

    /// Common English words (and short ones any text has): never proposed on their own.
    static let englishCommon: Set<String> = words("""
        a an the and or but if then else of in on at to for from by with without into onto over under about as is are was \
        were be been being am do does did done have has had having can could will would shall should may might must not no \
        yes ok okay this that these those it its they them their there here what which who whom whose when where why how \
        all any each every some many much more most less least few other another such same own only just also very too so \
        than up down out off again once all both either neither one two three four five six seven eight nine ten first \
        second third last next new old good bad best better big small large high low long short right left top bottom \
        use used using make made get got take took give gave go went come came see saw know knew think thought want need \
        like look find found work works worked try tried let put set run runs ran call called ask asked show shows shown \
        time times day days week weeks month year years way ways thing things people person man woman part parts place \
        case cases point points fact example examples problem problems question questions answer answers result results \
        number numbers group groups level levels type types kind kinds form forms data model models feature features \
        value values list lists table tables file files code line lines page pages note notes text word words name names \
        test tests study review reviews summary idea ideas plan plans goal goals task tasks team teams company job jobs \
        user users system systems service services product products project projects process method methods \
        learning training train trained loss accuracy score scores rate ratio size batch epoch epochs step steps layer \
        layers input inputs output outputs image images video document documents information knowledge science \
        engineering engineer engineers developer developers research researcher analysis analyst design \
        interview interviews question career meeting talk session day today tomorrow yesterday \
        please thanks thank hello hi sorry etc vs via per non pre post sub self well still even though although \
        because while during before after since until between among against within through across around \
        mr mrs ms dr vol no ver page fig ref refs todo done wip tbd faq fyi asap eta tldr tl pdf url urls png jpg ok etc
        """)

    /// Words in a line that say it is about companies: hiring, interviews, company events.
    static let companyContext: [String] = """
        기업 회사 채용 입사 면접 설명회 (주) 주식회사 스타트업 재직 인턴 이직 연봉 오퍼 사옥 대표 \
        inc. inc corp. corp ltd. ltd labs co., company companies startup hiring
        """.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)

    /// Endings of Korean company names.
    static let companyEndings: [String] = """
        전자 화학 뱅크 엔터 엔터테인먼트 랩 랩스 증권 모빌리티 소프트 테크 텔레콤 은행 카드 생명 보험 건설 제약 \
        바이오 게임즈 스튜디오 커머스 페이 마켓 브레인 클라우드 네트웍스 시스템즈 솔루션즈 그룹 홀딩스 에너지 \
        자동차 항공 통신 미디어 푸드 로보틱스
        """.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)

    /// Headings (or list-introducing lines) about companies.
    static let companyHeadingWords: [String] = ["기업", "회사", "companies", "company", "설명회", "채용"]
}

/// Words as sequences of Unicode scalars, for the per-line work of candidate extraction:
/// `String` search and suffix tests compare by grapheme cluster through Foundation and hash
/// by normalizing, which cost more than everything else extraction does. Scalars compare
/// exactly; the words are NFC and the notes' text is too. No test allocates. A class, so that
/// a lookup through a static list retains one object, not its arrays.
final class ScalarWords: Sendable {
    /// The words' scalars one after another; word `k` is `pool[starts[k]..<starts[k + 1]]`.
    private let pool: [UInt32]
    private let starts: [Int32]
    /// The words by a hash of their last scalar, and by a hash of their first: slot `s` holds
    /// `byLast[lastSlots[s]..<lastSlots[s + 1]]` (word ids). Flat tables, so that a lookup
    /// neither hashes through a dictionary nor retains an array.
    private let lastSlots: [Int32]
    private let byLast: [Int32]
    private let firstSlots: [Int32]
    private let byFirst: [Int32]
    /// The first and the last scalars of the words: a place where no word can start or end
    /// is passed over without a lookup.
    private let firsts: ScalarBits
    private let lasts: ScalarBits
    /// Whether some word starts with a scalar past U+FFFF (which `ScalarBits` cannot hold).
    private let largeFirst: Bool
    private let largeLast: Bool
    /// Scalars in the longest word.
    let longest: Int

    private static let slotBits: UInt32 = 10
    @inline(__always) private static func slot(_ v: UInt32) -> Int { Int((v &* 0x9E37_79B1) >> (32 - slotBits)) }

    init(_ strings: some Sequence<String>) {
        let words = strings.map { $0.unicodeScalars.map(\.value) }.filter { !$0.isEmpty }
        longest = words.map(\.count).max() ?? 0
        var starts: [Int32] = [0]
        for w in words { starts.append(starts[starts.count - 1] + Int32(w.count)) }
        pool = words.flatMap { $0 }
        self.starts = starts
        func table(_ key: ([UInt32]) -> UInt32) -> ([Int32], [Int32]) {
            let n = 1 << Int(ScalarWords.slotBits)
            var buckets = [[Int32]](repeating: [], count: n)
            for (k, w) in words.enumerated() { buckets[ScalarWords.slot(key(w))].append(Int32(k)) }
            var slots: [Int32] = [0]
            for b in buckets { slots.append(slots[slots.count - 1] + Int32(b.count)) }
            return (slots, buckets.flatMap { $0 })
        }
        (lastSlots, byLast) = table { $0[$0.count - 1] }
        (firstSlots, byFirst) = table { $0[0] }
        firsts = ScalarBits(words.map { $0[0] })
        lasts = ScalarBits(words.map { $0[$0.count - 1] })
        largeFirst = words.contains { $0[0] >= 0x10000 }
        largeLast = words.contains { $0[$0.count - 1] >= 0x10000 }
    }

    /// Whether word `k` equals `w[from..<from + its length]` (the caller checked the room).
    @inline(__always) private func matches(_ k: Int32, _ w: UnsafeBufferPointer<UInt32>, at from: Int, _ pool: UnsafeBufferPointer<UInt32>) -> Bool {
        let (a, b) = (Int(starts[Int(k)]), Int(starts[Int(k) + 1]))
        var i = 0
        while a + i < b {
            if pool[a + i] != w[from + i] { return false }
            i += 1
        }
        return true
    }

    @inline(__always) private func length(_ k: Int32) -> Int { Int(starts[Int(k) + 1] - starts[Int(k)]) }

    func contains(_ w: ArraySlice<UInt32>) -> Bool {
        guard w.count <= longest, let last = w.last, lasts.contains(last) || largeLast && last >= 0x10000 else { return false }
        let s = ScalarWords.slot(last)
        let (lo, hi) = (Int(lastSlots[s]), Int(lastSlots[s + 1]))
        guard lo < hi else { return false }
        return w.withUnsafeBufferPointer { w in
            pool.withUnsafeBufferPointer { pool in
                for x in lo..<hi where length(byLast[x]) == w.count && matches(byLast[x], w, at: 0, pool) { return true }
                return false
            }
        }
    }
    func contains(_ w: [UInt32]) -> Bool { contains(w[...]) }

    /// Whether one of the words ends `w`; with `properly`, leaving something before it.
    func ends(_ w: ArraySlice<UInt32>, properly: Bool = false) -> Bool {
        guard let last = w.last, lasts.contains(last) || largeLast && last >= 0x10000 else { return false }
        let s = ScalarWords.slot(last)
        let (lo, hi) = (Int(lastSlots[s]), Int(lastSlots[s + 1]))
        guard lo < hi else { return false }
        return w.withUnsafeBufferPointer { w in
            pool.withUnsafeBufferPointer { pool in
                for x in lo..<hi {
                    let n = length(byLast[x])
                    if (n < w.count || !properly && n == w.count) && matches(byLast[x], w, at: w.count - n, pool) { return true }
                }
                return false
            }
        }
    }

    /// Whether one of the words occurs anywhere in `line`.
    func occurs(in line: [UInt32]) -> Bool {
        line.withUnsafeBufferPointer { line in
            pool.withUnsafeBufferPointer { pool in
                for i in 0..<line.count where firsts.contains(line[i]) || largeFirst && line[i] >= 0x10000 {
                    let s = ScalarWords.slot(line[i])
                    for x in Int(firstSlots[s])..<Int(firstSlots[s + 1]) where length(byFirst[x]) <= line.count - i {
                        if matches(byFirst[x], line, at: i, pool) { return true }
                    }
                }
                return false
            }
        }
    }
}

extension Vocabulary {
    /// Korean surnames (general knowledge): the first syllable of a full name, or the first
    /// two of a two-syllable surname.
    static let koreanSurnames = words("""
        김 이 박 최 정 강 조 윤 장 임 한 오 서 신 권 황 안 송 류 유 전 홍 고 문 양 손 배 백 허 남 심 노 하 곽 성 차 주 우 구 \
        민 진 나 지 엄 채 원 천 방 공 현 함 변 염 여 추 도 소 석 선 설 마 길 연 위 표 명 기 반 라 왕 금 옥 육 인 맹 제 모 탁 \
        국 어 은 편 용 예 경 봉 사 부 가 복 태 목 형 피 두 감 음 빈 동 온 호 범 좌 팽 승 간 상 시 갈 단 견 당 \
        남궁 황보 제갈 선우 독고 사공 서문
        """)
    /// What follows a person's name, glued or after a space: honorifics and the titles notes
    /// give people (`김찬란 멘토`, `김학수교수`, `한기용님`).
    static let personTitles = words("""
        님 씨 교수 교수님 박사 박사님 선생 선생님 멘토 멘토님 강사 강사님 대표 대표님 작가 작가님 기자 감독 감독님 코치 \
        코치님 연구원님 매니저님 팀장님 리더님
        """)
    static let koreanSurnameScalars = ScalarWords(koreanSurnames)
    static let personTitleScalars = ScalarWords(personTitles)
    static let koreanEverydayScalars = ScalarWords(koreanEveryday)
    static let koreanGeneralScalars = ScalarWords(koreanGeneral)
    static let englishCommonScalars = ScalarWords(englishCommon)
    static let technicalHeadScalars = ScalarWords(technicalHeads)
    static let verbEndingScalars = ScalarWords(verbEndings)
    static let companyContextScalars = ScalarWords(companyContext)
    static let companyEndingScalars = ScalarWords(companyEndings)
    static let companyHeadingScalars = ScalarWords(companyHeadingWords)
    static let nonNounFinalScalars = ScalarBits(nonNounFinals.flatMap { $0.unicodeScalars.map(\.value) })
    static let adnominalFinalScalars = ScalarBits(adnominalFinals.flatMap { $0.unicodeScalars.map(\.value) })
}

/// A set of scalars below U+10000 as a bitmap: a lookup in the scanners' inner loops hashes
/// nothing. (Larger scalars are never members.)
struct ScalarBits: Sendable {
    private let words: [UInt64]

    init(_ scalars: some Sequence<UInt32>) {
        var w = [UInt64](repeating: 0, count: 1024)
        for v in scalars where v < 0x10000 { w[Int(v >> 6)] |= 1 << UInt64(v & 63) }
        words = w
    }

    @inline(__always) func contains(_ v: UInt32) -> Bool { v < 0x10000 && words[Int(v >> 6)] & (1 << UInt64(v & 63)) != 0 }
}
