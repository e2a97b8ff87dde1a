"""Cities and places of the demo notes, named in English and Chinese, with real coordinates."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Place:
    name_en: str
    name_zh: str
    lat: float
    lon: float
    topics: tuple[str, ...]  # the kinds of note that would name this place


@dataclass(frozen=True)
class City:
    key: str
    name_en: str
    name_zh: str
    tag_en: str  # the hashtag people use for it
    tag_zh: str
    places: tuple[Place, ...]
    region_en: str = "chinatravel"  # the tag of the country, for travel notes
    region_zh: str = "国内旅行"


T, F, C = "travel", "food", "city"

CITIES: dict[str, City] = {
    city.key: city
    for city in (
        City(
            "chengdu",
            "Chengdu",
            "成都",
            "chengdu",
            "成都",
            (
                Place("Kuanzhai Alley", "宽窄巷子", 30.6698, 104.0535, (T, C)),
                Place("Chunxi Road", "春熙路", 30.6568, 104.0806, (C, F)),
                Place("Chengdu Panda Base", "成都大熊猫繁育研究基地", 30.7334, 104.1459, (T,)),
                Place("Yulin Road", "玉林路", 30.6288, 104.0578, (F, C)),
                Place("Jianshe Road Food Street", "建设路美食街", 30.6745, 104.1019, (F,)),
            ),
        ),
        City(
            "chongqing",
            "Chongqing",
            "重庆",
            "chongqing",
            "重庆",
            (
                Place("Hongyadong", "洪崖洞", 29.5631, 106.5787, (T, C)),
                Place("Jiefangbei", "解放碑", 29.5576, 106.5775, (C, F)),
                Place("Liziba Station", "李子坝轻轨站", 29.5512, 106.5329, (T, C)),
                Place("Ciqikou Old Town", "磁器口古镇", 29.5794, 106.4473, (T, F)),
            ),
        ),
        City(
            "dali",
            "Dali",
            "大理",
            "dali",
            "大理",
            (
                Place("Erhai Lake", "洱海", 25.7781, 100.1876, (T,)),
                Place("Dali Old Town", "大理古城", 25.6939, 100.1617, (T, F, C)),
                Place("Shuanglang", "双廊", 25.9079, 100.1937, (T,)),
                Place("Cangshan Mountain", "苍山", 25.6847, 100.1020, (T,)),
            ),
        ),
        City(
            "shanghai",
            "Shanghai",
            "上海",
            "shanghai",
            "上海",
            (
                Place("The Bund", "外滩", 31.2400, 121.4903, (T, C)),
                Place("Wukang Road", "武康路", 31.2090, 121.4385, (C, F)),
                Place("Anfu Road", "安福路", 31.2139, 121.4440, (C, F)),
                Place("Yu Garden", "豫园", 31.2272, 121.4921, (T, F)),
            ),
        ),
        City(
            "beijing",
            "Beijing",
            "北京",
            "beijing",
            "北京",
            (
                Place("Nanluoguxiang", "南锣鼓巷", 39.9371, 116.4035, (C, F)),
                Place("The Forbidden City", "故宫", 39.9163, 116.3972, (T,)),
                Place("Sanlitun", "三里屯", 39.9334, 116.4548, (C, F)),
                Place("Houhai", "后海", 39.9410, 116.3866, (C, T)),
            ),
        ),
        City(
            "hangzhou",
            "Hangzhou",
            "杭州",
            "hangzhou",
            "杭州",
            (
                Place("West Lake", "西湖", 30.2447, 120.1487, (T, C)),
                Place("Longjing Village", "龙井村", 30.2270, 120.1190, (T, F)),
                Place("Hubin Road", "湖滨路", 30.2596, 120.1628, (C, F)),
            ),
        ),
        City(
            "guangzhou",
            "Guangzhou",
            "广州",
            "guangzhou",
            "广州",
            (
                Place("Shamian Island", "沙面", 23.1090, 113.2386, (T, C)),
                Place("Taotaoju Teahouse", "陶陶居", 23.1226, 113.2617, (F,)),
                Place("Yongqingfang", "永庆坊", 23.1196, 113.2443, (C, F)),
            ),
        ),
        City(
            "xiamen",
            "Xiamen",
            "厦门",
            "xiamen",
            "厦门",
            (
                Place("Gulangyu Island", "鼓浪屿", 24.4473, 118.0664, (T, C)),
                Place("Zengcuo'an", "曾厝垵", 24.4338, 118.1278, (F, T)),
                Place("Huandao Road", "环岛路", 24.4416, 118.1386, (T,)),
            ),
        ),
        City(
            "kyoto",
            "Kyoto",
            "京都",
            "kyoto",
            "京都",
            (
                Place("Fushimi Inari Taisha", "伏见稻荷大社", 34.9671, 135.7727, (T,)),
                Place("Arashiyama", "岚山", 35.0094, 135.6668, (T,)),
                Place("Kiyomizu-dera", "清水寺", 34.9949, 135.7850, (T,)),
                Place("Nishiki Market", "锦市场", 35.0050, 135.7649, (F,)),
            ),
            "japantravel",
            "日本旅行",
        ),
        City(
            "lisbon",
            "Lisbon",
            "里斯本",
            "lisbon",
            "里斯本",
            (
                Place("Alfama", "阿尔法玛", 38.7114, -9.1302, (T, C)),
                Place("Belém Tower", "贝伦塔", 38.6916, -9.2160, (T,)),
                Place("Time Out Market", "时代广场市场", 38.7069, -9.1459, (F,)),
                Place("Miradouro da Senhora do Monte", "山顶圣母观景台", 38.7192, -9.1326, (T, C)),
            ),
            "portugal",
            "葡萄牙旅行",
        ),
        City(
            "seoul",
            "Seoul",
            "首尔",
            "seoul",
            "首尔",
            (
                Place("Seongsu-dong", "圣水洞", 37.5446, 127.0557, (C, F)),
                Place("Bukchon Hanok Village", "北村韩屋村", 37.5826, 126.9831, (T, C)),
            ),
            "koreatravel",
            "韩国旅行",
        ),
        City(
            "london",
            "London",
            "伦敦",
            "london",
            "伦敦",
            (
                Place("Notting Hill", "诺丁山", 51.5090, -0.1960, (C, T)),
                Place("Borough Market", "博罗市场", 51.5055, -0.0910, (F,)),
            ),
            "london",
            "英国生活",
        ),
        City(
            "newyork",
            "New York",
            "纽约",
            "nyc",
            "纽约",
            (
                Place("Brooklyn Bridge", "布鲁克林大桥", 40.7061, -73.9969, (T, C)),
                Place("Chinatown, Manhattan", "曼哈顿唐人街", 40.7158, -73.9970, (F, C)),
            ),
            "usa",
            "美国生活",
        ),
        City(
            "ohio",
            "Columbus",
            "哥伦布",
            "columbus",
            "哥伦布",
            (Place("Short North", "肖特诺斯街区", 39.9778, -83.0030, (C, F)),),
            "usa",
            "美国生活",
        ),
    )
}

# Cities a traveller writes about, whoever they are.
DESTINATIONS = (
    "chengdu",
    "chongqing",
    "dali",
    "shanghai",
    "beijing",
    "hangzhou",
    "xiamen",
    "kyoto",
    "lisbon",
    "seoul",
)
