"""The demo company as data: departments, people, racecourses and challenges.

Plain data, no database: a reader sees at a glance what the demo contains,
and tests refer to the well-known logins from here.
"""

from dataclasses import dataclass

DOMAIN = "demo.horserace.example"
SEASON_NAME = "2026 Horse Race"
SEASON_YEAR = 2026

#: The well-known logins, in the order they are printed: (role, e-mail, note).
LOGINS = [
    ("employee", f"employee@{DOMAIN}", "submits, registers, builds a team, judges"),
    ("employee", f"colleague@{DOMAIN}", "a colleague to invite"),
    ("mentor", f"mentor@{DOMAIN}", "coaches two teams, logs sessions"),
    ("evaluator", f"evaluator@{DOMAIN}", "scores projects in offline evaluation"),
    (
        "racecourse admin",
        f"racecourse-admin@{DOMAIN}",
        "runs the Taobao racecourse, co-runs the main one",
    ),
    (
        "HR admin",
        f"hr@{DOMAIN}",
        "runs the season: grants, panel, tranches; Django admin at /admin/",
    ),
]
EMPLOYEE_EMAIL = f"employee@{DOMAIN}"
COLLEAGUE_EMAIL = f"colleague@{DOMAIN}"

#: (code, name, parent code). Parents come before their children.
DEPARTMENTS = [
    ("group", "Horserace Group", None),
    ("people", "Group People & Culture", "group"),
    ("taobao", "Taobao", "group"),
    ("taobao-search", "Taobao Search", "taobao"),
    ("taobao-live", "Taobao Live", "taobao"),
    ("taobao-sellers", "Seller Services", "taobao"),
    ("tmall", "Tmall", "group"),
    ("tmall-supermarket", "Tmall Supermarket", "tmall"),
    ("tmall-global", "Tmall Global", "tmall"),
    ("alipay", "Alipay", "group"),
    ("alipay-risk", "Risk Control", "alipay"),
    ("alipay-wealth", "Wealth Management", "alipay"),
    ("cloud", "Cloud", "group"),
    ("cloud-ai", "Cloud AI Platform", "cloud"),
    ("cloud-db", "Cloud Database", "cloud"),
    ("logistics", "Logistics", "group"),
    ("logistics-warehouse", "Smart Warehousing", "logistics"),
    ("logistics-last-mile", "Last Mile Delivery", "logistics"),
]

SH, SG, LON, SF = (
    "Asia/Shanghai",
    "Asia/Singapore",
    "Europe/London",
    "America/Los_Angeles",
)


@dataclass(frozen=True)
class Person:
    """One employee. ``key`` is the e-mail's local part."""

    key: str
    name: str
    department: str
    manager: str | None = None
    locale: str = "zh-hans"
    time_zone: str = SH
    roles: frozenset[str] = frozenset()

    @property
    def email(self) -> str:
        return f"{self.key}@{DOMAIN}"


def _p(key, name, dept, manager=None, locale="zh-hans", tz=SH, roles=()):
    return Person(key, name, dept, manager, locale, tz, frozenset(roles))


