"""A deterministic generator of bilingual RedNote-style notes, for the search benchmarks.

    from bench.search_corpus import generate, queries
    for note in generate(1_000_000, seed=7): ...      # streams: one dict at a time
    queries(seed=7)   # {"en1": [...], "en2": [...], "en3": [...], "zh1": [...], ...}

    .venv/bin/python bench/search_corpus.py --notes 5 --seed 7     # print a few notes and queries

The same (n, seed) gives the same notes on any machine with the same Python (only `random.Random`
and arithmetic are used; numpy is not needed). Notes are about 45% English, 45% Chinese and 10%
mixed (Chinese with English words, or an English sentence and a Chinese one), on seven topics
(travel, food, skincare, fashion, home, fitness, cities). Text is drawn from a few hundred real
words per language, each list ordered from frequent to rare and drawn with Zipf weights (rank k in
proportion to 1/k), mixed with a language's glue words (的, 了 / the, and) and a city from a
Zipf-weighted list of 40, so one-word queries range from very common (推荐, "best") to rare, and
two- and three-word queries on one topic and city still find notes. Bodies run 80-300 characters
typically (log-normal, 20-1,000), titles at most 40. Each note also has 0-6 tags, a place for
about 40% (a landmark or a city, with en/zh names and coordinates), `created_at` (Unix seconds,
spread over two years before `REFERENCE_NOW`, denser towards the present as a growing site is,
and increasing with `id`, as the app's time-ordered ids do),
a kind (image 60%, video 30%, text 10%), heavy-tailed like/collect/comment counts (log-normal:
median ~12 likes, a few notes with tens of thousands) and an author from a Zipf-weighted pool of
n/25 (at least 100) members.
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import json
import math
import random
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any


def _w(text: str) -> list[str]:
    return text.split()


# The corpus is anchored to a fixed "now" so that time filters select the same notes in every run.
REFERENCE_NOW = int(datetime(2026, 12, 1, tzinfo=UTC).timestamp())
TWO_YEARS = 730 * 86400
KINDS = ("image", "video", "text")
KIND_WEIGHTS = (0.6, 0.3, 0.1)
TOPICS = ("travel", "food", "skincare", "fashion", "home", "fitness", "cities")
TOPIC_WEIGHTS = (0.2, 0.22, 0.14, 0.14, 0.1, 0.1, 0.1)

# (english, chinese, lat, lon), most popular first.
CITIES: list[tuple[str, str, float, float]] = [
    ("Shanghai", "上海", 31.2304, 121.4737),
    ("Chengdu", "成都", 30.5728, 104.0668),
    ("Beijing", "北京", 39.9042, 116.4074),
    ("Chongqing", "重庆", 29.5630, 106.5516),
    ("Hangzhou", "杭州", 30.2741, 120.1551),
    ("Guangzhou", "广州", 23.1291, 113.2644),
    ("Shenzhen", "深圳", 22.5431, 114.0579),
    ("Tokyo", "东京", 35.6762, 139.6503),
    ("Xi'an", "西安", 34.3416, 108.9398),
    ("Changsha", "长沙", 28.2282, 112.9388),
    ("Dali", "大理", 25.6065, 100.2676),
    ("Xiamen", "厦门", 24.4798, 118.0894),
    ("Hong Kong", "香港", 22.3193, 114.1694),
    ("Seoul", "首尔", 37.5665, 126.9780),
    ("Osaka", "大阪", 34.6937, 135.5023),
    ("Nanjing", "南京", 32.0603, 118.7969),
    ("Suzhou", "苏州", 31.2990, 120.5853),
    ("Qingdao", "青岛", 36.0671, 120.3826),
    ("Kyoto", "京都", 35.0116, 135.7681),
    ("Bangkok", "曼谷", 13.7563, 100.5018),
    ("Sanya", "三亚", 18.2528, 109.5119),
    ("Lijiang", "丽江", 26.8721, 100.2299),
    ("Wuhan", "武汉", 30.5928, 114.3055),
    ("Kunming", "昆明", 25.0389, 102.7183),
    ("Singapore", "新加坡", 1.3521, 103.8198),
    ("Paris", "巴黎", 48.8566, 2.3522),
    ("Taipei", "台北", 25.0330, 121.5654),
    ("Macau", "澳门", 22.1987, 113.5439),
    ("London", "伦敦", 51.5072, -0.1276),
    ("New York", "纽约", 40.7128, -74.0060),
    ("Chiang Mai", "清迈", 18.7883, 98.9853),
    ("Harbin", "哈尔滨", 45.8038, 126.5350),
    ("Lisbon", "里斯本", 38.7223, -9.1393),
    ("Barcelona", "巴塞罗那", 41.3874, 2.1686),
    ("Istanbul", "伊斯坦布尔", 41.0082, 28.9784),
    ("Sydney", "悉尼", -33.8688, 151.2093),
    ("Los Angeles", "洛杉矶", 34.0522, -118.2437),
    ("Vancouver", "温哥华", 49.2827, -123.1207),
    ("Quanzhou", "泉州", 24.8741, 118.6757),
    ("Zibo", "淄博", 36.8131, 118.0549),
]

# (city index, english, chinese, lat, lon)
LANDMARKS: list[tuple[int, str, str, float, float]] = [
    (0, "The Bund", "外滩", 31.2400, 121.4900),
    (0, "Wukang Road", "武康路", 31.2060, 121.4370),
    (0, "Anfu Road", "安福路", 31.2150, 121.4470),
    (1, "Kuanzhai Alley", "宽窄巷子", 30.6700, 104.0540),
    (1, "Chunxi Road", "春熙路", 30.6570, 104.0810),
    (1, "Taikoo Li", "太古里", 30.6540, 104.0830),
    (1, "Jianshe Road", "建设路", 30.6690, 104.1050),
    (2, "Forbidden City", "故宫", 39.9163, 116.3972),
    (2, "Sanlitun", "三里屯", 39.9370, 116.4550),
    (2, "Hutongs of Shichahai", "什刹海胡同", 39.9400, 116.3850),
    (3, "Hongyadong", "洪崖洞", 29.5630, 106.5800),
    (3, "Jiefangbei", "解放碑", 29.5570, 106.5770),
    (4, "West Lake", "西湖", 30.2430, 120.1500),
    (4, "Lingyin Temple", "灵隐寺", 30.2410, 120.1010),
    (5, "Shamian Island", "沙面", 23.1070, 113.2430),
    (7, "Shibuya", "涩谷", 35.6580, 139.7016),
    (7, "Senso-ji", "浅草寺", 35.7148, 139.7967),
    (8, "Datang Everbright City", "大唐不夜城", 34.2130, 108.9650),
    (8, "Giant Wild Goose Pagoda", "大雁塔", 34.2190, 108.9640),
    (9, "Wuyi Square", "五一广场", 28.1960, 112.9770),
    (10, "Erhai Lake", "洱海", 25.7800, 100.1900),
    (11, "Gulangyu", "鼓浪屿", 24.4480, 118.0670),
    (12, "Victoria Peak", "太平山顶", 22.2759, 114.1455),
    (13, "Myeongdong", "明洞", 37.5636, 126.9869),
    (13, "Seongsu", "圣水洞", 37.5445, 127.0557),
    (14, "Dotonbori", "道顿堀", 34.6687, 135.5013),
    (18, "Fushimi Inari", "伏见稻荷", 34.9671, 135.7727),
    (19, "Chatuchak Market", "乍都乍市场", 13.7999, 100.5500),
    (25, "Eiffel Tower", "埃菲尔铁塔", 48.8584, 2.2945),
    (25, "Louvre", "卢浮宫", 48.8606, 2.3376),
    (29, "Central Park", "中央公园", 40.7829, -73.9654),
    (31, "Central Street", "中央大街", 45.7720, 126.6170),
]

# Each topic: (chinese words, english words), roughly frequent first. The English lists are
# split on spaces, so "night market" gives "night" and "market" (and "skin", written three
# times, weighs more).
VOCAB: dict[str, tuple[list[str], list[str]]] = {
    "travel": (
        _w(
            "旅行 攻略 打卡 旅游 拍照 出片 酒店 民宿 景点 路线 行程 自由行 周末 古镇 海边 日落 "
            "机位 徒步 露营 雪山 门票 预约 人少 小众 自驾 机票 高铁 夜景 古城 老街 寺庙 博物馆 "
            "公园 海岛 沙滩 日出 看海 避暑 淡季 旺季 国庆 假期 特种兵 穷游 亲子游 蜜月 一日游 "
            "地铁 打车 导航 签证 行李 背包 排队 观景台 索道 温泉 滑雪 草原 花海 樱花 银杏 红叶 "
            "星空 游船 包车 青旅 度假村 免税店 转机 落地签 换汇 电话卡 城墙 石窟"
        ),
        _w(
            "travel trip weekend guide itinerary hotel view sunset photo spot beach hike tips day "
            "tour museum temple lake island mountain airbnb flight train budget solo journey "
            "backpacking sunrise hidden gem road trip old town park stay booking visa luggage "
            "airport queue tickets crowds viewpoint cable car hot spring ski camping glamping "
            "snorkeling ferry hostel resort layover passport itinerary bridge waterfall canyon "
            "cherry blossom autumn leaves stargazing lighthouse harbour cruise rooftop"
        ),
    ),
    "food": (
        _w(
            "美食 探店 好吃 火锅 咖啡 奶茶 甜品 小吃 夜市 烧烤 人均 必点 早午餐 面包 蛋糕 串串 "
            "米线 麻辣烫 小笼包 烤鸭 拉面 牛肉面 酸菜鱼 烤肉 日料 寿司 川菜 粤菜 湘菜 早茶 点心 "
            "饺子 包子 馄饨 螺蛳粉 兔头 冒菜 钵钵鸡 豆花 凉皮 煎饼 老板 环境 服务 口味 麻辣 清淡 "
            "本地人 苍蝇馆子 老字号 网红店 招牌 套餐 团购 外卖 下午茶 酒吧 精酿 家常菜 食谱 做法 "
            "减脂餐 抹茶 拿铁 可颂 贝果 冰淇淋 糖水 肠粉 烧腊 生煎 臭豆腐 糍粑 肥肠 毛肚 鸭血 "
            "牛油锅底"
        ),
        _w(
            "food foodie delicious coffee hotpot brunch dessert cafe restaurant spicy noodles "
            "dumplings street food night market bubble tea latte matcha cake bakery croissant "
            "ramen sushi bbq barbecue dim sum menu dish taste flavour cheap eats local recipe "
            "homemade vegan pancakes bagel gelato tacos pizza pasta burger fried chicken tofu "
            "sichuan cantonese chili broth queue reservation portion price tasting omakase "
            "wine cocktails sourdough cinnamon rolls pho curry kimchi mochi"
        ),
    ),
    "skincare": (
        _w(
            "护肤 面霜 精华 防晒 敏感肌 平价 面膜 水乳 保湿 补水 修护 成分 卸妆 洗面奶 爽肤水 "
            "乳液 干皮 油皮 混油 痘痘 闭口 毛孔 黑头 美白 抗老 视黄醇 烟酰胺 玻尿酸 屏障 泛红 "
            "刷酸 大牌 专柜 国货 空瓶 回购 测评 质地 肤感 吸收 油痘肌 换季 口红 粉底 底妆 眼影 "
            "腮红 化妆 妆容 素颜 持妆 不卡粉 眼霜 精华油 喷雾 身体乳 磨砂膏 香水 唇釉 遮瑕 散粉 "
            "气垫 睫毛膏 眉笔 卸妆油 早C晚A 维C 胶原蛋白 皮肤科 医美 水光针"
        ),
        _w(
            "skincare routine moisturizer serum sunscreen sensitive skin cream toner cleanser "
            "spf retinol niacinamide hyaluronic acid dry skin oily skin acne pores blackheads "
            "redness barrier hydrating glow dupe affordable drugstore luxury review texture "
            "fragrance makeup foundation concealer lipstick blush mascara eyeliner primer "
            "cushion eye cream essence mask exfoliating vitamin peptides ceramides dermatologist "
            "kbeauty jbeauty empties repurchase swatches shade undertone"
        ),
    ),
    "fashion": (
        _w(
            "穿搭 显瘦 小个子 通勤 平替 外套 大衣 风衣 毛衣 卫衣 连衣裙 半身裙 牛仔裤 阔腿裤 "
            "衬衫 西装 针织 运动鞋 小白鞋 靴子 包包 帽子 配饰 耳环 显高 梨形 微胖 约会 韩系 法式 "
            "复古 极简 温柔 甜美 学院风 老钱风 多巴胺 秋冬 春夏 配色 尺码 面料 质感 百搭 淘宝 "
            "优衣库 羽绒服 马甲 短裙 西装裤 乐福鞋 托特包 围巾 发夹 珍珠 丝巾 一衣多穿 胶囊衣橱 "
            "买家秀 试穿 上身 博主同款"
        ),
        _w(
            "outfit ootd style coat jacket trench sweater hoodie dress skirt jeans trousers shirt "
            "blazer knit sneakers boots loafers bag tote hat earrings jewelry petite oversized "
            "minimalist vintage thrift capsule wardrobe layering neutral colour fit size fabric "
            "linen wool cotton casual chic streetwear haul try on lookbook cardigan scarf "
            "pearls denim leather tailoring silhouette pastel monochrome preppy"
        ),
    ),
    "home": (
        _w(
            "家居 装修 出租屋 改造 收纳 好物 客厅 卧室 厨房 卫生间 阳台 整理 软装 家具 沙发 床 "
            "书桌 灯 窗帘 地毯 绿植 香薰 奶油风 原木风 北欧 清洁 扫地机器人 小户型 租房 搬家 "
            "宜家 布置 氛围灯 餐桌 衣柜 墙面 设计 预算 省钱 洞洞板 置物架 床品 四件套 投影仪 "
            "猫咪 狗狗 宠物 断舍离 极简生活 独居 一人食 周末在家"
        ),
        _w(
            "home decor interior apartment rental renovation makeover living room bedroom kitchen "
            "bathroom balcony storage organizing declutter furniture sofa bed desk lamp lighting "
            "curtains rug plants candle cozy scandinavian ikea diy cleaning small space studio "
            "shelves bedding projector cat dog pets moving budget paint wallpaper mirror "
            "wardrobe tiles"
        ),
    ),
    "fitness": (
        _w(
            "健身 减脂 减肥 瑜伽 普拉提 跑步 增肌 打卡 体重 体脂 马甲线 腹肌 拉伸 核心 深蹲 "
            "平板支撑 有氧 无氧 力量训练 健身房 私教 饮食 蛋白质 热量 卡路里 坚持 自律 变瘦 瘦腿 "
            "体态 运动 健康 马拉松 游泳 骑行 爬山 帕梅拉 跳操 蜜桃臀 飞盘 陆冲 网球 羽毛球 跳绳 "
            "臀桥 硬拉 体脂秤 运动手表"
        ),
        _w(
            "workout gym fitness training pilates yoga running run marathon swim cycling squat "
            "deadlift core abs glutes cardio hiit stretching protein calories diet weight loss "
            "fat loss muscle strength progress motivation posture steps treadmill dumbbells "
            "kettlebell mobility recovery tennis padel climbing bouldering rowing"
        ),
    ),
    "cities": (
        _w(
            "城市 漫步 散步 街拍 胡同 弄堂 建筑 展览 美术馆 书店 咖啡馆 地标 夜生活 市集 公园 "
            "江边 骑行 老房子 历史 文艺 街区 天际线 城市漫游 生活感 烟火气 梧桐 外滩 小巷 商场 "
            "买手店 中古店 livehouse 看展 快闪"
        ),
        _w(
            "city citywalk walk streets neighbourhood architecture gallery exhibition bookstore "
            "skyline landmark nightlife market riverside alley downtown district historic "
            "vintage shops rooftop bar mall subway tram bridge graffiti square"
        ),
    ),
}

GENERAL_ZH = _w(
    "推荐 分享 真的 超级 喜欢 宝藏 必去 种草 好看 绝绝子 氛围感 治愈 日常 朋友 姐妹 记录 生活 "
    "第一次 一定要 收藏 干货 合集 教程 清单 安利 值得 拔草 避雷 踩雷 亲测 超赞 简单 快乐 幸福 "
    "性价比 小红书 惊喜 出发 夏天 冬天 春天 秋天 今年 最近 终于 vlog 天花板 yyds 冲鸭"
)
GENERAL_EN = _w(
    "love best favourite amazing beautiful recommend must try worth it honestly really "
    "super good new little perfect cute aesthetic vibe vibes list save share found tried "
    "finally first time friends summer winter spring autumn week days morning evening "
    "weekend life diary everyday simple happy cozy favourite underrated"
)
GLUE_ZH = _w(
    "的 了 是 在 我 也 都 很 还 就 和 有 这个 一个 我们 可以 没有 感觉 因为 所以 但是 特别 非常"
)
GLUE_EN = _w(
    "the a and to in of I it is was for with my this so on you at we but just not be have if "
    "that our very all out here there from get go went"
)
# Words that Chinese members drop into Chinese text.
LOAN_EN = _w("citywalk OOTD vlog brunch look spa city outfit SPF ins plog MBTI")
EMOJI = ["✨", "😋", "🔥", "💕", "📍", "🌸", "☕️", "🍲", "👗", "💪", "🏠", "🧴", "😭", "👍"]
ZH_PUNCT = ["，", "，", "，", "。", "！", "～", "、"]
EN_PUNCT = [".", ".", ".", "!", ",", "..."]
TITLE_SUFFIX_ZH = ["攻略", "合集", "分享", "打卡", "推荐", "测评", "日记", "清单", "｜", "！", "～"]
TITLE_PREFIX_EN = ["My", "Best", "A weekend of", "Honest", "The ultimate", "Guide:", "Tried", ""]


def _cum_zipf(n: int, s: float = 1.0) -> list[float]:
    return list(itertools.accumulate(1.0 / (k**s) for k in range(1, n + 1)))


class _Pool:
    """A word list drawn Zipf-like by rank (k-th word with weight 1/k^s)."""

    __slots__ = ("words", "cum", "total")

    def __init__(self, words: Sequence[str], s: float = 1.0) -> None:
        self.words = list(words)
        self.cum = _cum_zipf(len(self.words), s)
        self.total = self.cum[-1]

    def draw(self, rng: random.Random) -> str:
        return self.words[bisect.bisect(self.cum, rng.random() * self.total)]

    def draws(self, rng: random.Random, k: int) -> list[str]:
        return rng.choices(self.words, cum_weights=self.cum, k=k)


_ZH = {t: _Pool(zh) for t, (zh, _) in VOCAB.items()}
_EN = {t: _Pool(en) for t, (_, en) in VOCAB.items()}
_GEN_ZH, _GEN_EN = _Pool(GENERAL_ZH), _Pool(GENERAL_EN)
_GLUE_ZH, _GLUE_EN = _Pool(GLUE_ZH, 0.8), _Pool(GLUE_EN, 0.8)
_CITY_CUM = _cum_zipf(len(CITIES), 0.9)
_TOPIC_CUM = list(itertools.accumulate(TOPIC_WEIGHTS))
_KIND_CUM = list(itertools.accumulate(KIND_WEIGHTS))
_LANDMARKS_BY_CITY: dict[int, list[tuple[int, str, str, float, float]]] = {}
for _lm in LANDMARKS:
    _LANDMARKS_BY_CITY.setdefault(_lm[0], []).append(_lm)


def _pick(rng: random.Random, cum: list[float]) -> int:
    return bisect.bisect(cum, rng.random() * cum[-1])


def _zh_sentence(rng: random.Random, topic: str, city: str) -> str:
    parts: list[str] = []
    for _ in range(rng.randint(3, 7)):
        r = rng.random()
        if r < 0.5:
            word = _ZH[topic].draw(rng)
            parts.append(word if not parts or word != parts[-1] else _ZH[topic].draw(rng))
        elif r < 0.68:
            parts.append(_GEN_ZH.draw(rng))
        elif r < 0.76:
            parts.append(city)
        elif r < 0.79:
            parts.append(rng.choice(LOAN_EN))
        else:
            parts.append(_GLUE_ZH.draw(rng))
        if rng.random() < 0.2:
            parts.append(_GLUE_ZH.draw(rng))
    if rng.random() < 0.12:
        parts.append(rng.choice(EMOJI))
    return "".join(parts) + rng.choice(ZH_PUNCT)


def _en_sentence(rng: random.Random, topic: str, city: str) -> str:
    parts: list[str] = []
    for _ in range(rng.randint(4, 9)):
        r = rng.random()
        if r < 0.42:
            word = _EN[topic].draw(rng)
            parts.append(word if not parts or word != parts[-1] else _EN[topic].draw(rng))
        elif r < 0.58:
            parts.append(_GEN_EN.draw(rng))
        elif r < 0.64:
            parts.append(city)
        else:
            parts.append(_GLUE_EN.draw(rng))
    if rng.random() < 0.08:
        parts.append(rng.choice(EMOJI))
    text = " ".join(parts)
    return text[0].upper() + text[1:] + rng.choice(EN_PUNCT)


def _body(rng: random.Random, lang: str, topic: str, city_en: str, city_zh: str) -> str:
    target = min(1000, max(20, int(rng.lognormvariate(math.log(150), 0.5))))
    out: list[str] = []
    size = 0
    while size < target:
        if lang == "en":
            s = _en_sentence(rng, topic, city_en) + " "
        elif lang == "zh":
            s = _zh_sentence(rng, topic, city_zh)
        else:  # mixed: mostly Chinese, some English sentences
            s = (
                _en_sentence(rng, topic, city_en) + " "
                if rng.random() < 0.3
                else _zh_sentence(rng, topic, city_zh)
            )
        out.append(s)
        size += len(s)
    return "".join(out).strip()[:1000]


def _title(rng: random.Random, lang: str, topic: str, city_en: str, city_zh: str) -> str:
    if lang == "en":
        words = _EN[topic].draws(rng, rng.randint(1, 3))
        if rng.random() < 0.6:
            words.insert(rng.randint(0, len(words)), city_en)
        prefix = rng.choice(TITLE_PREFIX_EN)
        title = (prefix + " " if prefix else "") + " ".join(words)
        title = title[0].upper() + title[1:]
    else:
        words = _ZH[topic].draws(rng, rng.randint(1, 3))
        if rng.random() < 0.6:
            words.insert(0, city_zh)
        if rng.random() < 0.3:
            words.append(_GEN_ZH.draw(rng))
        title = "".join(words) + rng.choice(TITLE_SUFFIX_ZH)
        if lang == "mixed" and rng.random() < 0.5:
            title += " " + rng.choice(LOAN_EN)
    if rng.random() < 0.15:
        title += rng.choice(EMOJI)
    return title[:40]


def _tags(rng: random.Random, lang: str, topic: str, city_en: str, city_zh: str) -> list[str]:
    count = rng.choices((0, 1, 2, 3, 4, 5, 6), (8, 12, 20, 25, 18, 10, 7))[0]
    tags: list[str] = []
    for _ in range(count):
        r = rng.random()
        if lang == "en" or (lang == "mixed" and r < 0.3):
            if r < 0.25:
                tag = city_en.lower().replace(" ", "").replace("'", "") + topic
            else:
                tag = _EN[topic].draw(rng).replace(" ", "")
        elif r < 0.25:
            tag = city_zh + _ZH[topic].words[0]
        else:
            tag = _ZH[topic].draw(rng)
        if tag not in tags:
            tags.append(tag)
    return tags


def _place(rng: random.Random, city_index: int) -> dict[str, Any] | None:
    r = rng.random()
    if r >= 0.4:
        return None
    landmarks = _LANDMARKS_BY_CITY.get(city_index)
    if landmarks and r < 0.25:
        _, en, zh, lat, lon = rng.choice(landmarks)
        return {"name_en": en, "name_zh": zh, "lat": lat, "lon": lon}
    en, zh, lat, lon = CITIES[city_index]
    if r < 0.33:  # a city-level place with coordinates
        return {"name_en": en, "name_zh": zh, "lat": lat, "lon": lon}
    return {"name_en": en, "name_zh": zh, "lat": None, "lon": None}


def generate(n: int, seed: int = 7) -> Iterator[dict[str, Any]]:
    """Yield `n` notes, one dict at a time, the same for the same (n, seed).

    Keys: id (1..n), author_id, lang ("en" | "zh" | "mixed"), topic, title, body, tags (list),
    place (None or {name_en, name_zh, lat, lon}; lat/lon may be None), created_at (Unix seconds,
    UTC), kind ("image" | "video" | "text"), like_count, collect_count, comment_count.
    """
    rng = random.Random(seed)
    authors = max(100, n // 25)
    author_cum = _cum_zipf(min(authors, 200_000), 0.8)  # the busiest authors post the most
    for i in range(1, n + 1):
        r = rng.random()
        lang = "en" if r < 0.45 else ("zh" if r < 0.9 else "mixed")
        topic = TOPICS[_pick(rng, _TOPIC_CUM)]
        city_index = _pick(rng, _CITY_CUM)
        city_en, city_zh = CITIES[city_index][0], CITIES[city_index][1]
        likes = int(rng.lognormvariate(2.5, 1.8))
        author = _pick(rng, author_cum) if rng.random() < 0.7 else rng.randrange(authors)
        yield {
            "id": i,
            "author_id": author + 1,
            "lang": lang,
            "topic": topic,
            "title": _title(rng, lang, topic, city_en, city_zh),
            "body": _body(rng, lang, topic, city_en, city_zh),
            "tags": _tags(rng, lang, topic, city_en, city_zh),
            "place": _place(rng, city_index),
            # Ids are in time order, as the app's are (kit.db.new_id); ages follow u**1.6 for
            # u uniform, which puts more notes near the present: a growing site.
            "created_at": REFERENCE_NOW - int(TWO_YEARS * (1 - (i - 0.5) / n) ** 1.6),
            "kind": KINDS[_pick(rng, _KIND_CUM)],
            "like_count": likes,
            "collect_count": int(likes * rng.betavariate(2, 5)),
            "comment_count": int(likes * rng.betavariate(1, 12)) + (rng.random() < 0.3),
        }


def queries(seed: int = 7, per_kind: int = 40) -> dict[str, list[str]]:
    """1-, 2- and 3-word queries in each language ("en1" ... "zh3"), `per_kind` of each.

    Words are drawn Zipf-weighted from a topic's list (frequent words, as people search them);
    in every other query the last word is drawn uniformly from the rarer half of the list
    (selective queries). Two- and
    three-word queries stay within one topic and may name a city, as "chengdu hotpot" or
    "成都 火锅 攻略". Chinese words are joined without spaces, as members type them
    ("成都火锅攻略"); the analyzer must segment them.
    """
    rng = random.Random(seed * 7919 + 17)
    out: dict[str, list[str]] = {}
    for lang in ("en", "zh"):
        pools = _EN if lang == "en" else _ZH
        for words in (1, 2, 3):
            found: list[str] = []
            seen: set[str] = set()
            while len(found) < per_kind:
                rare = len(found) % 2 == 1
                topic = TOPICS[_pick(rng, _TOPIC_CUM)]
                pool = pools[topic]
                terms: list[str] = []
                if words > 1 and rng.random() < 0.5:
                    city = CITIES[_pick(rng, _CITY_CUM)]
                    terms.extend(city[0].lower().split() if lang == "en" else [city[1]])
                while len(terms) < words:
                    if rare and len(terms) == words - 1:  # one rare word makes it selective
                        w = rng.choice(pool.words[len(pool.words) // 2 :])
                    else:
                        w = pool.draw(rng)
                    w = w.split()[0] if lang == "en" and len(terms) + len(w.split()) > words else w
                    if w not in terms:
                        terms.extend(w.split() if lang == "en" else [w])
                terms = terms[:words]
                q = " ".join(terms) if lang == "en" else "".join(terms)
                if q not in seen:
                    seen.add(q)
                    found.append(q)
            out[f"{lang}{words}"] = found
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notes", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--count-only", action="store_true", help="time generation, print stats")
    args = parser.parse_args()
    if args.count_only:
        import time

        t0 = time.perf_counter()
        chars = sum(len(n["title"]) + len(n["body"]) for n in generate(args.notes, args.seed))
        dt = time.perf_counter() - t0
        print(f"{args.notes} notes, {chars / args.notes:.0f} chars each, {args.notes / dt:,.0f}/s")
        return
    for note in generate(args.notes, args.seed):
        print(json.dumps(note, ensure_ascii=False))
    print(json.dumps(queries(args.seed, 5), ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
