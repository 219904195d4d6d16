/// A small built-in list of well-known companies and ML/data names, in Korean and English,
/// written from general knowledge (not from any vault). It types what the notes show and
/// lifts it: a name on it still needs its occurrences and evidence of its own, and then is
/// an entity even in one note. It also knows which names are one name in two languages
/// (`sameNames`). Discovery works on names it lacks.
enum KnownNames {
    /// Match key → type, for every name and spelling below.
    static let types: [NameKey: String] = Dictionary(uniqueKeysWithValues: entries.map { (NameKey($0.key), $0.value.type) })
    /// Match key → the spelling written here (`CatBoost` for `catboost`).
    static let spellings: [NameKey: String] = Dictionary(uniqueKeysWithValues: entries.map { (NameKey($0.key), $0.value.spelling) })

    /// Names on the list that are also everyday words (라인 'line', 당근 'carrot', `Slack`,
    /// `Notion`): the list lifts them less, so a note that only uses the word stays out.
    static let everyday: Set<NameKey> = Set(
        "기아 라인 토스 당근 타다 하이브 리멤버 지그재그 메타 깃 요약 통계 meta toss wanted slack notion attention spark line"
            .split(separator: " ").map { NameKey(Lexicon.keyString(String($0))) })

    /// The group of names that are one name (`sameNames`) a match key belongs to, by the
    /// group's number.
    static let sameGroup: [NameKey: Int] = {
        var out: [NameKey: Int] = [:]
        for (g, line) in sameNames.split(separator: "\n").enumerated() {
            for name in line.split(separator: "|") {
                let key = Lexicon.keyString(String(name))
                if !key.isEmpty && out[NameKey(key)] == nil { out[NameKey(key)] = g }
            }
        }
        return out
    }()

    /// The match keys of the names that are one name with `key` (`도커` for `docker`), without
    /// `key` itself; empty for a name on no such line.
    static func sameNames(as key: NameKey) -> [NameKey] {
        guard let g = sameGroup[key] else { return [] }
        return groupKeys[g].filter { $0 != key }
    }

    private static let groupKeys: [[NameKey]] = {
        var out = [[NameKey]](repeating: [], count: (sameGroup.values.max() ?? -1) + 1)
        for (k, g) in sameGroup { out[g].append(k) }
        return out.map { $0.sorted { $0.precedes($1) } }
    }()

    private static let entries: [String: (type: String, spelling: String)] = {
        var out: [String: (type: String, spelling: String)] = [:]
        for (type, text) in [("company", companies), ("tool", tools), ("concept", concepts), ("person", people)] {
            for line in text.split(separator: "\n") {
                for name in line.split(separator: "|") {
                    let key = Lexicon.keyString(String(name))
                    if !key.isEmpty && out[key] == nil { out[key] = (type, String(name)) }
                }
            }
        }
        return out
    }()