# Managers come before their reports. The well-known logins use English so the
# walkthrough in the README (and the browser test) reads the same for everyone.
PEOPLE = [
    _p("chen.mingyuan", "陈明远", "group", roles={"evaluator"}),
    # People & Culture runs the season.
    _p("hr", "Grace Liu", "people", "chen.mingyuan", "en", roles={"hr", "superuser"}),
    _p("zhou.min", "周敏", "people", "hr", roles={"hr"}),
    _p("daniel.ho", "Daniel Ho", "people", "hr", "en", SG, roles={"hr"}),
    # Taobao
    _p("li.qiang", "李强", "taobao", "chen.mingyuan", roles={"evaluator"}),
    _p("racecourse-admin", "Zhao Lei", "taobao", "li.qiang", "en"),
    _p("sun.yue", "孙悦", "taobao-search", "li.qiang"),
    _p("kevin.wu", "Kevin Wu", "taobao-search", "sun.yue", "en"),
    _p("huang.ting", "黄婷", "taobao-search", "sun.yue"),
    _p("amy.zhang", "Amy Zhang", "taobao-live", "li.qiang", "en"),
    _p("xu.hao", "徐浩", "taobao-live", "amy.zhang"),
    _p("he.jing", "He Jing", "taobao-live", "amy.zhang", "en"),
    _p("ma.lin", "马琳", "taobao-sellers", "li.qiang"),
    _p("employee", "Lin Xiaoyu", "taobao-sellers", "ma.lin", "en"),
    _p("colleague", "Chen Jie", "taobao-sellers", "ma.lin", "en"),
    _p("tony.guo", "Tony Guo", "taobao-sellers", "ma.lin", "en"),
    # Tmall
    _p("wang.fang", "王芳", "tmall", "chen.mingyuan", roles={"mentor"}),
    _p("liu.yang", "刘洋", "tmall-supermarket", "wang.fang"),
    _p("sophie.tang", "Sophie Tang", "tmall-supermarket", "liu.yang", "en"),
    _p("gao.peng", "高鹏", "tmall-supermarket", "liu.yang"),
    _p("jason.lee", "Jason Lee", "tmall-global", "wang.fang", "en", SG),
    _p("yang.xue", "杨雪", "tmall-global", "jason.lee"),
    _p("ryan.cao", "Ryan Cao", "tmall-global", "jason.lee", "en", LON),
    # Alipay
    _p("qian.hui", "钱慧", "alipay", "chen.mingyuan", roles={"evaluator"}),
    _p("zheng.kai", "郑凯", "alipay-risk", "qian.hui"),
    _p("olivia.song", "Olivia Song", "alipay-risk", "zheng.kai", "en"),
    _p("feng.bo", "冯波", "alipay-risk", "zheng.kai"),
    _p("tang.wen", "唐文", "alipay-wealth", "qian.hui"),
    _p("michael.yu", "Michael Yu", "alipay-wealth", "tang.wen", "en", SG),
    _p("lu.yan", "陆燕", "alipay-wealth", "tang.wen"),
    # Cloud
    _p("zhu.tao", "朱涛", "cloud", "chen.mingyuan", roles={"mentor"}),
    _p("mentor", "Han Bing", "cloud-ai", "zhu.tao", "en", roles={"mentor"}),
    _p("jiang.yu", "蒋宇", "cloud-ai", "mentor"),
    _p("emma.wang", "Emma Wang", "cloud-ai", "mentor", "en", SF),
    _p("du.xiang", "杜翔", "cloud-ai", "mentor"),
    _p("evaluator", "Susan Xie", "cloud-db", "zhu.tao", "en", roles={"evaluator"}),
    _p("peter.fan", "Peter Fan", "cloud-db", "evaluator", "en", SF),
    _p("shen.lu", "沈璐", "cloud-db", "evaluator"),
    _p("yuan.chao", "袁超", "cloud-db", "evaluator", roles={"mentor"}),
    # Logistics
    _p("he.jun", "何军", "logistics", "chen.mingyuan", roles={"evaluator"}),
    _p("kong.jia", "孔佳", "logistics-warehouse", "he.jun"),
    _p("lucas.zhou", "Lucas Zhou", "logistics-warehouse", "kong.jia", "en"),
    _p("pan.rui", "潘锐", "logistics-warehouse", "kong.jia"),
    _p("wei.dong", "魏东", "logistics-last-mile", "he.jun"),
    _p("nina.qiu", "Nina Qiu", "logistics-last-mile", "wei.dong", "en"),
    _p("ren.hao", "任浩", "logistics-last-mile", "wei.dong"),
]

#: Racecourse slug → its admins (people keys).
RACECOURSE_ADMINS = {
    # Zhao Lei co-runs the main racecourse: the well-known racecourse admin
    # login then has a gestation desk, assignments and a panel to look at.
    "main": ["zhou.min", "racecourse-admin"],
    "taobao": ["racecourse-admin", "sun.yue"],
    "alipay": ["qian.hui", "feng.bo"],
    "farm": ["daniel.ho"],
}

