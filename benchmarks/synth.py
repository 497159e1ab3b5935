"""A synthetic kehu book with a fixed seed, written straight into kehu's own schema.

The schema comes from kehu itself (the harness runs `kehu add` once on a new file and
empties it); this module only fills it, with raw sqlite3 ``executemany`` in one
transaction, so a 100,000-customer book takes seconds rather than the hours the CLI
would need. Everything is drawn from ``random.Random(seed)``: the same scale and seed
give the same book, byte for byte in its rows.

What it holds (numbers for the full scale):

- customers: realistic company names (region + brand + industry + 有限公司 …), every
  stage (stranger … mature) with a back-dated history of stage events and the tasks
  done on the way, a long-tailed (Pareto) annual value, about 3 % terminated;
- people: Chinese names (surname + given name), titles, levels, buying roles,
  attitudes, competence ratings, unique per customer;
- touchpoints of all ten kinds over the three years up to TODAY, more for valuable and
  advanced customers, with the people met, next steps (a few left overdue) and the
  promises made in them (kept, broken, open, some overdue);
- contracts (every mature customer has a signed one) with instalments, some overdue,
  and aftercare visits after completed ones.

It also writes the CSV files the import benchmarks read, from the same rows, with the
Chinese headers and labels a salesperson's Excel file would have.
"""

from __future__ import annotations

import csv
import json
import math
import random
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from kehu.rules.names import name_key

TODAY = date(2026, 11, 23)  # KEHU_TODAY for every child; the data ends here
START = date(2023, 11, 24)  # three years of history
GENERATOR_VERSION = 3  # bump when the data changes, so cached books are rebuilt

STAGES = ("stranger", "acquainted", "evaluation", "growth", "mature")
STAGE_TASKS = {
    "stranger": ("plan", "call"),
    "acquainted": ("visit", "survey", "draft"),
    "evaluation": ("demo", "tech"),
    "growth": ("needs", "proposal", "assess"),
    "mature": ("negotiate", "sign"),
}
TOUCH_KINDS = ("daily", "topic", "showcase", "team_event", "joint_launch", "exec_letter",
               "hq_visit", "exec_visit", "forum", "summit")
KIND_SHARE = (50, 15, 7, 5, 3, 5, 4, 6, 3, 2)  # daily calls dominate; summits are rare

# Chinese labels the CSV files use (accepted by kehu's import, see docs/csv.md).
LABEL = {
    "stage": {"stranger": "陌生期", "acquainted": "建立期", "evaluation": "考察期", "growth": "成长期",
              "mature": "成熟期"},
    "kind": {"consumer": "消费者", "business": "商业", "internal": "内部"},
    "level": {"transactional": "买卖", "preferred": "优先供应商", "partner": "合作伙伴", "alliance": "战略联盟"},
    "profit": {"high": "高", "low": "低"},
    "touch": {"daily": "日常", "topic": "专题", "showcase": "参观", "team_event": "团建",
              "joint_launch": "联合发布", "exec_letter": "信函", "hq_visit": "公司考察",
              "exec_visit": "高层拜访", "forum": "论坛", "summit": "峰会"},
}

REGIONS = ("北京", "上海", "广州", "深圳", "杭州", "南京", "苏州", "成都", "重庆", "武汉", "西安", "天津",
           "青岛", "宁波", "厦门", "长沙", "郑州", "济南", "合肥", "福州", "昆明", "沈阳", "大连", "哈尔滨",
           "长春", "石家庄", "太原", "南昌", "南宁", "贵阳", "兰州", "乌鲁木齐", "呼和浩特", "无锡", "常州",
           "佛山", "东莞", "珠海", "温州", "绍兴", "嘉兴", "烟台", "潍坊", "徐州", "泉州", "惠州", "中山",
           "洛阳", "宜昌", "襄阳", "芜湖", "扬州", "南通", "台州", "金华", "海口", "三亚", "银川", "西宁")
BRAND_CHARS = ("华信达通恒瑞泰盛创科新源汇联中宏博智远鼎海天金润安康永昌"
               "正德隆丰嘉捷航宇星辰明朗东方鑫锐诚睿凯越腾飞云启迪晟铭")