    static let companies = """
        삼성|삼성전자|Samsung|Samsung Electronics
        삼성SDS|삼성리서치|Samsung Research|삼성SDI|삼성바이오로직스|삼성생명|삼성증권|삼성카드
        LG|LG전자|LG Electronics|LG화학|LG CNS|LG AI연구원|LG유플러스|LG U+|LG에너지솔루션
        SK|SK하이닉스|SK hynix|SK텔레콤|SKT|SK C&C|SK플래닛
        현대자동차|현대차|Hyundai|기아|Kia|현대모비스|포스코|POSCO|롯데|CJ|CJ제일제당|CJ올리브네트웍스|CJ 올리브네트웍스|CJ ENM
        KT|KB국민은행|국민은행|신한은행|우리은행|하나은행|NH농협|IBK기업은행|카카오뱅크|케이뱅크|토스뱅크
        네이버|NAVER|Naver|네이버웹툰|네이버클라우드|라인|LINE|라인플러스|카카오|Kakao|카카오브레인|Kakao Brain|카카오엔터프라이즈
        카카오엔터테인먼트|카카오페이|카카오모빌리티|카카오게임즈|쿠팡|Coupang|배달의민족|우아한형제들|배민|토스|Toss|비바리퍼블리카
        당근마켓|당근|Daangn|Karrot|야놀자|Yanolja|무신사|Musinsa|마켓컬리|컬리|Kurly|왓챠|Watcha|리디|RIDI|직방|오늘의집|버킷플레이스
        하이퍼커넥트|Hyperconnect|뤼이드|Riiid|업스테이지|Upstage|스캐터랩|Scatter Lab|ScatterLab|루닛|Lunit|뷰노|Vuno|센드버드|Sendbird
        넥슨|Nexon|엔씨소프트|NCSOFT|NC소프트|넷마블|Netmarble|크래프톤|KRAFTON|펄어비스|스마일게이트|컴투스|위메이드
        하이브|HYBE|SM엔터테인먼트|JYP|YG|원티드|Wanted|잡플래닛|프로그래머스|Programmers|그렙|패스트캠퍼스|인프런|코드스테이츠
        마이리얼트립|여기어때|쏘카|SOCAR|타다|두나무|업비트|빗썸|뱅크샐러드|리멤버|드라마앤컴퍼니|클래스101|번개장터|지그재그
        Google|구글|Alphabet|DeepMind|딥마인드|YouTube|유튜브|Microsoft|마이크로소프트|MS|Apple|애플|Amazon|아마존|AWS
        Meta|메타|Facebook|페이스북|Instagram|인스타그램|WhatsApp|NVIDIA|엔비디아|Nvidia|Intel|인텔|AMD|Qualcomm|퀄컴|ARM
        OpenAI|오픈AI|Anthropic|앤트로픽|Mistral|Cohere|Hugging Face|HuggingFace|허깅페이스|Stability AI|Midjourney|Perplexity
        Netflix|넷플릭스|Spotify|스포티파이|Uber|우버|Airbnb|에어비앤비|Tesla|테슬라|SpaceX|IBM|Oracle|오라클|Salesforce|Adobe|어도비
        Twitter|트위터|X Corp|ByteDance|바이트댄스|TikTok|틱톡|Alibaba|알리바바|Tencent|텐센트|Baidu|바이두|Huawei|화웨이|Xiaomi|샤오미
        Sony|소니|Toyota|토요타|Samsung SDS|Pinterest|핀터레스트|LinkedIn|링크드인|Snap|Dropbox|Slack|Zoom|Shopify|Stripe|PayPal
        Databricks|데이터브릭스|Snowflake Inc|Palantir|팔란티어|Scale AI|Weights & Biases|Kaggle|캐글|GitHub|깃허브|GitLab|Atlassian
        Yahoo|야후|Bing|Naver Clova|클로바|Clova|Papago|파파고|Udemy|유데미|Coursera|코세라|edX
        """

    static let tools = """
        Python|파이썬|R|Java|자바|Scala|Go|Golang|Rust|C++|JavaScript|TypeScript|Kotlin|Swift|SQL|Julia|MATLAB|Bash
        PyTorch|파이토치|TensorFlow|텐서플로|텐서플로우|Keras|케라스|JAX|scikit-learn|sklearn|사이킷런|XGBoost|LightGBM|CatBoost
        pandas|판다스|NumPy|넘파이|SciPy|Polars|Matplotlib|Seaborn|Plotly|Jupyter|주피터|Colab|코랩|Streamlit|Gradio
        Hugging Face Transformers|Transformers|LangChain|LlamaIndex|vLLM|DeepSpeed|Megatron|ONNX|TensorRT|OpenVINO|Triton|TorchServe
        MLflow|Kubeflow|Airflow|에어플로우|Prefect|Dagster|Luigi|DVC|Weights and Biases|wandb|W&B|Optuna|Ray|Ray Tune|BentoML|Seldon
        Spark|스파크|Apache Spark|PySpark|Hadoop|하둡|Hive|HBase|Kafka|카프카|Flink|Beam|Presto|Trino|Druid|Airbyte|dbt|Fivetran
        BigQuery|빅쿼리|Snowflake|Redshift|Athena|Databricks Lakehouse|Delta Lake|Iceberg|Hudi|Parquet|Avro|ORC
        Docker|도커|Kubernetes|쿠버네티스|k8s|Helm|Terraform|Ansible|Jenkins|GitHub Actions|ArgoCD|Argo|Prometheus|Grafana|ELK|Kibana
        PostgreSQL|Postgres|MySQL|MariaDB|SQLite|Oracle DB|MongoDB|몽고DB|Redis|레디스|Cassandra|DynamoDB|Neo4j|Elasticsearch|엘라스틱서치
        OpenSearch|FAISS|Milvus|Pinecone|Weaviate|Qdrant|Chroma|Annoy|ScaNN|Solr|Lucene|RabbitMQ|Celery|gRPC|GraphQL|REST API|REST
        FastAPI|Flask|Django|Spring|Spring Boot|Node.js|React|Vue|Next.js|Nginx|Linux|리눅스|Ubuntu|Windows|macOS|iOS|Android|안드로이드|Git|깃|Slack API|Notion|노션|Obsidian|옵시디언
        AWS SageMaker|SageMaker|Vertex AI|Azure ML|Google Cloud|GCP|Azure|EC2|S3|Lambda|Cloud Run|Colab Pro|CUDA|cuDNN|NCCL|Horovod
        crontab|cron|Excel|엑셀|Tableau|태블로|Looker|Superset|Metabase|Power BI|Amplitude|Mixpanel|Google Analytics|GA4|Hotjar
        """