#: The season's racecourses: slug → (kind, name, parent slug, department code,
#: team size limit, promotion quota, description).
RACECOURSES = {
    "main": (
        "main",
        "Group Main Racecourse",
        None,
        None,
        8,
        0,
        "The group-wide race. Any employee may enter; the best ideas of the "
        "department racecourses join here after their screening.",
    ),
    "taobao": (
        "department",
        "Taobao Racecourse",
        "main",
        "taobao",
        6,
        5,
        "Taobao's own race. Its five best ideas move up to the main racecourse.",
    ),
    "alipay": (
        "department",
        "Alipay Racecourse",
        "main",
        "alipay",
        6,
        3,
        "Alipay's own race. Its three best ideas move up to the main racecourse.",
    ),
    "farm": (
        "farm",
        "Innovation Farm",
        None,
        None,
        5,
        0,
        "Always open: register an idea any time and let it grow until the next season.",
    ),
}

#: Stage windows in days from the moment of seeding: (racecourse slug, stage,
#: opens, closes, rule, rule settings). The demo replays the season in the
#: order it happened, so every idea's stage is the one these windows allow
#: now. The main racecourse ran first: its registration closed three months
#: ago and its online screening (everyone voted; the top twelve went on)
#: closed after that. Its gestation is open now (a team with no proposal at
#: its close waits for HR), and offline evaluation opened while gestation
#: runs, so the panel meets for each team as it hands in its proposal.
#: Taobao's registration has closed and its online screening is open now
#: (each voter has five supports): the demo employee has ideas to judge, and
#: Taobao's best five will join the main racecourse's gestation. Alipay's
#: registration is open now and its screening opens later, so the demo
#: employee can register an idea there. The farm, always open for
#: registration, held a screening round that has closed, so its results
#: are public.
WINDOWS = [
    ("main", "registration", -120, -95, "manual", {}),
    ("main", "screening", -95, -81, "top_k", {"k": 12}),
    ("main", "gestation", -81, 45, "manual", {"missing": "hold"}),
    ("main", "evaluation", -30, 75, "top_k", {"k": 10}),
    ("taobao", "registration", -30, -3, "manual", {}),
    ("taobao", "screening", -3, 11, "top_k", {"k": 5, "budget": 5}),
    ("alipay", "registration", -10, 17, "manual", {}),
    ("alipay", "screening", 17, 27, "voted_down", {}),
    ("farm", "screening", -16, -2, "voted_down", {}),
]

#: (key, racecourse slug, title, sponsor, prize, brief)
CHALLENGES = [
    (
        "carbon",
        "main",
        "Carbon-neutral parcels by 2030",
        "he.jun",
        "¥300,000 seed budget and a three-month horse-race vacation",
        "Every parcel we ship leaves packaging and emissions behind. Show us how "
        "to cut either, measurably, without making delivery slower or dearer.",
    ),
    (
        "ai-service",
        "main",
        "AI that answers sellers' customers",
        "zhu.tao",
        "Cloud GPU credits worth ¥500,000",
        "Small sellers cannot staff customer service around the clock. Build on "
        "our AI platform so that every question gets a good answer in seconds.",
    ),
    (
        "rural",
        "main",
        "Bringing villages online",
        "chen.mingyuan",
        "A pilot in three counties, funded by the Group",
        "Farmers and village shops are still far from our platforms. Find a way "
        "to bring their produce to cities and city services to them.",
    ),
    (
        "elders",
        "taobao",
        "Shopping made easy for parents and grandparents",
        "li.qiang",
        "A week on the Taobao home page",
        "Older shoppers give up when the app is crowded and the text is small. "
        "What would make them confident buying on their own?",
    ),
    (
        "merchant-fraud",
        "alipay",
        "Stop fraud before it reaches small merchants",
        "qian.hui",
        "",
        "Small merchants lose money to chargebacks and fake payments they cannot "
        "spot. Help them without adding friction for honest buyers.",
    ),
]