# (word in the company name, industry column)
INDUSTRIES = (
    ("电子科技", "电子"), ("信息技术", "信息技术"), ("软件", "软件"), ("网络科技", "互联网"),
    ("电力", "能源"), ("新能源", "能源"), ("能源科技", "能源"), ("储能技术", "能源"),
    ("医药", "医药"), ("生物科技", "医药"), ("医疗器械", "医疗"), ("健康科技", "医疗"),
    ("物流", "物流"), ("供应链管理", "物流"), ("国际货运", "物流"),
    ("建设工程", "建筑"), ("建筑设计", "建筑"), ("装饰工程", "建筑"),
    ("机械制造", "制造"), ("精密制造", "制造"), ("汽车零部件", "汽车"), ("汽车销售服务", "汽车"),
    ("新材料", "材料"), ("化工", "化工"), ("环保科技", "环保"), ("水务", "公用事业"),
    ("食品", "食品"), ("餐饮管理", "餐饮"), ("纺织", "纺织"), ("服饰", "纺织"),
    ("通信技术", "通信"), ("数据服务", "信息技术"), ("智能装备", "制造"), ("半导体", "电子"),
    ("教育科技", "教育"), ("文化传媒", "传媒"), ("金融服务", "金融"), ("融资租赁", "金融"),
    ("商贸", "零售"), ("连锁超市", "零售"), ("置业", "地产"), ("物业服务", "地产"),
)
SUFFIXES = ("有限公司", "有限公司", "有限公司", "股份有限公司", "集团有限公司", "有限责任公司")
SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
            "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚"
            "邵万钱严覃武戴莫孔向汤")
COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "慕容")
GIVEN = ("伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰萍红建国建华志强文斌晓东晓明"
         "海燕丹鹏辉俊斌宇浩凯鑫鹏飞婷雪琳颖晨阳思远子涵梓萱欣怡雨桐浩然一鸣嘉怡诗涵佳琪博文天宇"
         "立新春梅秋菊冬梅红梅德明振华永红国强庆华金凤")
TITLES = (  # (title, department, level)
    ("总经理", "总经办", "executive"), ("副总裁", "总经办", "executive"), ("CIO", "信息中心", "executive"),
    ("CTO", "技术中心", "executive"), ("财务总监", "财务部", "executive"), ("董事长", "董事会", "executive"),
    ("IT总监", "信息中心", "middle"), ("采购经理", "采购部", "middle"), ("项目经理", "项目部", "middle"),
    ("运营总监", "运营部", "middle"), ("部门经理", "业务部", "middle"), ("技术主管", "技术中心", "middle"),
    ("工程师", "信息中心", "staff"), ("采购专员", "采购部", "staff"), ("系统管理员", "信息中心", "staff"),
    ("业务专员", "业务部", "staff"), ("助理", "总经办", "staff"),
)
ROLES = ("influencer", "technical", "user", "procurement", "coach")
OWNERS = ("王磊", "李静", "张伟", "刘洋", "陈晨", "杨帆", "黄丽", "赵强", "吴敏", "周杰", "徐婷", "孙浩",
          "马超", "朱琳", "胡斌", "郭鹏", "何欣", "高翔", "林峰", "罗娜", "郑凯", "梁爽", "谢军", "宋佳",
          "唐宇", "许诺", "韩雪", "冯涛", "邓辉", "曹颖", "彭亮", "曾敏", "肖扬", "田甜", "董洁", "袁野",
          "潘越", "于晴", "蒋峰", "蔡明")
NOTES = ("介绍公司整体解决方案", "电话沟通项目进展", "微信确认会议时间", "交流数据中台建设思路",
         "演示新版本功能", "了解年度预算安排", "讨论技术架构选型", "回访上次问题处理情况",
         "参观样板客户现场", "邀请参加行业峰会", "递交初步报价", "沟通合同条款细节",
         "客户反馈试用情况", "高层会面建立信任", "商务宴请", "协助准备立项材料",
         "了解竞争对手动态", "确认交付周期要求", "节日问候", "答疑安全合规问题")