    static let concepts = """
        머신러닝|Machine Learning|ML|딥러닝|Deep Learning|DL|인공지능|Artificial Intelligence|AI|강화학습|Reinforcement Learning|RL
        자연어처리|자연어 처리|Natural Language Processing|NLP|컴퓨터비전|컴퓨터 비전|Computer Vision|CV|추천시스템|추천 시스템|Recommender System
        협업필터링|협업 필터링|Collaborative Filtering|CF|Matrix Factorization|행렬 분해|MF|FM|Factorization Machine|FFM|Field-aware Factorization Machine
        DeepFM|xDeepFM|Wide & Deep|DCN|Deep & Cross Network|NCF|Neural Collaborative Filtering|LightGCN|NGCF|SASRec|BERT4Rec|GRU4Rec|DeepCoNN|DIN
        ALS|BPR|EASE|Item2Vec|Word2Vec|GloVe|FastText|ELMo|BERT|RoBERTa|ALBERT|ELECTRA|KoBERT|GPT|GPT-2|GPT-3|GPT-4|ChatGPT|T5|BART|LLaMA|Llama
        Transformer|트랜스포머|Attention|어텐션|Self-Attention|Seq2Seq|RNN|LSTM|GRU|CNN|ResNet|VGG|Inception|EfficientNet|ViT|Vision Transformer
        YOLO|Faster R-CNN|Mask R-CNN|U-Net|CLIP|DALL-E|Stable Diffusion|Diffusion|확산 모델|GAN|생성적 적대 신경망|StyleGAN|VAE|Autoencoder|오토인코더
        LLM|대규모 언어 모델|Large Language Model|RAG|LoRA|QLoRA|RLHF|PEFT|Fine-tuning|파인튜닝|Prompt Engineering|프롬프트 엔지니어링|In-context Learning
        PCA|주성분 분석|t-SNE|UMAP|SVD|KNN|K-means|K-평균|DBSCAN|SVM|서포트 벡터 머신|Logistic Regression|로지스틱 회귀|Linear Regression|선형 회귀|선형회귀
        Decision Tree|결정 트리|의사결정나무|Random Forest|랜덤 포레스트|Gradient Boosting|그래디언트 부스팅|GBDT|Ensemble|앙상블|Bagging|Boosting|Stacking
        MLOps|DevOps|DataOps|LLMOps|CI/CD|A/B Test|A/B 테스트|AB테스트|EDA|탐색적 데이터 분석|Feature Engineering|피처 엔지니어링|Feature Store
        Cross Validation|교차 검증|Overfitting|과적합|Regularization|정규화|Dropout|드롭아웃|Batch Normalization|배치 정규화|Gradient Descent|경사하강법
        Backpropagation|역전파|Adam|SGD|Learning Rate|Embedding|임베딩|Tokenizer|토크나이저|Knowledge Distillation|지식 증류|Quantization|양자화|Pruning
        Transfer Learning|전이학습|전이 학습|Self-Supervised Learning|자기지도학습|Contrastive Learning|대조 학습|Meta Learning|Federated Learning|연합학습
        Graph Neural Network|GNN|그래프 신경망|GCN|GAT|Knowledge Graph|지식 그래프|Causal Inference|인과추론|Bayesian Optimization|베이지안 최적화
        Hyperparameter Tuning|하이퍼파라미터 튜닝|AutoML|NAS|Data Pipeline|데이터 파이프라인|ETL|ELT|Data Warehouse|데이터 웨어하우스|Data Lake|데이터 레이크
        Object Detection|객체 탐지|Segmentation|세그멘테이션|Image Classification|이미지 분류|OCR|Speech Recognition|음성 인식|TTS|STT|Text Classification
        Sentiment Analysis|감성 분석|NER|Named Entity Recognition|개체명 인식|Machine Translation|기계 번역|MRC|Question Answering|Summarization|요약
        CTR|CVR|AUC|ROC|NDCG|MAP|MRR|RMSE|MAE|F1|Precision|Recall|BLEU|ROUGE|Perplexity Metric|Cold Start|콜드 스타트|Negative Sampling
        Multi-modal|멀티모달|Time Series|시계열|Anomaly Detection|이상 탐지|Clustering|군집화|Dimensionality Reduction|차원 축소|Statistics|통계
        """

