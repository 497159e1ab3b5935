"""Company names as people say them: the part of a legal name that identifies the
company, short names everybody uses, and whether two names are likely the same customer.

A Chinese legal name wraps the brand in a region and a legal form: 北京京东世纪贸易有限公司
is 京东 to everyone, 杭州海康威视数字技术股份有限公司 is 海康. So names are compared by
their *core*: the name without its legal form (有限公司, 股份有限公司, 集团, Co., Ltd. ...),
without the region it begins with (北京, 广东省深圳市 ...) or gives in brackets ((中国),
（深圳）), width-folded (ＡＢＣ = abc), with brackets and punctuation gone. A branch
(深圳分行, 西南油气田分公司, 信用卡中心) is part of the identity: 招商银行深圳分行 and
招商银行上海分行 are two customers, and neither is 招商银行.

Everything here is kehu's own reading of company names, not the sales method's; the
lists are deliberately short and written out so that a test can hold each rule.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Legal forms, longest first so that 股份有限公司 goes before 有限公司 and 公司.
_LEGAL = (
    "股份有限公司", "有限责任公司", "集团有限公司", "集团股份有限公司", "有限公司", "股份公司", "集团公司",
    "控股集团", "集团", "总公司", "公司",
)
_LEGAL_LATIN = re.compile(
    r"\b(co|company|corp|corporation|inc|incorporated|ltd|limited|llc|plc|gmbh|ag|sa|group|holdings?)\b\.?",
)
# A branch: what follows one of these markers' owner is part of the identity.
_BRANCH = re.compile(r"(分行|支行|分公司|子公司|分院|分部|分中心|办事处|分所|分校|营业部|信用卡中心|分厂)")

_PROVINCES = (
    "北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽", "福建",
    "江西", "山东", "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州", "云南", "陕西", "甘肃", "青海",
    "台湾", "内蒙古", "广西", "西藏", "宁夏", "新疆", "香港", "澳门",
)
_CITIES = (
    "深圳", "广州", "杭州", "南京", "苏州", "成都", "武汉", "西安", "青岛", "大连", "宁波", "厦门", "无锡",
    "长沙", "郑州", "济南", "合肥", "福州", "昆明", "沈阳", "哈尔滨", "长春", "石家庄", "太原", "南昌",
    "南宁", "贵阳", "兰州", "西宁", "银川", "乌鲁木齐", "拉萨", "呼和浩特", "海口", "三亚", "珠海", "东莞",
    "佛山", "温州", "嘉兴", "绍兴", "台州", "金华", "常州", "南通", "徐州", "扬州", "烟台", "潍坊", "唐山",
    "保定", "洛阳", "宜昌", "襄阳", "芜湖", "泉州", "漳州", "惠州", "中山", "江门", "汕头", "绵阳", "湖州",
    "镇江", "泰州", "盐城", "淮安", "连云港", "宿迁", "临沂", "淄博", "济宁", "威海", "鞍山", "吉林市",
    "大庆", "包头", "鄂尔多斯", "柳州", "桂林", "遵义", "赣州", "九江", "株洲", "湘潭", "岳阳", "衡阳",
    "宝鸡", "咸阳", "榆林", "天水", "克拉玛依", "喀什", "香港", "澳门",
)
_COUNTRY = ("中国", "中华")
# A region's own suffix: 广东省, 深圳市, 宁夏回族自治区, 浦东新区.
_REGION_SUFFIX = re.compile(r"^(省|市|自治区|壮族自治区|回族自治区|维吾尔自治区|特别行政区|新区|区|县)")
# What is left after a region must still say who the company is: 上海银行 is not 北京银行
# with the region taken off, so a core that is only one of these keeps its region.
_GENERIC = frozenset((
    "银行", "农商银行", "农村商业银行", "商业银行", "证券", "保险", "电力", "电网", "供电", "医院", "大学",
    "移动", "联通", "电信", "地铁", "机场", "港务", "水务", "燃气", "热力", "烟草", "邮政", "信托", "期货",
    "航空", "铁路", "公交", "能源", "投资", "城投", "交投", "建工", "科技", "信息", "电子", "软件", "贸易",
    "实业", "电气", "汽车", "钢铁", "化工", "医药", "物流", "传媒", "农业",
))
# Words that describe a business rather than name it: 华为技术 is 华为. Only taken off the
# end of a core, and only when a name of two characters or more is left.
_DESCRIPTORS = (
    "信息技术", "网络技术", "数字技术", "科技发展", "技术开发", "技术", "科技", "信息", "网络", "数字", "电子",
    "软件", "贸易", "实业", "发展", "控股", "通讯", "通信", "国际", "中国", "世纪", "股份",
)
_BRACKETS = re.compile(r"[(（\[【〔]([^)）\]】〕]*)[)）\]】〕]")
_NOISE = re.compile(r"[\s\-_.,，。、·•'\"“”‘’/\\&＆+]+")

# Short names everybody uses that are not part of the full name (浦发 is not a substring of
# 上海浦东发展银行). Matched only when nothing else matched; kehu's own list.
WELL_KNOWN: dict[str, tuple[str, ...]] = {
    "浦发": ("浦东发展银行",),
    "中石油": ("中国石油天然气", "中国石油"),
    "中石化": ("中国石油化工", "中国石化"),
    "中海油": ("中国海洋石油",),
    "国网": ("国家电网",),
    "南网": ("南方电网",),
    "工行": ("工商银行",),
    "建行": ("建设银行",),
    "农行": ("农业银行",),
    "中行": ("中国银行",),
    "交行": ("交通银行",),
    "招行": ("招商银行",),
    "邮储": ("邮政储蓄银行",),
    "民生": ("民生银行",),
    "兴业": ("兴业银行",),
    "光大": ("光大银行", "光大集团"),
    "中信": ("中信银行", "中信集团", "中国中信"),
    "平安": ("平安银行", "平安保险", "中国平安"),
    "人保": ("人民保险",),
    "国寿": ("人寿保险",),
    "中移动": ("中国移动",),
    "移动": ("中国移动",),
    "联通": ("中国联合网络通信", "中国联通"),
    "电信": ("中国电信",),
    "中建": ("中国建筑",),
    "中铁": ("中国中铁", "中铁"),
    "中交": ("中国交通建设",),
    "中粮": ("中粮集团", "中国粮油"),
    "国航": ("中国国际航空",),
    "东航": ("东方航空",),
    "南航": ("南方航空",),
    "中芯": ("中芯国际",),
    "宁德时代": ("宁德时代新能源",),
    "京东方": ("京东方科技",),
    "三一": ("三一重工",),
    "海康": ("海康威视",),
    "大华": ("大华技术",),
    "阿里": ("阿里巴巴",),
}


def fold(text: str) -> str:
    """Width and case folded (ＡＢＣ１２ = abc12), for comparing."""
    return unicodedata.normalize("NFKC", text).casefold()


_REGION_START = re.compile(
    "^(?:" + "|".join(sorted(_PROVINCES + _CITIES + _COUNTRY, key=len, reverse=True)) + ")"
    + "(?:" + _REGION_SUFFIX.pattern[1:] + ")?"
)


def _strip_region(text: str) -> str:
    """The region a name begins with, taken off as long as one is there (广东省深圳市...),
    unless what is left would not say who the company is."""
    while True:
        m = _REGION_START.match(text)
        if m is None:
            return text
        rest = text[m.end():]
        if len(rest) < 2 or rest in _GENERIC or _is_legal_only(rest):
            return text
        text = rest


def _is_legal_only(text: str) -> bool:
    for legal in _LEGAL:
        text = text.replace(legal, "")
    return not text


def _regional(inner: str) -> bool:
    inner = _REGION_SUFFIX.sub("", inner)
    return inner in _PROVINCES or inner in _CITIES or inner in _COUNTRY or inner == ""


@lru_cache(maxsize=1 << 14)
def core(name: str) -> str:
    """The part of a company's name that identifies it (see the module's docstring)."""
    text = fold(name)
    # A region or country in brackets is noise: 华为技术（深圳）有限公司; other bracketed
    # words (a branch, a product line) stay, without the brackets.
    text = _BRACKETS.sub(lambda m: "" if _regional(m.group(1).strip()) else m.group(1), text)
    text = _LEGAL_LATIN.sub(" ", text)
    text = _NOISE.sub("", text)
    head, branch = split_branch(text)
    # Legal forms come off the end as long as there is one (美的集团股份有限公司 → 美的),
    # also where one sits between the company and its branch
    # (上海浦东发展银行股份有限公司信用卡中心).
    head = _strip_ends(head, _LEGAL)
    head = _strip_region(head) or head
    return head + branch


def _strip_ends(head: str, words: tuple[str, ...]) -> str:
    """``head`` without the words it ends with, one after another, as long as at least
    two characters are left."""
    stripped = True
    while stripped:
        stripped = False
        for word in words:
            if head.endswith(word) and len(head) - len(word) >= 2:
                head = head[: -len(word)]
                stripped = True
                break
    return head


def split_branch(text: str) -> tuple[str, str]:
    """(the company, its branch) of a folded name: the branch starts at the place or unit
    before a branch marker, 招商银行|深圳分行. A name without a marker has no branch."""
    m = _BRANCH.search(text)
    if m is None or m.start() == 0:
        return text, ""
    # The branch's own place comes just before the marker (深圳分行, 西南油气田分公司):
    # walk back over the place or unit name, to the end of the company's legal form or
    # of a known region.
    start = m.start()
    head = text[:start]
    for legal in _LEGAL:
        idx = head.rfind(legal)
        if idx > 0:
            return head[: idx + len(legal)], text[idx + len(legal):]
    for region in sorted(_PROVINCES + _CITIES, key=len, reverse=True):
        idx = head.rfind(region)
        if idx > 0:
            return head[:idx], text[idx:]
    return head, text[start:]


@lru_cache(maxsize=1 << 14)
def brand(name: str) -> str:
    """The core without the words that describe a business (华为技术 → 华为), as long as at
    least two characters are left; a branch stays."""
    head, branch = split_branch(core(name))
    return _strip_ends(head, _DESCRIPTORS) + branch


@lru_cache(maxsize=1 << 14)
def _flat(name: str) -> str:
    return _NOISE.sub("", fold(name))


def well_known(text: str) -> tuple[str, ...]:
    """What a short name everybody uses stands for (浦发 → 浦东发展银行), else nothing."""
    return WELL_KNOWN.get(fold(text).strip(), ())


@dataclass(frozen=True)
class Likeness:
    """Why two names are probably the same customer: ``reason`` is a key (same_core,
    same_brand, contains, well_known) with a message in the catalog."""

    reason: str
    strength: int  # 3 same core, 2 same brand, 1 one contains the other


def likeness(a: str, b: str) -> Likeness | None:
    """Whether two customer names are probably the same customer, and why; None when they
    are not (different branches are never the same customer)."""
    ca, cb = core(a), core(b)
    if not ca or not cb:
        return None
    ha, bra = split_branch(ca)
    hb, brb = split_branch(cb)
    if bra != brb:
        return None
    if ca == cb:
        return Likeness("same_core", 3)
    ba, bb = brand(a), brand(b)
    if len(ba) >= 2 and ba == bb:
        return Likeness("same_brand", 2)
    for short, other in ((a, b), (b, a)):
        fulls = well_known(short)
        if fulls and any(full in _flat(other) for full in fulls):
            return Likeness("well_known", 2)
    shorter, longer = sorted((ha, hb), key=len)
    if len(shorter) >= 2 and shorter not in _GENERIC and (
        _starts_word(longer, shorter) or (len(shorter) >= 3 and shorter in longer)
    ):
        return Likeness("contains", 1)
    short_brand, long_brand = sorted((ba, bb), key=len)
    if len(short_brand) >= 2 and _starts_word(long_brand, short_brand):
        return Likeness("contains", 1)
    return None


def _starts_word(longer: str, shorter: str) -> bool:
    """``longer`` begins with ``shorter`` and goes on with a word of its own: 华为|终端,
    腾讯|计算机系统, but not 京东|方 (one more character makes another name, 京东方)."""
    return longer.startswith(shorter) and len(longer) - len(shorter) >= 2


# Keys standing for a well-known short name start with this (no name holds it: names are
# refused with control characters).
MARK = "\x00"


def probe_keys(name: str) -> set[str]:
    """Keys a name looks itself up under when compared with many (`kehu dupes`, `kehu
    add`): with :func:`index_keys`, every pair that :func:`likeness` calls alike shares
    one (the shorter name's first two characters are among the longer's pairs)."""
    c = core(name)
    head, _ = split_branch(c)
    keys = {head[:2], brand(name)[:2]}
    short = fold(name).strip()
    if short in WELL_KNOWN:
        keys.add(MARK + short)
    return {k for k in keys if k}


def index_keys(name: str) -> set[str]:
    """Keys a name is filed under: every two characters in a row of its core, and the
    short names everybody uses that stand for it."""
    c = core(name)
    head, _ = split_branch(c)
    keys = {head[i:i + 2] for i in range(max(1, len(head) - 1))} | {brand(name)[:2]}
    short = fold(name).strip()
    if short in WELL_KNOWN:
        keys.add(MARK + short)
    keys.update(MARK + short for full in _FULL_FORMS.findall(c) for short in _SHORT_OF[full])
    return {k for k in keys if k}


# Every full form of the short names, as one pattern, and the short names of each.
_SHORT_OF: dict[str, list[str]] = {}
for _short, _fulls in WELL_KNOWN.items():
    for _full in _fulls:
        _SHORT_OF.setdefault(_full, []).append(_short)
_FULL_FORMS = re.compile("|".join(sorted(map(re.escape, _SHORT_OF), key=len, reverse=True)))
