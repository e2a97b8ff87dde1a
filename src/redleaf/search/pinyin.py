"""Pinyin keys for suggestions, so `huoguo` and `hg` complete to 火锅.

`pinyin_keys` gives, for text with Chinese in it, the full toneless pinyin run together
(火锅 → huoguo; ü is written v, as keyboards type it: 旅行 → lvxing) and the initials
(火锅 → hg). Text is folded first (`analyze.normalise`), so 火鍋 gives the same keys; latin
words and digits are kept as they are in both keys (ootd穿搭 → ootdchuanda, ootdcd).
Readings come from pypinyin's phrase dictionary (重庆 → chongqing), one reading per character.

`is_pinyin_prefix` says whether a query could be pinyin being typed: a run of syllables whose
last may be unfinished (`huog`, `chengd`, `xi'an`), or a few initials (`hg`, `cdms`).
English words often fail (`hotpot`), but some pass (`china` is chi-na): callers should offer
pinyin matches next to, not instead of, ordinary prefix matches.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from pypinyin import Style, lazy_pinyin

from redleaf.search.analyze import HAN_CHARS, normalise

MAX_PINYIN_CHARS = 40  # longer input is not treated as pinyin
MAX_INITIALS = 6  # a run of initials longer than this is not treated as pinyin

# The toneless syllables of Mandarin (from pypinyin's dictionary, less the interjections
# m, n, ng, hm, hng), plus lue and nue as people type lüe and nüe.
_SYLLABLES = """
    a ai an ang ao ba bai ban bang bao bei ben beng bi bian biang biao bie bin bing bo bong bu
    ca cai can cang cao ce cei cen ceng cha chai chan chang chao che chen cheng chi chong chou chu
    chua chuai chuan chuang chui chun chuo ci cong cou cu cuan cui cun cuo da dai dan dang dao de
    dei den deng di dia dian diao die din ding diu dong dou du duan dui dun duo e ei en eng er fa
    fan fang fei fen feng fiao fo fou fu ga gai gan gang gao ge gei gen geng gong gou gu gua guai
    guan guang gui gun guo ha hai han hang hao he hei hen heng hong hou hu hua huai huan huang hui
    hun huo ji jia jian jiang jiao jie jin jing jiong jiu ju juan jue jun ka kai kan kang kao ke
    kei ken keng kong kou ku kua kuai kuan kuang kui kun kuo la lai lan lang lao le lei len leng
    li lia lian liang liao lie lin ling liu lo long lou lu luan lue lun luo lv lve ma mai man mang
    mao me mei men meng mi mian miao mie min ming miu mo mou mu na nai nan nang nao ne nei nen
    neng ni nia nian niang niao nie nin ning niu nong nou nu nuan nue nun nuo nv nve o ou pa pai
    pan pang pao pei pen peng pi pian piao pie pin ping po pou pu qi qia qian qiang qiao qie qin
    qing qiong qiu qu quan que qun ran rang rao re ren reng ri rong rou ru rua ruan rui run ruo
    sa sai san sang sao se sen seng sha shai shan shang shao she shei shen sheng shi shou shu shua
    shuai shuan shuang shui shun shuo si song sou su suan sui sun suo ta tai tan tang tao te tei
    teng ti tian tiao tie ting tong tou tu tuan tui tun tuo wa wai wan wang wei wen weng wo wong
    wu xi xia xian xiang xiao xie xin xing xiong xiu xu xuan xue xun ya yan yang yao ye yi yin
    ying yo yong you yu yuan yue yun za zai zan zang zao ze zei zen zeng zha zhai zhan zhang zhao
    zhe zhei zhen zheng zhi zhong zhou zhu zhua zhuai zhuan zhuang zhui zhun zhuo zi zong zou zu
    zuan zui zun zuo"""
SYLLABLES = frozenset(_SYLLABLES.split())
_LONGEST = max(map(len, SYLLABLES))
_HAN = re.compile(f"[{HAN_CHARS}]")
_RUNS = re.compile(f"[{HAN_CHARS}]+|[^{HAN_CHARS}]+")
_KEEP = re.compile(r"[^a-z0-9]+")
_VOWELS = frozenset("aeiouv")
_SEPARATORS = re.compile(r"[\s'\u2019]+")


@cache
def _prefixes() -> frozenset[str]:
    return frozenset(s[:end] for s in SYLLABLES for end in range(1, len(s) + 1))


def pinyin_keys(text: str) -> list[str]:
    """[full pinyin, initials] of `text`, without duplicates; [] when it has no Chinese."""
    folded = normalise(text)
    if not _HAN.search(folded):
        return []
    full: list[str] = []
    initials: list[str] = []
    for run in _RUNS.findall(folded):
        if not _HAN.match(run):  # latin words and digits, as written
            kept = _KEEP.sub("", run)
            full.append(kept)
            initials.append(kept)
            continue
        for syllable in lazy_pinyin(run, style=Style.NORMAL, errors="ignore"):
            syllable = _KEEP.sub("", syllable)
            if syllable:
                full.append(syllable)
                initials.append(syllable[0])
    keys = ["".join(full), "".join(initials)]
    return [key for index, key in enumerate(keys) if key and key not in keys[:index]]


def is_pinyin_prefix(query: str) -> bool:
    """Whether `query` looks like pinyin being typed (see the module docstring)."""
    text = _SEPARATORS.sub("", unicodedata.normalize("NFKC", query).casefold())
    if not text or len(text) > MAX_PINYIN_CHARS or not (text.isascii() and text.isalpha()):
        return False
    if len(text) <= MAX_INITIALS and not _VOWELS.intersection(text):
        return True
    prefixes = _prefixes()
    reachable = [False] * (len(text) + 1)
    reachable[0] = True
    for start in range(len(text)):
        if not reachable[start]:
            continue
        if text[start:] in prefixes:
            return True
        for end in range(start + 1, min(len(text), start + _LONGEST) + 1):
            if text[start:end] in SYLLABLES:
                reachable[end] = True
    return reachable[len(text)]