    /// People the field's notes name: researchers, engineers and founders.
    static let people = """
        Andrew Ng|앤드류 응|Geoffrey Hinton|제프리 힌턴|Yann LeCun|얀 르쿤|Yoshua Bengio|요슈아 벤지오|Ian Goodfellow|이안 굿펠로우
        Andrej Karpathy|안드레 카파시|Fei-Fei Li|페이페이 리|Demis Hassabis|데미스 허사비스|Ilya Sutskever|일리야 수츠케버|Jeff Dean|제프 딘
        François Chollet|Francois Chollet|Sebastian Raschka|Judea Pearl|Richard Sutton|David Silver|Noam Shazeer|Ashish Vaswani
        Alex Krizhevsky|Kaiming He|Christopher Manning|Peter Norvig|Stuart Russell|Vladimir Vapnik|Leo Breiman|Tianqi Chen|Tom Mitchell
        Alan Turing|앨런 튜링|John von Neumann|폰 노이만|Claude Shannon|클로드 섀넌|Donald Knuth|도널드 커누스|Edsger Dijkstra|다익스트라
        Dennis Ritchie|Ken Thompson|Linus Torvalds|리누스 토르발스|Guido van Rossum|귀도 반 로섬|James Gosling|Tim Berners-Lee|Vint Cerf
        Martin Fowler|마틴 파울러|Kent Beck|켄트 벡|Robert C. Martin|Uncle Bob|Eric Evans|Grady Booch|Martin Kleppmann|Jay Kreps
        Sam Altman|샘 올트먼|샘 알트만|Dario Amodei|Greg Brockman|Mira Murati|Elon Musk|일론 머스크|Jensen Huang|젠슨 황
        Mark Zuckerberg|마크 저커버그|Steve Jobs|스티브 잡스|Bill Gates|빌 게이츠|Larry Page|래리 페이지|Sergey Brin|세르게이 브린
        Satya Nadella|사티아 나델라|Sundar Pichai|순다르 피차이|Jeff Bezos|제프 베이조스|Tim Cook|팀 쿡|Jack Ma|마윈
        이해진|김범수|김택진|이재용|이건희|정주영|구광모|최태원|방시혁|이수만|김봉진|이승건|김슬아
        """