SIGNALS = ("对方案提问很多", "主动介绍内部流程", "提到预算已批", "要求提供案例", "态度明显冷淡",
           "询问交付周期", "引荐了技术负责人", "提到竞争对手报价", "希望尽快试点", "关注售后服务")
NEXT_STEPS = ("发会议纪要", "提交技术方案", "安排演示", "寄送报价单", "约高层见面", "整理需求清单",
              "回复安全问卷", "发送案例资料", "确认试点范围", "准备投标文件")
PROMISES = ("两周内给出报价", "下周提供测试环境", "月底前完成方案修改", "安排专家上门支持",
            "提供三家同类客户案例", "协调总部资源支持", "提交培训计划", "给出实施排期")
CONTRACT_ITEMS = ("数据平台建设项目", "运维服务合同", "软件许可采购", "系统集成项目", "咨询服务",
                  "设备采购合同", "年度技术支持", "升级改造项目", "云服务订阅", "培训服务")
LOST_REASONS = ("价格高于竞争对手", "项目预算取消", "客户选择了现有供应商", "技术方案不满足要求")
DROP_REASONS = ("资金链紧张，无法付款", "客户被并购", "业务方向调整", "长期无回应")
FORCE_REASON = "老客户转介绍，已见过面"
CUSTOMER_NOTES = ("集团采购统一招标", "老客户，合作多年", "重点行业标杆", "需关注回款", None, None, None)


@dataclass(frozen=True)
class Scale:
    customers: int
    people: int
    touchpoints: int
    contracts: int


SCALES = {
    "tiny": Scale(200, 600, 2_000, 100),
    "small": Scale(10_000, 30_000, 100_000, 5_000),
    "full": Scale(100_000, 300_000, 1_000_000, 50_000),
}
BOOK_1K = Scale(1_000, 3_000, 10_000, 500)  # the small book of `show`/`add` on a 1,000-customer book


def scale_of(text: str) -> Scale:
    """tiny | small | full, or a number of customers (people ×3, touchpoints ×10, contracts ×½)."""
    if text in SCALES:
        return SCALES[text]
    n = int(text)
    if n < 10:
        raise ValueError("a scale needs at least 10 customers")
    return Scale(n, 3 * n, 10 * n, max(1, n // 2))


def _iso(d: date | None) -> str | None:
    return None if d is None else d.isoformat()


_NOON: dict[date, str] = {}


def noon(d: date) -> str:
    """Local noon of a day as kehu stores moments: naive UTC text (see dates.moment_on)."""
    s = _NOON.get(d)
    if s is None:
        s = datetime(d.year, d.month, d.day, 12).astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
        _NOON[d] = s
    return s


def day_at(ordinal: int) -> date:
    return date.fromordinal(ordinal)


@dataclass
class Cust:
    id: int
    name: str
    stage: str
    added: int  # ordinal
    entered: list[int]  # ordinal day each stage up to the current one was entered
    end: int  # last day it can be touched (terminated day or today)
    terminated: int | None
    value_cents: int | None
    people: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class Counts:
    customers: int = 0
    people: int = 0
    touchpoints: int = 0
    touchpoint_person: int = 0
    promises: int = 0
    events: int = 0
    tasks: int = 0
    contracts: int = 0
    instalments: int = 0


def _insert(con: sqlite3.Connection, table: str, cols: tuple[str, ...], rows: list[tuple]) -> None:
    if rows:
        con.executemany(
            f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})", rows
        )


CUSTOMER_COLS = ("id", "name", "name_key", "industry", "region", "kind", "level", "value_cents", "owner",
                 "note", "stage", "terminated_at", "terminated_reason", "created_at", "updated_at",
                 "profit_now", "profit_future", "service_cost", "added_on")
PERSON_COLS = ("id", "customer_id", "name", "name_key", "title", "dept", "level", "role", "attitude", "kpi",
               "pain", "interest", "style", "competence", "private", "created_at")
