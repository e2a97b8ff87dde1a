"""The demo members: Chinese-speaking regulars and English-speaking newcomers, each with a home
city, the topics they post about and the languages they write in.

The first four are the members the README names (lily, jake, mei, sam); every demo member signs
in with the same password, `redleaf.seed.DEMO_PASSWORD`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Person:
    username: str
    display_name: str
    ui_language: str  # "en" or "zh-Hans"
    bio: str
    languages: tuple[str, ...]  # the languages they read
    interests: tuple[str, ...]  # keys of accounts.vocab.INTERESTS
    topics: tuple[str, ...]  # what they post about: keys of demo.content.TOPICS
    home: str  # a city key of demo.places.CITIES
    writes: tuple[str, ...]  # the languages of their notes, the usual one first

    @property
    def lang(self) -> str:
        return self.writes[0]


def _zh(
    username: str,
    name: str,
    bio: str,
    topics: tuple[str, ...],
    home: str,
    interests: tuple[str, ...],
    *,
    reads_en: bool = False,
) -> Person:
    return Person(
        username=username,
        display_name=name,
        ui_language="zh-Hans",
        bio=bio,
        languages=("zh", "en") if reads_en else ("zh",),
        interests=interests,
        topics=topics,
        home=home,
        writes=("zh", "en") if reads_en else ("zh",),
    )


def _en(
    username: str,
    name: str,
    bio: str,
    topics: tuple[str, ...],
    home: str,
    interests: tuple[str, ...],
    *,
    reads_zh: bool = False,
) -> Person:
    return Person(
        username=username,
        display_name=name,
        ui_language="en",
        bio=bio,
        languages=("en", "zh") if reads_zh else ("en",),
        interests=interests,
        topics=topics,
        home=home,
        writes=("en", "zh") if reads_zh else ("en",),
    )


PEOPLE: list[Person] = [
    _zh(
        "lily",
        "莉莉 Lily",
        "成都人，火锅和川菜爱好者 🌶️ 分享我的周末探店。",
        ("food", "city", "travel"),
        "chengdu",
        ("food", "travel"),
        reads_en=True,
    ),
    _en(
        "jake",
        "Jake from Ohio",
        "New here from TikTok. Learning Chinese one hotpot at a time.",
        ("food", "fitness", "city"),
        "ohio",
        ("food", "fitness", "music"),
    ),
    _zh(
        "mei",
        "小美",
        "护肤成分党｜敏感肌｜只说真话",
        ("skincare",),
        "shanghai",
        ("skincare", "makeup"),
    ),
    _en(
        "sam",
        "Sam ✈️",
        "Backpacking Yunnan this winter. Ask me about Dali!",
        ("travel", "food"),
        "dali",
        ("travel", "photography", "outdoors"),
        reads_zh=True,
    ),
    _zh(
        "xiaoman_cd",
        "小满在成都",
        "成都土著｜串串火锅苍蝇馆子地图🗺️｜收藏=学会",
        ("food", "city"),
        "chengdu",
        ("food", "cooking"),
    ),
    _zh(
        "cq_meier",
        "重庆妹儿",
        "8D魔幻城市原住民，带你吃遍山城 🌉",
        ("food", "travel", "city"),
        "chongqing",
        ("food", "travel", "photography"),
    ),
    _zh(
        "dali_feng",
        "大理的风",
        "辞职后在大理开了间小院民宿，记录慢生活 🌿",
        ("travel", "home"),
        "dali",
        ("travel", "home", "outdoors"),
    ),
    _zh(
        "coco_sh",
        "上海打工人Coco",
        "通勤穿搭｜周末逛街｜咖啡续命 ☕️",
        ("fashion", "city", "food"),
        "shanghai",
        ("fashion", "makeup", "food"),
        reads_en=True,
    ),
    _zh(
        "xiaolu_skin",
        "敏感肌小鹿",
        "屏障修护三年，踩过的雷都在这里了 🦌",
        ("skincare",),
        "hangzhou",
        ("skincare", "makeup"),
    ),
    _zh(
        "ajie_fit",
        "健身的阿杰",
        "健身五年｜减脂增肌｜打工人也能练 💪",
        ("fitness", "food"),
        "guangzhou",
        ("fitness", "cooking"),
    ),
    _zh(
        "hutong_walker",
        "胡同串子",
        "北京胡同里长大，爱拍老城的角落 📷",
        ("city", "travel"),
        "beijing",
        ("photography", "travel", "art"),
    ),
    _zh(
        "vivi_ootd",
        "穿搭日记Vivi",
        "160/48｜小个子穿搭｜每天一套不重样 👗",
        ("fashion", "skincare"),
        "hangzhou",
        ("fashion", "makeup"),
    ),
    _zh(
        "wangjie_home",
        "家居改造王姐",
        "老房改造｜租房也要住得舒服 🏠",
        ("home",),
        "beijing",
        ("home", "art"),
    ),
    _zh(
        "caffeine_jing",
        "咖啡因续命的静",
        "探店两百家咖啡馆，只推荐会回去的 ☕️",
        ("food", "city"),
        "shanghai",
        ("food", "photography"),
    ),
    _zh(
        "zaoc_wana",
        "早C晚A研究所",
        "配方师｜成分解读｜不收钱的真实测评 🧪",
        ("skincare",),
        "guangzhou",
        ("skincare", "study"),
    ),
    _zh(
        "lin_runs",
        "跑步的小林",
        "全马345｜晨跑记录｜跑遍每座城市 🏃",
        ("fitness", "travel"),
        "xiamen",
        ("fitness", "outdoors", "travel"),
    ),
    _zh(
        "dimsum_gz",
        "广州早茶控",
        "一盅两件，叹早茶是广州人的仪式感 🫖",
        ("food",),
        "guangzhou",
        ("food", "cooking"),
    ),
    _zh(
        "xiamen_hai",
        "住在厦门海边",
        "海边小城的日常，猫、海风和咖啡 🐈",
        ("travel", "home", "city"),
        "xiamen",
        ("travel", "pets", "home"),
    ),
    _zh(
        "kyoto_ayu",
        "在京都的阿鱼",
        "京都留学中🇯🇵 寺庙、甜品和红叶",
        ("travel", "food"),
        "kyoto",
        ("travel", "study", "food"),
        reads_en=True,
    ),
    _zh(
        "xiaokui_hz",
        "杭州小葵",
        "西湖边长大，爱逛爱拍爱分享 🌸",
        ("city", "travel", "fashion"),
        "hangzhou",
        ("travel", "fashion", "photography"),
    ),
    _en(
        "emma_lisbon",
        "Emma in Lisbon",
        "British expat in Lisbon. Trams, tiles and pastéis 🇵🇹",
        ("travel", "city", "food"),
        "lisbon",
        ("travel", "food", "photography"),
    ),
    _en(
        "marcus_eats",
        "Marcus Eats",
        "Eating my way through Asia, one bowl at a time 🍜",
        ("food", "travel"),
        "chengdu",
        ("food", "travel"),
        reads_zh=True,
    ),
    _en(
        "priya_glow",
        "Priya ✨",
        "Skincare nerd, dermatology student, sunscreen evangelist",
        ("skincare",),
        "london",
        ("skincare", "makeup", "study"),
    ),
    _en(
        "tom_cycles",
        "Tom on Two Wheels",
        "Seeing cities by bike. Coffee stops mandatory.",
        ("city", "fitness", "travel"),
        "london",
        ("outdoors", "fitness", "travel"),
    ),
    _en(
        "hannah_wanders",
        "Hannah Wanders",
        "Slow travel, small towns, long train rides 🚆",
        ("travel",),
        "newyork",
        ("travel", "photography", "books"),
    ),
    _en(
        "leo_lifts",
        "Leo Lifts",
        "Coach. Strong is a skill. Home workouts that actually work.",
        ("fitness", "food"),
        "newyork",
        ("fitness", "cooking"),
    ),
    _en(
        "sofia_cooks",
        "Sofia's Kitchen",
        "Home cook learning Chinese recipes from this app 🥟",
        ("food", "home"),
        "newyork",
        ("cooking", "food", "home"),
    ),
    _en(
        "noah_kyoto",
        "Noah in Kyoto",
        "Teaching English in Kyoto. Temples before 8am.",
        ("travel", "city"),
        "kyoto",
        ("travel", "photography", "study"),
    ),
    _en(
        "chloe_styles",
        "Chloe Styles",
        "Capsule wardrobe, thrift finds, petite friendly 🧥",
        ("fashion",),
        "london",
        ("fashion", "art"),
    ),
    _en(
        "ben_brews",
        "Ben the Barista",
        "I make coffee for a living and drink it for fun ☕",
        ("food", "city"),
        "ohio",
        ("food", "music"),
    ),
    _en(
        "aisha_home",
        "Aisha at Home",
        "Small flat, big plant collection, lots of books 🪴",
        ("home",),
        "london",
        ("home", "books", "art"),
    ),
    _en(
        "olivia_new",
        "Olivia (new here!)",
        "TikTok refugee 👋 here for skincare tips and food",
        ("skincare", "food"),
        "ohio",
        ("skincare", "food", "music"),
    ),
    _en(
        "dan_tx",
        "Dan from Texas",
        "BBQ guy discovering Sichuan pepper. My mouth is numb.",
        ("food", "travel"),
        "ohio",
        ("food", "travel", "outdoors"),
    ),
    _en(
        "grace_seoul",
        "Grace 그레이스",
        "Seoul ↔ Shanghai. K-beauty vs C-beauty, honestly.",
        ("skincare", "fashion"),
        "seoul",
        ("skincare", "fashion", "makeup"),
        reads_zh=True,
    ),
    _en(
        "mateo_runs",
        "Mateo Runs",
        "Marathoner chasing sunrises in every city I visit",
        ("fitness", "travel"),
        "lisbon",
        ("fitness", "outdoors", "travel"),
    ),
    _en(
        "lucy_plants",
        "Lucy & Her Plants",
        "47 plants, one cat, zero regrets 🌱",
        ("home", "city"),
        "newyork",
        ("home", "pets"),
    ),
]

# Who already followed whom before the rest of the community arrived.
CORE_FOLLOWS = [
    ("jake", "lily"),
    ("lily", "jake"),
    ("sam", "lily"),
    ("mei", "lily"),
    ("jake", "mei"),
]