    /// Names that are one name in two languages or spellings, one group a line: an English
    /// name and its Korean transliteration or established translation (`Docker|도커`,
    /// `Deep Learning|딥러닝`), and an acronym where it is unambiguous (`NLP`). Written from
    /// general knowledge, like the lists above; names that are also other words (깃, 토스, 메타,
    /// 스칼라 'scalar', 슬랙 'slack variable', `CV`, `DL`) are left out. When the notes show two of a group, they are one entity
    /// (`Discoverer.joinSameNames`).
    static let sameNames = """
        Google|구글
        Apple|애플
        Microsoft|마이크로소프트
        Amazon|아마존
        Facebook|페이스북
        NVIDIA|엔비디아
        Intel|인텔
        Qualcomm|퀄컴
        OpenAI|오픈AI
        Anthropic|앤트로픽
        Hugging Face|HuggingFace|허깅페이스
        DeepMind|딥마인드
        Netflix|넷플릭스
        Spotify|스포티파이
        Uber|우버
        Airbnb|에어비앤비
        Tesla|테슬라
        Oracle|오라클
        Adobe|어도비
        Twitter|트위터
        ByteDance|바이트댄스
        TikTok|틱톡
        Alibaba|알리바바
        Tencent|텐센트
        Baidu|바이두
        Huawei|화웨이
        Xiaomi|샤오미
        Sony|소니
        Toyota|토요타
        Pinterest|핀터레스트
        LinkedIn|링크드인
        YouTube|유튜브
        Instagram|인스타그램
        Yahoo|야후
        Databricks|데이터브릭스
        Palantir|팔란티어
        Kaggle|캐글
        GitHub|깃허브|깃헙
        Udemy|유데미
        Coursera|코세라
        Papago|파파고
        Samsung|삼성
        Samsung Electronics|삼성전자
        Naver|네이버
        Kakao|카카오
        Coupang|쿠팡
        Nexon|넥슨
        Netmarble|넷마블
        KRAFTON|크래프톤
        NCSOFT|엔씨소프트|NC소프트
        Python|파이썬
        Java|자바
        JavaScript|자바스크립트
        TypeScript|타입스크립트
        Kotlin|코틀린
        PyTorch|파이토치
        TensorFlow|텐서플로|텐서플로우
        Keras|케라스
        scikit-learn|sklearn|사이킷런
        pandas|판다스
        NumPy|넘파이
        Jupyter|주피터
        Colab|코랩
        Airflow|에어플로우
        Spark|스파크
        Hadoop|하둡
        Kafka|카프카
        BigQuery|빅쿼리
        Docker|도커
        Kubernetes|쿠버네티스|k8s
        Jenkins|젠킨스
        Terraform|테라폼
        Redis|레디스
        Elasticsearch|엘라스틱서치
        MongoDB|몽고DB
        Linux|리눅스
        Ubuntu|우분투
        Android|안드로이드
        Django|장고
        Flask|플라스크
        React|리액트
        Notion|노션
        Obsidian|옵시디언
        Excel|엑셀
        Tableau|태블로
        Figma|피그마
        Machine Learning|ML|머신러닝|기계학습
        Deep Learning|딥러닝
        Artificial Intelligence|AI|인공지능
        Reinforcement Learning|강화학습
        Natural Language Processing|NLP|자연어처리|자연어 처리
        Computer Vision|컴퓨터비전|컴퓨터 비전
        Recommender System|추천시스템|추천 시스템
        Collaborative Filtering|협업필터링|협업 필터링
        Matrix Factorization|행렬 분해
        Transformer|트랜스포머
        Attention|어텐션
        Autoencoder|오토인코더
        Fine-tuning|파인튜닝
        Large Language Model|LLM|대규모 언어 모델
        Principal Component Analysis|PCA|주성분 분석
        Ensemble|앙상블
        Random Forest|랜덤 포레스트
        Gradient Boosting|그래디언트 부스팅
        Exploratory Data Analysis|EDA|탐색적 데이터 분석
        Feature Engineering|피처 엔지니어링
        Cross Validation|교차 검증
        Overfitting|과적합
        Dropout|드롭아웃
        Batch Normalization|배치 정규화
        Gradient Descent|경사하강법
        Backpropagation|역전파
        Embedding|임베딩
        Tokenizer|토크나이저
        Knowledge Distillation|지식 증류
        Quantization|양자화
        Transfer Learning|전이학습|전이 학습
        Graph Neural Network|GNN|그래프 신경망
        Knowledge Graph|지식 그래프
        Causal Inference|인과추론|인과 추론
        Hyperparameter Tuning|하이퍼파라미터 튜닝
        Data Pipeline|데이터 파이프라인
        Data Warehouse|데이터 웨어하우스
        Data Lake|데이터 레이크
        Object Detection|객체 탐지
        Image Classification|이미지 분류
        Speech Recognition|음성 인식
        Sentiment Analysis|감성 분석
        Named Entity Recognition|NER|개체명 인식
        Machine Translation|기계 번역
        Cold Start|콜드 스타트
        Time Series|시계열
        Anomaly Detection|이상 탐지
        Clustering|군집화
        Dimensionality Reduction|차원 축소
        Multi-modal|멀티모달
        Generative Adversarial Network|GAN|생성적 적대 신경망
        Support Vector Machine|SVM|서포트 벡터 머신
        Logistic Regression|로지스틱 회귀
        Linear Regression|선형 회귀|선형회귀
        Decision Tree|결정 트리|의사결정나무
        """
}