EVENT_COLS = ("id", "customer_id", "at", "kind", "from_stage", "to_stage", "reason", "detail")
TASK_COLS = ("customer_id", "task", "done_on", "note")
TOUCH_COLS = ("id", "customer_id", "day", "kind", "note", "signals", "next_step", "next_due", "next_done_on",
              "created_at")
LINK_COLS = ("touchpoint_id", "person_id")
PROMISE_COLS = ("id", "customer_id", "touchpoint_id", "text", "made_on", "due", "kept_on", "broken_on",
                "created_at")
CONTRACT_COLS = ("id", "customer_id", "title", "amount_cents", "currency", "status", "expected_on",
                 "signed_on", "completed_on", "lost_on", "lost_reason", "aftercare_due", "aftercare_done_on",
                 "note", "created_at", "updated_at")
INSTALMENT_COLS = ("id", "contract_id", "seq", "amount_cents", "due", "paid_cents", "paid_on")

CUSTOMER_CSV_HEADER = ("客户名称", "行业", "地区", "类型", "关系类型", "年价值", "负责人", "备注", "阶段",
                       "当前盈利", "未来潜力", "服务成本", "建档日期", "终止日期", "终止原因")
TOUCH_CSV_HEADER = ("客户名称", "日期", "方式", "接触人", "备注", "信号", "下一步", "下一步截止", "下一步完成")


def _spread(total: int, weights: list[float], rng: random.Random, minimum: int = 0) -> list[int]:
    """Split ``total`` over the weights (each at least ``minimum`` when there is enough)."""
    n = len(weights)
    if total < minimum * n:
        minimum = 0
    rest = total - minimum * n
    wsum = sum(weights) or 1.0
    counts = [minimum + int(rest * w / wsum) for w in weights]
    short = total - sum(counts)
    for i in rng.choices(range(n), weights=weights, k=short):
        counts[i] += 1
    return counts


class Builder:
    """Fills an empty kehu book. ``base`` (customers, people, history) can be snapshotted
    before the touchpoints, promises and contracts go in."""

    def __init__(self, scale: Scale, seed: int) -> None:
        self.scale = scale
        self.rng = random.Random(seed)
        self.today = TODAY.toordinal()
        self.start = START.toordinal()
        self.customers: list[Cust] = []
        self.counts = Counts()
        self.event_id = 0

    # ------------------------------------------------------------ customers and people

    def _company_names(self, n: int) -> list[str]:
        rng, seen, out = self.rng, set(), []
        while len(out) < n:
            ind = rng.choice(INDUSTRIES)[0]
            name = rng.choice(REGIONS) + rng.choice(BRAND_CHARS) + rng.choice(BRAND_CHARS) + ind + rng.choice(SUFFIXES)
            key = name_key(name)
            if key not in seen:
                seen.add(key)
                out.append(name)
        return out

    def _person_name(self) -> str:
        rng = self.rng
        surname = rng.choice(COMPOUND_SURNAMES) if rng.random() < 0.02 else rng.choice(SURNAMES)
        if rng.random() < 0.55:
            return surname + rng.choice(GIVEN) + rng.choice(GIVEN)
        return surname + rng.choice(GIVEN)

    def base(self, con: sqlite3.Connection, customer_csv: Path | None = None) -> None:
        """Customers with their stage history and tasks, and their people."""
        rng, sc = self.rng, self.scale
        names = self._company_names(sc.customers)
        stage_weights = (35, 25, 18, 12, 10)
        cust_rows, event_rows, task_rows, csv_rows = [], [], [], []
        for i, name in enumerate(names, start=1):
            stage_i = rng.choices(range(5), weights=stage_weights)[0]
            stage = STAGES[stage_i]
            # advanced customers were added earlier: each stage took at least 2 weeks
            latest_add = self.today - 14 * stage_i - 1
            added = rng.randint(self.start, latest_add)
            cuts = sorted(rng.randint(added + 1, self.today) for _ in range(stage_i))
            for k in range(1, len(cuts)):  # distinct, increasing days
                if cuts[k] <= cuts[k - 1]:
                    cuts[k] = cuts[k - 1] + 1
            entered = [added, *cuts]
            entered = [min(d, self.today) for d in entered]
            terminated = None
            if rng.random() < 0.03:
                terminated = rng.randint(entered[-1], self.today)
            ind_word, industry = next((w, c) for w, c in INDUSTRIES if w in name)
            region = next(r for r in REGIONS if name.startswith(r))
            # Annual value: Pareto (80/20), from 20,000 yuan; a few never entered.
            value = None
            if rng.random() > 0.05:
                yuan = 20_000 * rng.paretovariate(1.16) * (1 + stage_i * 0.3)
                value = min(int(yuan * 100), 10**13)
            kind = rng.choices(("business", "consumer", "internal"), weights=(85, 5, 10))[0]
            level = rng.choices((None, "transactional", "preferred", "partner", "alliance"),
                                weights=(10, 45, 28, 12, 5))[0]
            owner = rng.choice(OWNERS)
            note = rng.choice(CUSTOMER_NOTES)
            pn = rng.choice((None, "high", "low"))
            pf = rng.choice((None, "high", "low"))
            cost = rng.choice((None, "low", "high"))
            created = noon(day_at(added))
            updated = noon(day_at(terminated or entered[-1]))
            c = Cust(i, name, stage, added, entered, terminated or self.today, terminated, value)
            self.customers.append(c)
            cust_rows.append((
                i, name, name_key(name), industry, region, kind, level, value, owner, note, stage,
                noon(day_at(terminated)) if terminated else None,
                rng.choice(DROP_REASONS) if terminated else None,
                created, updated, pn, pf, cost, day_at(added).isoformat(),
            ))
            # History: created as a stranger, then each advance (some forced), tasks on the way.
            self._event(event_rows, i, added, "created", None, "stranger")
            for k in range(stage_i + 1):
                s = STAGES[k]
                lo = entered[k]
                hi = entered[k + 1] if k + 1 < len(entered) else self.today
                tasks = STAGE_TASKS[s] if k < stage_i else [t for t in STAGE_TASKS[s] if rng.random() < 0.4]
                for t in tasks:
                    d = rng.randint(lo, max(lo, hi - 1)) if k < stage_i else rng.randint(lo, hi)
                    task_rows.append((i, t, day_at(d).isoformat(), None))
                    self._event(event_rows, i, d, "task_done", None, None,
                                detail=json.dumps({"task": t, "on": day_at(d).isoformat()}))
                if k < stage_i:
                    forced = rng.random() < 0.1
                    self._event(event_rows, i, entered[k + 1], "forced" if forced else "advanced", s, STAGES[k + 1],
                                reason=FORCE_REASON if forced else None,
                                detail=json.dumps({"trust": round(rng.uniform(20, 80), 1)}))
            if terminated:
                self._event(event_rows, i, terminated, "dropped", stage, stage, reason=cust_rows[-1][12])
            if customer_csv is not None:
                r = cust_rows[-1]
                csv_rows.append((
                    name, industry, region, LABEL["kind"][kind], LABEL["level"].get(level, ""),
                    "" if value is None else f"{value // 100}.{value % 100:02d}", owner, note or "",
                    LABEL["stage"][stage], LABEL["profit"].get(pn, ""), LABEL["profit"].get(pf, ""),
                    {"low": "低", "high": "高"}.get(cost, ""), day_at(added).isoformat(),
                    day_at(terminated).isoformat() if terminated else "", r[12] or "",
                ))
        _insert(con, "customer", CUSTOMER_COLS, cust_rows)
        _insert(con, "event", EVENT_COLS, event_rows)
        _insert(con, "task_done", TASK_COLS, task_rows)
        self.counts.customers = len(cust_rows)
        self.counts.tasks = len(task_rows)
        if customer_csv is not None:
            _write_csv(customer_csv, CUSTOMER_CSV_HEADER, csv_rows)
        del cust_rows, event_rows, task_rows, csv_rows
        self._people(con)

    def _event(self, rows: list, cid: int, day: int, kind: str, from_stage: str | None, to_stage: str | None,
               reason: str | None = None, detail: str | None = None) -> None:
        self.event_id += 1
        rows.append((self.event_id, cid, noon(day_at(day)), kind, from_stage, to_stage, reason, detail))
        self.counts.events += 1

    def _people(self, con: sqlite3.Connection) -> None:
        rng = self.rng
        weights = [(1, 2, 3, 4, 6)[STAGES.index(c.stage)] for c in self.customers]
        counts = _spread(self.scale.people, weights, rng, minimum=1)
        rows, pid = [], 0
        for c, n in zip(self.customers, counts, strict=True):
            keys = set()
            for j in range(n):
                name = self._person_name()
                while name_key(name) in keys:
                    name = self._person_name() + ("" if rng.random() < 0.5 else rng.choice(GIVEN))
                keys.add(name_key(name))
                pid += 1
                title, dept, level = rng.choice(TITLES)
                role = "decider" if j == 0 else rng.choice(ROLES)
                attitude = rng.choices(("support", "neutral", "oppose"), weights=(50, 35, 15))[0]
                competence = rng.randint(1, 5) if rng.random() < 0.6 else None
                rows.append((
                    pid, c.id, name, name_key(name), title, dept, level, role, attitude,
                    "系统稳定性" if rng.random() < 0.3 else None,
                    "数据分散、报表慢" if rng.random() < 0.3 else None,
                    "行业标杆案例" if rng.random() < 0.3 else None,
                    "喜欢微信沟通" if rng.random() < 0.3 else None,
                    competence,
                    "女儿明年高考" if rng.random() < 0.1 else None,
                    noon(day_at(rng.randint(c.added, c.end))),
                ))
                c.people.append((pid, name))
            if len(rows) >= 50_000:
                _insert(con, "person", PERSON_COLS, rows)
                self.counts.people += len(rows)
                rows = []
        _insert(con, "person", PERSON_COLS, rows)
        self.counts.people += len(rows)

    # ------------------------------------------------------------ touchpoints, promises

    def touches(self, con: sqlite3.Connection, touch_csv: Path | None = None) -> None:
        rng = self.rng
        weights = []
        for c in self.customers:
            stage_w = (1, 2, 4, 6, 8)[STAGES.index(c.stage)]
            value_w = 1 + math.log10(1 + (c.value_cents or 0) / 100 / 100_000)
            active = max(1, c.end - c.added) / 1095
            weights.append(stage_w * value_w * (0.3 + active))
        counts = _spread(self.scale.touchpoints, weights, rng)
        kinds_cum = list(TOUCH_KINDS)
        tid = pid = 0
        touch_rows, link_rows, promise_rows, csv_rows = [], [], [], []
        fh = writer = None
        if touch_csv is not None:
            fh = touch_csv.open("w", encoding="utf-8", newline="")
            writer = csv.writer(fh, lineterminator="\r\n")
            writer.writerow(TOUCH_CSV_HEADER)
        for c, n in zip(self.customers, counts, strict=True):
            seen = set()
            days = sorted(rng.randint(c.added, c.end) for _ in range(n))
            kinds = rng.choices(kinds_cum, weights=KIND_SHARE, k=n)
            for d, kind in zip(days, kinds, strict=True):
                tid += 1
                k = rng.choices((0, 1, 2, 3), weights=(25, 45, 20, 10))[0]
                met = sorted(rng.sample(c.people, min(k, len(c.people))))
                note = rng.choice(NOTES)
                key = (d, kind, tuple(p for p, _ in met), note)
                extra = 1
                while key in seen:  # kehu matches on (customer, day, kind, people, note)
                    extra += 1
                    note = f"{rng.choice(NOTES)}（补充{extra}）"
                    key = (d, kind, tuple(p for p, _ in met), note)
                seen.add(key)
                signals = None
                if rng.random() < 0.2:
                    signals = json.dumps(rng.sample(SIGNALS, rng.randint(1, 2)), ensure_ascii=False)
                next_step = next_due = next_done = None
                if rng.random() < 0.35:
                    next_step = rng.choice(NEXT_STEPS)
                    due = d + rng.randint(1, 21)
                    next_due = due
                    old = due < self.today - 14
                    if (old and rng.random() < 0.985) or (not old and rng.random() < 0.5):
                        next_done = min(self.today, rng.randint(d, due + 10))
                touch_rows.append((tid, c.id, day_at(d).isoformat(), kind, note, signals, next_step,
                                   _iso(day_at(next_due)) if next_due else None,
                                   _iso(day_at(next_done)) if next_done else None,
                                   noon(day_at(d))))
                link_rows.extend((tid, p) for p, _ in met)
                if rng.random() < 0.15:
                    pid += 1
                    due = d + rng.randint(3, 30)
                    kept = broken = None
                    r = rng.random()
                    if due < self.today - 30:
                        if r < 0.85:
                            kept = min(self.today, max(d, due + rng.randint(-3, 5)))
                        elif r < 0.98:
                            broken = min(self.today, due + rng.randint(0, 20))
                    elif r < 0.4:
                        kept = min(self.today, rng.randint(d, due))
                    elif r < 0.45:
                        broken = min(self.today, rng.randint(d, due + 5))
                    promise_rows.append((pid, c.id, tid, rng.choice(PROMISES), day_at(d).isoformat(),
                                         day_at(due).isoformat(), _iso(day_at(kept)) if kept else None,
                                         _iso(day_at(broken)) if broken else None, noon(day_at(d))))
                if writer is not None:
                    csv_rows.append((
                        c.name, day_at(d).isoformat(), LABEL["touch"][kind], "、".join(nm for _, nm in met), note,
                        "\n".join(json.loads(signals)) if signals else "", next_step or "",
                        _iso(day_at(next_due)) if next_due else "", _iso(day_at(next_done)) if next_done else "",
                    ))
            if len(touch_rows) >= 50_000:
                self._flush_touches(con, touch_rows, link_rows, promise_rows, writer, csv_rows)
        self._flush_touches(con, touch_rows, link_rows, promise_rows, writer, csv_rows)
        if fh is not None:
            fh.close()

    def _flush_touches(self, con, touch_rows, link_rows, promise_rows, writer, csv_rows) -> None:
        _insert(con, "touchpoint", TOUCH_COLS, touch_rows)
        _insert(con, "touchpoint_person", LINK_COLS, link_rows)
        _insert(con, "promise", PROMISE_COLS, promise_rows)
        self.counts.touchpoints += len(touch_rows)
        self.counts.touchpoint_person += len(link_rows)
        self.counts.promises += len(promise_rows)
        if writer is not None:
            writer.writerows(csv_rows)
        for rows in (touch_rows, link_rows, promise_rows, csv_rows):
            rows.clear()

    # ------------------------------------------------------------ contracts

    def contracts(self, con: sqlite3.Connection) -> None:
        rng = self.rng
        total = self.scale.contracts
        mature = [c for c in self.customers if c.stage == "mature"]
        others = [c for c in self.customers if c.stage in ("evaluation", "growth")]
        plan: list[tuple[Cust, str]] = []
        for c in mature[:total]:  # maturity needs a signed contract
            plan.append((c, "gate"))
        rest = total - len(plan)
        pool = mature + others
        if rest > 0 and pool:
            w = [2.0 if c.stage == "mature" else 1.5 if c.stage == "growth" else 1.0 for c in pool]
            plan += [(c, "extra") for c in rng.choices(pool, weights=w, k=rest)]
        contract_rows, inst_rows = [], []
        kid = iid = 0
        for c, why in plan:
            kid += 1
            base = (c.value_cents or 5_000_000) * rng.uniform(0.2, 1.2)
            amount = max(1_000_000, int(base) // 100 * 100)
            title = f"{day_at(c.entered[-1]).year}年{rng.choice(CONTRACT_ITEMS)}"
            if why == "gate":
                status = "completed" if rng.random() < 0.4 else "signed"
            elif c.stage == "mature":
                status = rng.choices(("completed", "signed", "lost", "negotiating"), weights=(45, 35, 10, 10))[0]
            elif c.stage == "growth":
                status = rng.choices(("draft", "negotiating", "lost"), weights=(35, 45, 20))[0]
            else:
                status = rng.choices(("draft", "negotiating", "lost"), weights=(60, 20, 20))[0]
            expected = signed = completed = lost = aftercare = aftercare_done = None
            lost_reason = None
            if status in ("signed", "completed"):
                signed = c.entered[-1] if why == "gate" else rng.randint(
                    c.entered[3] if len(c.entered) > 3 else c.added, self.today)
                if status == "completed":
                    completed = signed + rng.randint(60, 360)
                    if completed > self.today:
                        status, completed = "signed", None
                if completed:
                    aftercare = completed + 30
                    if aftercare <= self.today - 7 and rng.random() < 0.9:
                        aftercare_done = min(self.today, aftercare + rng.randint(-5, 10))
            elif status == "lost":
                lost = rng.randint(c.entered[-1], self.today)
                lost_reason = rng.choice(LOST_REASONS)
            else:
                expected = self.today + rng.randint(10, 180)
            created = noon(day_at(min(signed or lost or self.today, c.entered[-1])))
            contract_rows.append((
                kid, c.id, title, amount, "CNY", status, _iso(day_at(expected)) if expected else None,
                _iso(day_at(signed)) if signed else None, _iso(day_at(completed)) if completed else None,
                _iso(day_at(lost)) if lost else None, lost_reason,
                _iso(day_at(aftercare)) if aftercare else None,
                _iso(day_at(aftercare_done)) if aftercare_done else None,
                None, created, created,
            ))
            if signed:
                k = rng.choices((1, 2, 3, 4), weights=(30, 30, 25, 15))[0]
                part = amount // k
                for seq in range(1, k + 1):
                    iid += 1
                    amt = part if seq < k else amount - part * (k - 1)
                    due = signed + 30 + (seq - 1) * (360 // k)
                    paid, paid_on = 0, None
                    if completed or due < self.today:
                        r = rng.random()
                        if completed or r < 0.9:
                            paid, paid_on = amt, min(self.today, due + rng.randint(-10, 20))
                        elif r < 0.95:
                            paid, paid_on = amt // 2, min(self.today, due + rng.randint(0, 30))
                    elif rng.random() < 0.1:
                        paid, paid_on = amt, self.today - rng.randint(0, 5)
                    inst_rows.append((iid, kid, seq, amt, day_at(due).isoformat(), paid,
                                      _iso(day_at(paid_on)) if paid_on else None))
        _insert(con, "contract", CONTRACT_COLS, contract_rows)
        _insert(con, "instalment", INSTALMENT_COLS, inst_rows)
        self.counts.contracts = len(contract_rows)
        self.counts.instalments = len(inst_rows)


def _write_csv(path: Path, header: tuple[str, ...], rows: list[tuple]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\r\n")
        w.writerow(header)
        w.writerows(rows)


def open_for_build(path: Path) -> sqlite3.Connection:
    """A connection for filling a book fast: one transaction, no journal fsyncs."""
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("PRAGMA journal_mode = DELETE")  # leave WAL while bulk-loading; restored after
    con.execute("PRAGMA synchronous = OFF")
    con.execute("PRAGMA cache_size = -262144")  # 256 MiB
    con.execute("BEGIN")
    return con


def index(con: sqlite3.Connection) -> None:
    """Index what was written for `kehu search`, as kehu does before a write commits: the
    book's triggers listed every row (kehu.book.search_index)."""
    from kehu.book import search_index

    search_index.flush(con)


def finish_build(con: sqlite3.Connection) -> None:
    index(con)
    con.execute("COMMIT")
    problems = con.execute("PRAGMA foreign_key_check").fetchall()
    if problems:
        raise RuntimeError(f"synthetic book breaks foreign keys: {problems[:5]}")
    con.execute("PRAGMA journal_mode = WAL")  # as kehu leaves its books
    con.close()
