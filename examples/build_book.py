#!/usr/bin/env python
"""Build a realistic small demo account book through the kehu command line itself.

    python examples/build_book.py [PATH]        # default: ./kehu-demo.db

Every step is a real kehu command (add, person add/rate, touch, promise kept/broken,
done, advance, drop), run in-process on the Typer app so the whole book takes a few
seconds instead of minutes. Dates are relative (-120d, -3w, +5d...), so the book looks
current whenever it is built. An existing PATH is replaced, but only if it is a kehu
book (an SQLite file) or empty; anything else is refused.

The book: three salespeople's accounts, 17 customers over every stage of the
relationship (one terminated), 47 decision-makers, 97 touchpoints over the last twelve
months, and the 50 promises made in them (kept on time, kept late, broken, open).
Growth customers enter growth through kehu's trust gate; one is forced in with its
reason. Mature customers become mature by signing a contract (kehu's contract gate).
Seven contracts in every state: signed with an overdue instalment, completed with its
after-sale visit due, draft, negotiating (one with a negotiation plan in progress),
and lost with its reason. What the method's priorities read (issue 18) is there too:
qualification facts (one prospect qualified, the dropped one showing why not), a
decision influencer who opposes us, a strategic prospect, profitability cells (best,
invest, worst) and signals typed with their kind.
"""

from __future__ import annotations

import argparse
import io
import json
import shlex
import sys
import time
import traceback
from collections import Counter
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

SQLITE_HEADER = b"SQLite format 3\x00"
STAGES = ("stranger", "acquainted", "evaluation", "growth", "mature")


# ---------------------------------------------------------------- running kehu


class CommandFailed(Exception):
    pass


class Kehu:
    """Runs kehu commands in-process on one book, capturing stdout and stderr."""

    def __init__(self, path: str) -> None:
        try:
            from kehu.cli import app
        except ImportError:
            # Not installed: fall back to the source tree this example lives in.
            sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
            try:
                from kehu.cli import app
            except ImportError as exc:
                fail(f"cannot import kehu ({exc}); install it first: pip install -e .")
        from typer.main import get_command

        # Building the Click command tree is most of the cost of a Typer call:
        # build it once and run every command on it.
        self.command = get_command(app)
        self.path = path
        self.calls = 0

    def run(self, *args: str, check: bool = True) -> tuple[int, str, str]:
        argv = ["--db", self.path, *args]
        out, err = io.StringIO(), io.StringIO()
        code: int = 0
        self.calls += 1
        try:
            with redirect_stdout(out), redirect_stderr(err):
                self.command.main(args=argv, prog_name="kehu", standalone_mode=True)
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        except Exception:  # noqa: BLE001 - an unanticipated crash inside kehu is reported, not raised
            err.write(traceback.format_exc())
            code = -1
        if check and code != 0:
            raise CommandFailed(
                f"command failed (exit {code}): {shlex.join(['kehu', *argv])}\n{err.getvalue().rstrip()}"
            )
        return code, out.getvalue(), err.getvalue()

    def __call__(self, *args: str) -> str:
        return self.run(*args)[1]

    def json(self, *args: str) -> object:
        return json.loads(self(*args, "--json"))


# ---------------------------------------------------------------- the data


def T(day, kind, who, note, *signals, nxt=None, promise=None, outcome=None, kinds=()):  # noqa: ANN001, ANN201, N802
    """One touchpoint: day, kind, people met, note, signals; optionally
    nxt=(next step, due), promise=(text, due), outcome=("kept"|"broken", day) and
    kinds: signals typed as a kind and direction (--signal-kind 邀约:有利), where the
    free text alone would not tell kehu what it shows."""
    return {"day": day, "kind": kind, "with": who, "note": note, "signals": signals,
            "next": nxt, "promise": promise, "outcome": outcome, "kinds": kinds}


def P(name, title, dept, level, role, attitude, kpi=None, pain=None, interest=None,  # noqa: ANN001, ANN201, N802
      style=None, private=None, rate=None):
    return {"name": name, "title": title, "dept": dept, "level": level, "role": role,
            "attitude": attitude, "kpi": kpi, "pain": pain, "interest": interest,
            "style": style, "private": private, "rate": rate}


# Customers in the order the salespeople met them (oldest relationship first); each
# names the stage it has reached. Stage counts: stranger 2, acquainted 4,
# evaluation 4 (one terminated), growth 4 (one forced past the trust gate), mature 3.
CUSTOMERS: list[dict] = [
    {
        "name": "华东电网信息中心", "industry": "电力能源", "region": "上海", "kind": "business",
        "level": "partner", "value": "280万", "owner": "周志远", "profit-now": "高", "profit-future": "高",
        "note": "省电网下属信息中心。一期数据平台已上线运行；二期（调度数据接入）预算在走审批，年内有望立项。",
        "stage": "mature",
        "people": [
            P("郑国华", "主任", "信息中心", "高层", "决策者", "支持",
              kpi="核心系统可用率99.95%；年度信创替代进度",
              pain="老旧系统多，运维外包费用逐年上涨",
              interest="数据中台、国产化替代的落地案例",
              style="时间紧，汇报先给一页纸结论，再谈细节",
              private="生日4月12日；女儿今年高三，常聊志愿填报", rate=5),
            P("孙立伟", "技术处处长", "信息中心技术处", "中层", "技术把关", "支持",
              kpi="项目按期验收，零重大安全事件",
              pain="各业务系统数据口径不一，月度报表靠人工核对",
              interest="架构设计、开源数据库",
              style="技术型，喜欢对着白板讨论，反感销售话术", rate=4),
            P("钱雪梅", "采购与合同科科长", "物资部", "中层", "采购", "中立",
              kpi="采购合规、年度降本率",
              pain="供应商资质材料经常要反复补交",
              style="按流程办事，口头承诺不算数，一切落在纸面上", rate=3),
            P("吴鹏", "运维工程师", "信息中心运维组", "基层", "使用者", "支持",
              pain="夜间告警太多，排障全靠经验",
              interest="自动化运维脚本",
              style="微信随时沟通，喜欢直接拿到操作手册", rate=4),
            P("冯晓", "主任助理", "信息中心综合办", "基层", "内线", "支持",
              interest="熟悉内部流程和领导日程",
              style="细心，约时间要提前一周",
              private="爱跑马拉松，去年完成上海马拉松全程", rate=4),
        ],
        "touches": [
            T("-355d", "电话", ["冯晓"], "经老同事介绍联系上综合办冯晓，了解到信息中心今年的重点是数据平台整合",
              "愿意花时间聊"),
            T("-340d", "daily", ["孙立伟", "吴鹏"], "第一次上门拜访技术处，现场看了报表系统，痛点很明确",
              "对方案提问很多", "讨论较深入",
              promise=("一周内发送同类电网客户的数据治理案例", "-333d"), outcome=("kept", "-335d")),
            T("-318d", "专题", ["孙立伟", "吴鹏", "冯晓"], "数据治理专题交流，现场演示元数据管理和血缘分析",
              "对方案提问很多", "追问实施周期",
              promise=("两周内给出初步方案和预算区间", "-304d"), outcome=("kept", "-306d")),
            T("-290d", "参观", ["郑国华", "孙立伟"], "陪郑主任参观华北某电力公司的数据平台样板点",
              "主任现场问了很多运维细节", "开始拿我们和竞品的落地案例做对比"),
            T("-262d", "公司考察", ["郑国华", "孙立伟", "钱雪梅"], "邀请对方到我司总部考察研发中心和交付团队",
              "关心我们的财务状况和交付能力",
              promise=("一个月内提供信创适配认证材料", "-232d"), outcome=("kept", "-228d")),
            T("-230d", "topic", ["孙立伟", "吴鹏"], "技术交流：协助编写二期采购的技术规范",
              "请我们帮忙起草技术参数"),
            T("-200d", "高层拜访", ["郑国华"], "我司王总带队拜访郑主任，对齐未来三年的数字化规划",
              "愿意引荐分管副总",
              promise=("两个月内安排首席架构师驻场两周", "-140d"), outcome=("kept", "-152d")),
            T("-170d", "峰会", ["郑国华", "孙立伟"], "能源行业数字化高层峰会，郑主任作为嘉宾发言",
              "公开场合提到与我们的合作"),
            T("-140d", "daily", ["钱雪梅"], "商务谈判：付款节点和质保期",
              "反复谈价格", "要求质保延长到三年",
              promise=("三个工作日内回复质保条款修改意见", "-136d"), outcome=("kept", "-137d")),
            T("-100d", "日常", ["钱雪梅", "郑国华"], "一期合同线下签署，金额280万，分三期付款"),
            T("-75d", "团建", ["吴鹏", "冯晓", "孙立伟"], "一期上线后组织双方项目组徒步，气氛很好"),
            T("-45d", "专题", ["孙立伟", "吴鹏"], "上线三个月复盘，收集使用问题和改进需求",
              "讨论范围扩展到调度系统",
              promise=("一个月内修复告警聚合的两个缺陷", "-15d"), outcome=("kept", "-16d")),
            T("-20d", "论坛", ["郑国华"], "一起参加电力信息化论坛，会后聊二期扩容",
              "主动提起二期预算",
              nxt=("准备二期扩容建议书，约郑主任汇报", "+10d")),
            T("-6d", "信函", ["郑国华"], "我司总裁致信感谢一期合作，邀请郑主任参加明年用户大会",
              promise=("十天内寄送用户大会邀请函和议程", "+4d")),
        ],
        "tasks": [("plan", "-360d"), ("call", "-355d"), ("visit", "-340d"), ("survey", "-325d"),
                  ("初步方案", "-304d"), ("demo", "-290d"), ("tech", "-230d"), ("needs", "-215d"),
                  ("proposal", "-185d"), ("assess", "-160d"), ("negotiate", "-140d"), ("sign", "-100d")],
    },
    {
        "name": "深圳星河制造", "industry": "电子制造", "region": "广东深圳", "kind": "business",
        "level": "transactional", "value": "95万", "owner": "赵刚", "profit-now": "低", "profit-future": "高",
        "note": "SMT代工厂，排产系统已上线。曾因我方报价延误丢过分，之后靠按时交付挽回；新产线扩容是下一个机会。",
        "stage": "mature",
        "people": [
            P("黄志明", "总经理", "总经办", "高层", "决策者", "支持",
              kpi="交付准时率、毛利率", pain="订单波动大，排产计划天天变",
              style="讲效率，会议不超过半小时", rate=4),
            P("罗丽", "生产计划部经理", "生产计划部", "中层", "决策影响者", "支持",
              kpi="计划达成率", pain="排产靠Excel，一插单就乱套",
              interest="高级排产、可视化看板", style="直爽，有问题当面说", rate=5),
            P("邓凯", "系统工程师", "信息部", "基层", "技术把关", "中立",
              pain="ERP接口文档不全", style="话少，发文档比开会管用", rate=3),
            P("梁芳", "采购专员", "采购部", "基层", "采购", "中立",
              style="每次都要三家比价"),
        ],
        "touches": [
            T("-330d", "电话", ["罗丽"], "陌生电话邀约，罗经理对插单排产的痛点很有共鸣，答应见一面"),
            T("-315d", "日常", ["罗丽", "邓凯"], "上门拜访，看了车间和计划流程",
              "愿意花时间带我们看现场",
              promise=("十天内出一版排产优化思路", "-305d"), outcome=("kept", "-306d")),
            T("-280d", "专题", ["罗丽", "邓凯"], "高级排产专题演示，用他们的真实订单做了模拟",
              "对方案提问很多", "问到与金蝶ERP的集成"),
            T("-240d", "参观", ["黄志明", "罗丽"], "陪黄总参观东莞一家同行工厂的排产系统",
              "黄总认可效果但嫌贵", "反复谈价格",
              promise=("两周内给出分期实施的报价方案", "-226d"), outcome=("broken", "-220d")),
            T("-200d", "公司考察", ["黄志明", "邓凯"], "请黄总来公司看交付团队，当面为报价延误致歉并给出新方案",
              "对延误有意见，但愿意继续谈",
              promise=("一周内补交分期报价和实施计划", "-193d"), outcome=("kept", "-194d")),
            T("-160d", "daily", ["梁芳", "黄志明"], "价格谈判，最终按分期付款签约",
              "反复谈价格", "拿竞品报价压我们",
              promise=("签约后两周内提交详细实施计划", "-146d"), outcome=("kept", "-147d")),
            T("-120d", "高层拜访", ["黄志明", "罗丽"], "我司分管副总拜访黄总，确认实施里程碑和验收标准",
              "黄总要求每周看到进度",
              promise=("上线首月每周提交一次进度周报", "-88d"), outcome=("kept", "-89d")),
            T("-90d", "日常", ["罗丽", "邓凯"], "上线后回访：插单响应从半天缩短到一小时",
              "愿意做客户案例",
              promise=("一个月内提供二次开发的报表模板", "-60d"), outcome=("kept", "-66d")),
            T("-50d", "团建", ["罗丽", "邓凯", "梁芳"], "项目组聚餐，庆祝上线满三个月"),
            T("-35d", "信函", ["黄志明"], "我司总裁致信黄总，感谢合作并附上线三个月的效果报告"),
            T("-25d", "微信", ["罗丽"], "罗经理说新产线要接入，问扩容价格",
              "主动询问扩容",
              nxt=("上门评估新产线接入的工作量", "-3d")),
        ],
        "tasks": [("规划", "-335d"), ("call", "-330d"), ("visit", "-315d"), ("survey", "-310d"),
                  ("draft", "-305d"), ("演示", "-280d"), ("tech", "-265d"), ("needs", "-235d"),
                  ("proposal", "-205d"), ("assess", "-185d"), ("谈判", "-165d"), ("签约", "-160d")],
    },
    {
        "name": "杭州云帆物流", "industry": "物流", "region": "浙江杭州", "kind": "business",
        "level": "preferred", "value": "180万", "owner": "林晓雯",
        "note": "华东区域快运企业，仓储调度系统已上线，年终大促保障零宕机。下一步计划扩展华南仓。",
        "stage": "mature",
        "people": [
            P("何建军", "副总裁", "运营管理中心", "高层", "决策者", "支持",
              kpi="单票成本、准时率", pain="旺季爆仓，调度全靠人盯",
              interest="智能调度、无人仓", style="爽快，喜欢饭桌上谈事",
              private="老家安徽，爱喝黄山毛峰；儿子在浙大读研", rate=4),
            P("许晴", "IT部经理", "信息技术部", "中层", "技术把关", "支持",
              kpi="系统稳定，上线不影响运营", pain="自研系统维护人手不够",
              style="邮件为主，什么都要书面材料", rate=5),
            P("唐志强", "仓储运营主管", "杭州中心仓", "基层", "使用者", "中立",
              pain="新系统培训占用一线时间", style="在仓库里聊最有效", rate=4),
            P("曹敏", "采购经理", "采购部", "中层", "采购", "中立",
              kpi="年度采购降本5%", style="压价很狠但说话算话", rate=3),
        ],
        "touches": [
            T("-300d", "展会", ["许晴"], "杭州物流技术展上认识许经理，交换了名片",
              "主动询问调度系统"),
            T("-285d", "daily", ["许晴", "唐志强"], "上门拜访IT部，又去仓库看了现场作业",
              "对方案提问很多",
              promise=("一周内提交仓储调度初步诊断报告", "-278d"), outcome=("kept", "-279d")),
            T("-250d", "showcase", ["许晴", "何建军"], "陪何总参观嘉兴某电商仓的样板系统",
              "何总当场问投资回报周期", "愿意花时间"),
            T("-220d", "专题", ["许晴", "唐志强"], "调度算法专题交流，双方技术团队对接口",
              "讨论深入到接口细节",
              promise=("两周内完成与现有WMS的接口可行性验证", "-206d"), outcome=("kept", "-203d")),
            T("-190d", "exec_visit", ["何建军"], "我司副总裁拜访何总，谈旺季保障合作",
              "愿意引荐董事长",
              promise=("十天内提供三家同行客户的上线数据", "-180d"), outcome=("kept", "-182d")),
            T("-150d", "日常", ["曹敏"], "第一轮商务谈判，对方要求降价15%",
              "反复谈价格", "说竞品报价更低"),
            T("-130d", "日常", ["曹敏", "何建军"], "第二轮谈判：以延长免费维护期换价格，当场签约",
              promise=("签约后一个月内完成一期上线", "-98d"), outcome=("kept", "-100d")),
            T("-100d", "联合发布", ["何建军", "许晴"], "一期上线，双方在杭州联合发布智慧仓储案例",
              "何总在发布会上为我们站台",
              promise=("两周内把案例稿交对方品牌部审核", "-86d"), outcome=("kept", "-90d")),
            T("-60d", "团队活动", ["唐志强", "许晴"], "年终大促前双方项目组联合演练，结束后聚餐",
              promise=("大促期间派两名工程师驻场保障", "-10d"), outcome=("kept", "-10d")),
            T("-35d", "日常", ["唐志强", "许晴"], "到中心仓给一线做大促前的操作培训",
              "一线主管态度转为积极",
              promise=("培训后三天内发出操作速查卡", "-32d"), outcome=("kept", "-33d")),
            T("-8d", "daily", ["何建军", "许晴"], "大促复盘：系统零宕机，何总很满意",
              "主动提出下一步扩展到华南仓", "愿意做案例推荐",
              nxt=("整理大促保障报告，约何总谈华南仓扩展", "+7d")),
        ],
        "tasks": [("plan", "-305d"), ("call", "-300d"), ("visit", "-285d"), ("survey", "-280d"),
                  ("draft", "-278d"), ("demo", "-250d"), ("技术交流", "-220d"), ("需求分析", "-200d"),
                  ("应标", "-170d"), ("assess", "-155d"), ("negotiate", "-150d"), ("sign", "-130d")],
    },
    {
        "name": "西安秦川重工", "industry": "装备制造", "region": "陕西西安", "kind": "business",
        "level": "preferred", "value": "90万", "owner": "赵刚",
        "note": "设备预测性维护项目。方案演示效果好，但对方现金流出问题，项目预算冻结。",
        "stage": "evaluation",
        "drop": "资金链紧张，无法付款；项目预算已冻结，半年后再回访",
        "people": [
            P("任建国", "副总经理", "公司领导", "高层", "决策者", "支持",
              kpi="设备综合效率", style="老国企作风，重视面子和程序"),
            P("柳娜", "设备部部长", "设备部", "中层", "使用者", "支持",
              pain="关键设备突发停机，备件常常临时采购", style="实在人，电话沟通最快", rate=4),
        ],
        "touches": [
            T("-260d", "电话", ["柳娜"], "电话邀约柳部长，聊关键设备突发停机的问题"),
            T("-240d", "日常", ["柳娜"], "拜访设备部，看了点检记录",
              "对方案提问很多",
              promise=("一周内提供设备预测性维护案例", "-233d"), outcome=("kept", "-234d")),
            T("-200d", "专题", ["柳娜", "任建国"], "预测性维护方案演示",
              "对方案提问很多", "任总当场要求做试点"),
            T("-150d", "daily", ["任建国"], "拜访任总谈试点合同，对方反复问能否延期付款",
              "反复问能否延期付款", "提到工资发放困难"),
            T("-110d", "电话", ["柳娜"], "柳部长私下透露公司资金链紧张，项目预算已冻结",
              "项目预算冻结"),
        ],
        "tasks": [("plan", "-262d"), ("call", "-260d"), ("visit", "-240d"), ("survey", "-235d"),
                  ("draft", "-220d"), ("demo", "-200d")],
    },
    {
        "name": "金陵康宁医疗集团", "industry": "医疗", "region": "江苏南京", "kind": "business",
        "level": "partner", "value": "150万", "owner": "周志远",
        "note": "三家三甲医院的医疗集团，目标是电子病历评级升到五级。正式方案在改第二稿，竞品是本地老牌厂商。",
        "stage": "growth",
        "people": [
            P("陶文斌", "副院长（分管信息化）", "集团本部", "高层", "决策者", "支持",
              kpi="智慧医院评级", pain="电子病历评级要升五级，时间紧",
              style="学者型，喜欢引用政策文件",
              private="生日9月3日；爱好书法，周末常去书画院", rate=4),
            P("蒋海燕", "信息科科长", "信息科", "中层", "技术把关", "支持",
              kpi="评级达标、系统稳定", pain="各院区系统割裂，数据不通",
              style="做事细，会前要把材料发过去", rate=5),
            P("韩磊", "财务处副处长", "财务处", "中层", "决策影响者", "中立",
              pain="预算卡得紧，要看投资回报", style="只看数字", rate=3),
            P("潘小东", "工程师", "信息科", "基层", "内线", "支持",
              interest="想转做数据分析", style="微信聊，下班后回复快", rate=4),
        ],
        "touches": [
            T("-240d", "论坛", ["蒋海燕"], "医院信息化论坛上结识蒋科长"),
            T("-225d", "日常", ["蒋海燕", "潘小东"], "拜访信息科，了解评级差距",
              "对方案提问很多",
              promise=("两周内做一份评级差距分析", "-211d"), outcome=("kept", "-212d")),
            T("-190d", "专题", ["蒋海燕", "潘小东", "韩磊"], "电子病历评级专题交流",
              "讨论面广且深入", "财务关心能否分期付款"),
            T("-160d", "参观", ["陶文斌", "蒋海燕"], "陪陶院长参观上海某三甲医院",
              "陶院长问得很细", "愿意引荐院长",
              promise=("一周内寄送样板医院的评级申报材料（脱敏版）", "-153d"), outcome=("kept", "-154d")),
            T("-120d", "hq_visit", ["陶文斌", "韩磊"], "邀请陶院长和韩处到我司考察",
              "关心交付团队规模",
              promise=("一个月内提供三年总拥有成本测算", "-90d"), outcome=("kept", "-92d")),
            T("-80d", "高层拜访", ["陶文斌"], "我司CEO拜访陶院长，谈长期合作",
              "主动透露竞品报价区间"),
            T("-45d", "topic", ["蒋海燕", "潘小东"], "需求调研会，逐个院区过流程",
              promise=("两周内提交需求分析报告", "-31d"), outcome=("kept", "-32d")),
            T("-12d", "daily", ["蒋海燕"], "正式方案初稿讨论，蒋科长提了十几条修改意见",
              "对方案提问很多",
              nxt=("按反馈修改正式方案，准备院内汇报", "+1w"),
              promise=("两周内提交正式方案终稿", "+2d")),
        ],
        "tasks": [("plan", "-245d"), ("call", "-240d"), ("visit", "-225d"), ("survey", "-218d"),
                  ("draft", "-211d"), ("demo", "-190d"), ("tech", "-170d"), ("needs", "-30d")],
    },
    {
        "name": "成都天府城市燃气", "industry": "城市燃气", "region": "四川成都", "kind": "business",
        "level": "preferred", "value": "120万", "owner": "林晓雯",
        "note": "管网巡检数字化项目，对方准备公开招标，我们参与了技术规范编写。",
        "stage": "growth",
        "people": [
            P("曾庆丰", "总工程师", "公司领导", "高层", "决策者", "中立",
              kpi="管网安全零事故", pain="巡检数据滞后，隐患发现晚",
              style="严谨，重视安全合规依据", rate=4),
            P("邱燕", "信息化部部长", "信息化部", "中层", "决策影响者", "支持",
              kpi="数字化项目按期上线", style="喜欢先电话沟通再发正式材料", rate=4),
            P("谢斌", "巡检班长", "管网运行科", "基层", "使用者", "支持",
              pain="纸质巡检单，月底汇总要加班", style="实在，讲现场问题", rate=4),
        ],
        "touches": [
            T("-210d", "电话", ["邱燕"], "经燃气协会介绍，电话联系上邱部长"),
            T("-195d", "daily", ["邱燕", "谢斌"], "上门拜访，跟着巡检班走了一段管线",
              "愿意花时间",
              promise=("一周内发送管网巡检案例", "-188d"), outcome=("kept", "-189d")),
            T("-165d", "参观", ["邱燕", "曾庆丰"], "陪曾总工参观重庆一家燃气公司的样板",
              "曾总工问安全合规问题",
              promise=("一周内整理重庆样板的安全合规做法", "-158d"), outcome=("kept", "-159d")),
            T("-130d", "专题", ["邱燕", "谢斌"], "巡检App演示和技术交流",
              "对方案提问很多", "讨论深入",
              promise=("两周内完成与GIS系统的对接验证", "-116d"), outcome=("kept", "-117d")),
            T("-95d", "exec_visit", ["曾庆丰", "邱燕"], "我司分管副总拜访曾总工",
              "愿意引荐总经理",
              promise=("一个月内出具巡检系统的安全评估说明", "-65d"), outcome=("kept", "-67d")),
            T("-75d", "峰会", ["曾庆丰", "邱燕"], "我司西南区客户峰会，曾总工受邀分享管网安全管理经验",
              "曾总工会后主动约下次交流"),
            T("-50d", "团建", ["谢斌", "邱燕"], "双方技术团队羽毛球友谊赛"),
            T("-18d", "专题", ["邱燕", "曾庆丰"], "需求分析汇报，曾总工基本认可",
              "开始谈招标时间表",
              nxt=("配合对方准备招标文件技术部分", "-2d"),
              promise=("四周内提交正式应标方案", "+9d")),
        ],
        "tasks": [("plan", "-212d"), ("call", "-210d"), ("visit", "-195d"), ("survey", "-190d"),
                  ("draft", "-180d"), ("demo", "-130d"), ("tech", "-128d"), ("needs", "-18d")],
    },
    {
        "name": "宁波港联国际货运", "industry": "港航物流", "region": "浙江宁波", "kind": "business",
        "level": "preferred", "value": "80万", "owner": "赵刚",
        "note": "报关单据自动识别项目。曾因等保测评报告没按时交丢分，后来补救到位；对数据安全特别敏感。",
        "stage": "growth",
        "people": [
            P("马俊", "总经理", "总经办", "高层", "决策者", "支持",
              kpi="单证处理时效", pain="旺季单证员加班严重", style="重结果，不喜欢听过程", rate=4),
            P("姚倩", "操作部经理", "操作部", "中层", "使用者", "支持",
              pain="人工录单错误率高", style="微信沟通，响应很快", rate=4),
            P("彭涛", "IT主管", "信息部", "中层", "技术把关", "中立",
              kpi="数据安全零事故", pain="外部系统接入审批复杂",
              style="谨慎，什么都要证明材料；材料齐了就很好说话", rate=4),
            P("陆佳", "单证组长", "操作部单证组", "基层", "使用者", "支持",
              pain="旺季一天录三百多票，眼睛都看花了", style="午休时间好说话", rate=4),
        ],
        "touches": [
            T("-230d", "展会", ["姚倩"], "宁波港航展会上认识姚经理"),
            T("-215d", "daily", ["姚倩", "彭涛"], "拜访操作部，看了单证处理流程",
              promise=("一周内开通报关单据自动识别的演示账号", "-208d"), outcome=("kept", "-208d")),
            T("-180d", "专题", ["彭涛", "姚倩"], "单证识别技术交流",
              "数据安全问题问得很多",
              promise=("一周内书面答复数据安全问卷（共42题）", "-173d"), outcome=("kept", "-174d")),
            T("-140d", "公司考察", ["马俊", "彭涛"], "邀请马总和彭主管到我司考察",
              "马总认可识别准确率",
              promise=("两周内提供等保三级测评报告", "-126d"), outcome=("broken", "-120d")),
            T("-110d", "高层拜访", ["马俊"], "测评报告过期没能按时交，我司副总登门说明原因并给出新时间表",
              "马总愿意再给一次机会",
              promise=("45天内送达新版等保测评报告", "-65d"), outcome=("kept", "-68d")),
            T("-90d", "电话", ["彭涛"], "彭主管来电核实新测评机构的资质",
              promise=("三天内发送测评机构资质证明", "-87d"), outcome=("kept", "-88d")),
            T("-68d", "日常", ["姚倩", "彭涛", "陆佳"], "送达新版测评报告，彭主管逐条核对",
              "彭主管态度明显转好",
              promise=("四周内提交数据不出港的部署方案", "-40d"), outcome=("kept", "-41d")),
            T("-45d", "团建", ["姚倩", "彭涛", "陆佳"], "双方团队参加港航协会羽毛球联谊"),
            T("-30d", "论坛", ["马俊"], "陪马总参加宁波智慧港口论坛，会后一起吃饭",
              "马总提到同行在用竞品，效果一般", kinds=("邀约:有利",)),
            T("-15d", "专题", ["姚倩", "彭涛", "马俊", "陆佳"], "需求分析研讨，范围扩展到舱单",
              "讨论扩展到舱单系统", "马总亲自参加",
              promise=("三周内提交正式方案", "+6d")),
        ],
        "tasks": [("plan", "-232d"), ("call", "-230d"), ("visit", "-215d"), ("survey", "-210d"),
                  ("draft", "-195d"), ("demo", "-180d"), ("tech", "-170d"), ("needs", "-15d")],
    },
    {
        "name": "广州南粤城商银行", "industry": "金融", "region": "广东广州", "kind": "business",
        "level": "partner", "value": "200万", "owner": "周志远",
        "note": "科技部信创数据库迁移，体量大但决策链长，监管合规是关键。正在做POC。",
        "stage": "evaluation",
        "people": [
            P("叶振华", "科技部总经理", "信息科技部", "高层", "决策者", "中立",
              kpi="信创替代进度、监管检查零问题", pain="核心系统迁移风险大",
              style="谨慎，喜欢听同业案例", rate=3),
            P("傅琳", "架构组负责人", "信息科技部", "中层", "技术把关", "支持",
              pain="迁移窗口只有春节几天", style="技术讨论可以聊到很晚", rate=4),
            P("石磊", "采购经理", "采购中心", "中层", "采购", "中立",
              style="严格走招采流程，不私下见面"),
            P("苏雨", "开发工程师", "信息科技部", "基层", "内线", "支持",
              private="刚当爸爸，女儿还不满一岁；爱打篮球", rate=4),
        ],
        "touches": [
            T("-180d", "论坛", ["傅琳"], "金融科技论坛上结识傅琳，她对我们的迁移工具很感兴趣"),
            T("-160d", "daily", ["傅琳", "苏雨"], "拜访科技部，了解现有数据库分布",
              promise=("两周内提交信创数据库迁移评估", "-146d"), outcome=("kept", "-147d")),
            T("-120d", "专题", ["傅琳", "苏雨", "叶振华"], "迁移方案专题交流，叶总全程参加",
              "对方案提问很多", "问了很多监管合规问题"),
            T("-85d", "参观", ["叶振华", "傅琳"], "陪叶总参观某城商行的迁移样板",
              "叶总问竞品在同业的案例"),
            T("-28d", "专题", ["傅琳", "石磊"], "POC启动会，采购第一次参加",
              "采购开始了解报价结构",
              nxt=("协调POC测试环境", "-5d"),
              promise=("一个月内提交POC测试报告", "+2d")),
        ],
        "tasks": [("plan", "-182d"), ("call", "-180d"), ("visit", "-160d"), ("survey", "-150d"),
                  ("draft", "-140d"), ("demo", "-120d")],
    },
    {
        "name": "合肥启明新能源", "industry": "新能源电池", "region": "安徽合肥", "kind": "business",
        "level": "preferred", "value": "70万", "owner": "周志远",
        "note": "电池全生命周期追溯。对方在两家之间比较，范总关心产能爬坡期的系统稳定性。",
        "stage": "evaluation",
        "people": [
            P("范志强", "CTO", "技术中心", "高层", "决策者", "中立",
              kpi="产能爬坡、良率", pain="扩产快，系统跟不上", style="喜欢看数据对比"),
            P("董莉", "质量部经理", "质量部", "中层", "决策影响者", "支持",
              pain="客户审核要追溯到每个电芯", style="周一上午最好约", rate=4),
            P("程浩", "MES工程师", "信息部", "基层", "技术把关", "支持",
              interest="工业互联网平台", rate=4),
            P("魏建平", "设备工程部经理", "设备工程部", "中层", "决策影响者", "反对",
              kpi="产线停机时间", pain="担心换系统影响产能爬坡",
              style="和另一家供应商合作多年，倾向维持现状"),
        ],
        "touches": [
            T("-150d", "电话", ["董莉"], "电话邀约董经理，聊车企客户的追溯审核要求"),
            T("-135d", "日常", ["董莉", "程浩"], "上门拜访质量部和信息部",
              promise=("一周内整理电池追溯行业方案", "-128d"), outcome=("kept", "-129d")),
            T("-100d", "参观", ["董莉", "程浩"], "带两人参观常州一家电池厂的追溯系统",
              "对方案提问很多"),
            T("-60d", "专题", ["程浩", "范志强"], "追溯方案演示，范总听了后半场",
              "范总关心产能爬坡期的稳定性", "提到正在对比两家", kinds=("对手动作",)),
            T("-3w", "daily", ["董莉"], "董经理反馈评估进展",
              "询问竞品没有的功能",
              nxt=("安排范总参观我司总部", "+12d"),
              promise=("一周内提交技术交流纪要", "-14d")),
        ],
        "tasks": [("plan", "-152d"), ("call", "-150d"), ("visit", "-135d"), ("survey", "-130d"),
                  ("draft", "-110d"), ("demo", "-60d")],
    },
    {
        "name": "青岛海韵食品", "industry": "食品加工", "region": "山东青岛", "kind": "business",
        "level": "transactional", "value": "40万", "owner": "赵刚", "profit-now": "低", "profit-future": "低",
        "note": "海产品加工，想做质量追溯。预算紧，新一轮预算批下来之前不会动。",
        "stage": "evaluation",
        "people": [
            P("孔祥瑞", "生产副总", "生产中心", "高层", "决策者", "中立",
              kpi="出口合格率", style="先谈价格再谈别的"),
            P("贺丹", "品控经理", "品控部", "中层", "使用者", "支持",
              pain="出口抽检要追溯批次，全靠纸质记录", style="认真，回邮件很及时", rate=4),
        ],
        "touches": [
            T("-120d", "电话", ["贺丹"], "电话联系贺经理，她正为出口抽检追溯发愁"),
            T("-105d", "daily", ["贺丹"], "拜访品控部",
              promise=("一周内发送食品追溯法规解读", "-98d"), outcome=("kept", "-99d")),
            T("-70d", "专题", ["贺丹", "孔祥瑞"], "追溯方案演示，孔总中途离场",
              "反复谈价格", "讨论比较浅",
              promise=("两周内给出分阶段报价", "-56d"), outcome=("broken", "-50d")),
            T("-30d", "日常", ["贺丹"], "回访并当面解释报价拖延（总部定价审批卡住），贺经理说预算要等下个预算周期",
              "预算推迟到下个周期",
              nxt=("新预算批下来后再约孔总", "+40d")),
        ],
        "tasks": [("plan", "-125d"), ("call", "-120d"), ("visit", "-105d"), ("survey", "-100d"),
                  ("draft", "-85d"), ("demo", "-70d")],
    },
    {
        "name": "天津北辰化工", "industry": "化工", "region": "天津", "kind": "business",
        "level": "preferred", "value": "50万", "owner": "周志远",
        "note": "安全生产双重预防机制建设。应急管理部门检查趋严，需求是真的，但厂长还没见上。",
        "stage": "acquainted",
        "people": [
            P("邵伟", "安全环保部部长", "安全环保部", "中层", "决策影响者", "支持",
              kpi="安全事故零发生、检查整改闭环", pain="隐患排查台账靠Excel", rate=4),
            P("崔红", "厂长", "厂部", "高层", "决策者", "中立",
              kpi="安全生产和产量", style="很忙，只有早上八点前有空"),
        ],
        "touches": [
            T("-90d", "展会", ["邵伟"], "天津化工安全展上认识邵部长"),
            T("-66d", "日常", ["邵伟"], "拜访安全环保部",
              "对方案提问很多",
              promise=("一个月内提交双重预防机制初步建议", "-36d"), outcome=("kept", "-30d")),
            T("-25d", "专题", ["邵伟", "崔红"], "安全管理专题交流，崔厂长来了十分钟",
              "厂长关心应急管理部门检查",
              nxt=("约崔厂长做一次现场调研", "-7d"),
              promise=("一周内发送同类化工企业的检查整改案例", "-18d")),
        ],
        "tasks": [("plan", "-95d"), ("call", "-90d"), ("visit", "-66d"), ("survey", "-25d")],
    },
    {
        "name": "集团华南区域公司", "industry": "集团内部", "region": "广东广州", "kind": "internal",
        "level": "preferred", "value": "15万", "owner": "林晓雯",
        "note": "集团内部客户：华南区要统一使用客户管理工具，按内部结算价。",
        "stage": "acquainted",
        "people": [
            P("丁海", "总经理", "华南区域公司", "高层", "决策者", "支持",
              kpi="区域销售额", style="开门见山"),
            P("万琪", "运营专员", "运营部", "基层", "使用者", "支持", rate=4),
        ],
        "touches": [
            T("-80d", "日常", ["丁海"], "集团内部推广会后，丁总表示华南区愿意先试点"),
            T("-35d", "专题", ["万琪", "丁海"], "内部专题交流，梳理华南区的客户管理流程",
              promise=("一周内提供内部结算价格", "-28d"), outcome=("kept", "-28d")),
        ],
        "tasks": [("plan", "-82d"), ("call", "-80d"), ("visit", "-35d")],
    },
    {
        "name": "武汉光谷芯材科技", "industry": "半导体材料", "region": "湖北武汉", "kind": "business",
        "level": "transactional", "value": "60万", "owner": "林晓雯",
        "note": "实验室数据管理。对方招标提前，认识才两个多月就进入应标，关系基础薄，要加紧补高层接触。",
        "stage": "growth",
        "force_growth": "对方招标提前到下月，技术把关人主动邀请应标；关系时间短、信用分未达线，"
                        "按例外推进，随后加密与段总的接触补短板",
        "people": [
            P("段宇", "研发副总", "研发中心", "高层", "决策者", "中立",
              kpi="研发周期、专利产出", style="只给二十分钟，要直接讲价值"),
            P("龚倩", "IT经理", "信息部", "中层", "技术把关", "支持",
              pain="实验数据散在个人电脑里", style="公众号读者，喜欢看技术文章", rate=4),
        ],
        "touches": [
            T("-70d", "电话", ["龚倩"], "龚经理看到我们公众号的文章，主动打电话来",
              "项目时间紧"),
            T("-60d", "daily", ["龚倩"], "拜访信息部，了解实验室数据管理现状",
              promise=("三天内开通演示环境账号", "-57d"), outcome=("kept", "-57d")),
            T("-40d", "专题", ["龚倩", "段宇"], "方案演示和技术交流，段总听完提了三个问题",
              "对方案提问很多", "段总提到招标提前"),
            T("-20d", "日常", ["龚倩"], "龚经理确认下月招标，邀请我们应标",
              "明确邀请应标",
              nxt=("准备应标材料，约段总单独沟通", "+5d")),
        ],
        "tasks": [("plan", "-72d"), ("call", "-70d"), ("visit", "-60d"), ("survey", "-58d"),
                  ("draft", "-50d"), ("demo", "-40d"), ("tech", "-38d")],
    },
    {
        "name": "厦门鹭岛文旅集团", "industry": "文化旅游", "region": "福建厦门", "kind": "business",
        "level": "transactional", "value": "30万", "owner": "林晓雯",
        "note": "景区会员运营。数字营销中心有预算，信息部话语权较大。",
        "stage": "acquainted",
        "people": [
            P("吕婷", "数字营销中心总监", "数字营销中心", "中层", "决策影响者", "支持",
              kpi="会员复购率", pain="会员数据分散在几个票务系统", style="喜欢看案例视频", rate=4),
            P("侯斌", "信息部主管", "信息部", "基层", "技术把关", "中立",
              style="担心增加维护工作量"),
        ],
        "touches": [
            T("-60d", "电话", ["吕婷"], "电话邀约吕总监，聊会员复购"),
            T("-42d", "daily", ["吕婷", "侯斌"], "上门拜访，看了票务和会员系统",
              "对会员系统很感兴趣",
              promise=("两周内做一份会员运营诊断", "-28d"), outcome=("kept", "-29d")),
            T("-10d", "微信", ["吕婷"], "微信发了诊断报告，吕总监说下周内部讨论",
              nxt=("提交初步方案", "+10d")),
        ],
        "tasks": [("plan", "-62d"), ("call", "-60d"), ("visit", "-42d"), ("survey", "-40d")],
    },
    {
        "name": "长沙湘江教育科技", "industry": "教育培训", "region": "湖南长沙", "kind": "business",
        "level": "transactional", "value": "25万", "owner": "赵刚",
        "note": "连锁培训机构，排课和续费管理。老板对价格敏感。",
        "stage": "acquainted",
        "people": [
            P("毛勇", "CEO", "总部", "高层", "决策者", "中立",
              kpi="续费率、校区利润", style="语速快，问价格很直接"),
            P("钟小雅", "教务运营经理", "教务部", "中层", "使用者", "支持",
              pain="十几个校区排课靠微信群", rate=4),
        ],
        "touches": [
            T("-45d", "电话", ["钟小雅"], "电话邀约钟经理，她正为跨校区排课头疼"),
            T("-30d", "日常", ["钟小雅", "毛勇"], "拜访总部，毛总临时加入",
              "毛总很关心价格"),
            T("-3d", "微信", ["钟小雅"], "钟经理要试用账号",
              promise=("五天内发送排课系统试用账号", "+2d")),
        ],
        "tasks": [("plan", "-50d"), ("call", "-45d"), ("visit", "-30d")],
    },
    {
        "name": "郑州中原冷链", "industry": "冷链物流", "region": "河南郑州", "kind": "business",
        "level": "transactional", "value": "20万", "owner": "林晓雯", "segment": "战略客户",
        "note": "冷库温控数据不全，被客户投诉过。卢总监有兴趣，下个月见面。冷链是公司明年重点进入的行业，"
                "这家做成了就是华中的第一个标杆，所以按战略客户跟进。",
        "stage": "stranger",
        "people": [
            P("卢军", "运营总监", "运营中心", "中层", "决策影响者", "中立",
              pain="温控记录断档，被客户索赔"),
        ],
        "touches": [
            T("-2w", "电话", ["卢军"], "电话聊冷链温控数据问题，卢总监愿意下月见面",
              "愿意花时间",
              nxt=("寄送冷链温控白皮书并约拜访时间", "明天")),
        ],
        "tasks": [("plan", "-20d")],
    },
    {
        "name": "昆明滇池生物医药", "industry": "生物医药", "region": "云南昆明", "kind": "business",
        "level": "transactional", "owner": "赵刚",
        "note": "从行业名录筛出的目标客户，GMP数据完整性可能是切入点，还没联系上关键人。",
        "stage": "stranger",
        "people": [],
        "touches": [],
        "tasks": [],
    },
]


# ---------------------------------------------------------------- building


def check_path(path: Path) -> None:
    """Refuse to replace anything but a kehu book (SQLite) or an empty file."""
    if not path.exists() and not path.is_symlink():
        return
    if not path.is_file():
        fail(f"{path} exists and is not a regular file; refusing to replace it")
    with path.open("rb") as fh:
        head = fh.read(16)
    if head and head != SQLITE_HEADER:
        fail(f"{path} exists and is not a kehu book (not an SQLite file); refusing to replace it")


def remove_book(path: Path) -> None:
    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        if p.exists() or p.is_symlink():
            p.unlink()


def fail(message: str) -> None:
    sys.stderr.write(f"build_book: {message}\n")
    sys.exit(1)


# Contracts by customer. The first contract of a mature customer is the one whose
# signing makes it mature (signed on its 签约 task day, through kehu's contract gate).
# plan: (due, amount) instalments; pay: (day, amount) payments, filled in order.
CONTRACTS: dict[str, list[dict]] = {
    "华东电网信息中心": [
        {"title": "一期数据平台建设", "amount": "180万",
         "plan": [("-90d", "54万"), ("-40d", "72万"), ("-10d", "54万")],
         "pay": [("-85d", "54万"), ("-35d", "50万")]},  # 22万 + 54万 now overdue
        {"title": "二期调度数据接入", "amount": "120万", "status": "negotiating", "expected": "+40d",
         "negotiation": {
             "timing": [("terms", "郑主任在季度会上确认二期由我方承接，条件是分两年付款", "-20d"),
                        ("proposal", "已提交二期商务、实施与运维服务的初步提案", "-14d"),
                        ("objections", "物资部对首付比例和驻场人数提出异议，初步提案答不了", "-6d")],
             "issues": [
                 {"detail": "首付比例：对方要求从30%降到10%", "need": "今年预算只剩一期尾款额度，二期主要走明年预算",
                  "options": [("首付15%，其余按里程碑分三期", "当年支出压到最低，又不拖累明年"),
                              ("首付10%，总价上浮2%", "完全满足今年预算，代价可量化")]},
                 {"detail": "驻场运维：对方要两人常驻一年", "need": None,
                  "options": [("一人常驻加远程值守", None)]},
             ],
             "analysis": [("ours", "strengths", "一期按期上线，运维零重大事故"),
                          ("ours", "unique_value", "唯一熟悉一期数据口径的厂商"),
                          ("customer", "pain", "调度数据口径不一，月报靠人工核对"),
                          ("customer", "finances", "二期预算已上报，明年一季度下达"),
                          ("competitor", "offer", "某友商报价低约15%，但不含数据迁移")],
             "goal": {"specific": "签下二期，首付不低于15%", "measurable": "合同额≥115万，驻场≤1人",
                      "deadline": "+35d"},
             "packages": [("best", "120万，首付30%，驻场1人", "120万"),
                          ("compromise", "118万，首付15%，驻场1人加远程", "118万"),
                          ("bottom", "115万，首付10%，驻场2人半年", "115万")],
             "team": [("lead", "周志远"), ("technical", "孙工（方案架构师）"), ("commercial", "李娜（商务经理）")],
         }},
    ],
    "深圳星河制造": [
        {"title": "MES 产线数据采集", "amount": "95万",
         "plan": [("-150d", "30万"), ("-60d", "65万")],
         "pay": [("-148d", "30万"), ("-55d", "65万")], "complete": "-45d"},  # after-sale visit now due
    ],
    "杭州云帆物流": [
        {"title": "仓储调度系统", "amount": "60万",
         "plan": [("-120d", "30万"), ("+20d", "30万")], "pay": [("-118d", "30万")]},
        {"title": "华南仓扩展", "amount": "45万", "expected": "+75d"},
    ],
    "金陵康宁医疗集团": [
        {"title": "智慧病区一期", "amount": "150万", "status": "negotiating", "expected": "+60d"},
    ],
    "西安秦川重工": [
        {"title": "设备联网改造", "amount": "70万", "status": "negotiating",
         "lost": ("项目预算冻结，年内取消", "-30d")},
    ],
}


def days_ago(day: str) -> int:
    """'-120d' -> 120, '-3w' -> 21 (the demo only uses past days and weeks here)."""
    n = int(day.strip("-+dw"))
    return n * 7 if day.endswith("w") else n


def opened_on(c: dict) -> str:
    """The account was opened a few days before the first thing recorded about it."""
    first = max([days_ago(t["day"]) for t in c["touches"]] + [days_ago(d) for _, d in c["tasks"]] + [0])
    return f"-{first + 5}d"


def left_stage_on(c: dict, stage: str) -> str | None:
    """The day a stage was left: the day its last task was done (None: no task done)."""
    from kehu.i18n import parse_enum
    from kehu.rules.domain import TASK_STAGE

    days = [days_ago(d) for t, d in c["tasks"] if TASK_STAGE[parse_enum("task", t)] == stage]
    return f"-{min(days)}d" if days else None


def add_customer(k: Kehu, c: dict, tally: Counter) -> None:
    args = ["add", c["name"], "--date", opened_on(c)]
    for opt in ("industry", "region", "kind", "level", "value", "owner", "note", "segment", "profit-now",
                "profit-future"):
        if c.get(opt):
            args += [f"--{opt}", c[opt]]
    k(*args)
    tally["customers"] += 1


def add_people(k: Kehu, c: dict, tally: Counter) -> None:
    for p in c["people"]:
        args = ["person", "add", c["name"], p["name"]]
        for opt in ("title", "dept", "level", "role", "attitude", "kpi", "pain", "interest", "style", "private"):
            if p.get(opt):
                args += [f"--{opt}", p[opt]]
        k(*args)
        tally["people"] += 1
        tally["private"] += bool(p.get("private"))


def add_touches(k: Kehu, c: dict, tally: Counter) -> None:
    for t in c["touches"]:
        args = ["touch", c["name"], "--kind", t["kind"], "--date", t["day"]]
        for who in t["with"]:
            args += ["--with", who]
        if t["note"]:
            args += ["--note", t["note"]]
        for sig in t["signals"]:
            args += ["--signal", sig]
        for kind in t["kinds"]:
            args += ["--signal-kind", kind]
        if t["next"]:
            args += ["--next", t["next"][0], "--next-due", t["next"][1]]
            tally["next steps"] += 1
        if t["promise"]:
            args += ["--promise", t["promise"][0], "--promise-due", t["promise"][1]]
        result = k.json(*args)
        tally["touchpoints"] += 1
        if t["promise"]:
            pid = result.get("promise_id")
            if pid is None:
                fail(f"kehu touch did not report a promise id for {c['name']} {t['day']}")
            if t["outcome"]:
                state, day = t["outcome"]
                k("promise", state, str(pid), "--date", day)


def rate_people(k: Kehu, c: dict, tally: Counter) -> None:
    for p in c["people"]:
        if p.get("rate"):
            k("person", "rate", c["name"], p["name"], str(p["rate"]))
            tally["ratings"] += 1


def mark_tasks(k: Kehu, c: dict, tally: Counter) -> None:
    for task, day in c["tasks"]:
        k("done", c["name"], task, "--date", day)
        tally["tasks"] += 1


# What evaluation found out about each customer (seed 000: need, ability to pay, payment
# credit; seed 004: desire and authority). Customers that reach growth are qualified;
# the one dropped for its money shows why, in the book, before it was dropped.
DEFAULT_QUALIFY = (
    ("need", "good", "招标/采购需求已确认"),
    ("pay", "good", "预算已批复"),
    ("credit", "good", "以往付款记录良好"),
)
QUALIFY: dict[str, tuple[tuple[str, str, str], ...]] = {}
LATE_QUALIFY: dict[str, tuple[tuple[str, str, str], ...]] = {
    "西安秦川重工": (("need", "good", "设备联网改造需求明确"),
                ("pay", "bad", "反复问能否延期付款，提到工资发放困难"),
                ("credit", "unknown", "还没查到以往付款记录")),
    "广州南粤城商银行": (("need", "good", "数据中台需求已在年度计划中"),
                  ("pay", "good", "信创专项预算已批复"),
                  ("credit", "good", "同业反馈付款准时"),
                  ("desire", "good", "叶总主动约POC"),
                  ("authority", "good", "叶总是最终决策人")),
}


def qualify_open(k: Kehu, c: dict, tally: Counter) -> None:
    """Qualification facts of customers still in evaluation (the gate has not asked yet)."""
    for fact, verdict, note in LATE_QUALIFY.get(c["name"], ()):
        k("qualify", c["name"], fact, verdict, "--note", note)
        tally["qualification facts"] += 1


def walk_stages(k: Kehu, c: dict, threshold: float, tally: Counter) -> None:
    target = STAGES.index(c["stage"])
    for from_stage, to_stage in zip(STAGES, STAGES[1 : target + 1], strict=False):
        day = left_stage_on(c, from_stage)
        dated = ["--date", day] if day else []
        if to_stage == "growth":
            # Evaluation checks the customer too (seed 000): need, ability to pay and
            # payment credit must be good before growth (kehu's qualification gate).
            for fact, verdict, note in QUALIFY.get(c["name"], DEFAULT_QUALIFY):
                k("qualify", c["name"], fact, verdict, "--note", note, *dated)
                tally["qualification facts"] += 1
            score = float(k.json("trust", c["name"])["score"])
            if score >= threshold:
                k("advance", c["name"], *dated)
            elif c.get("force_growth"):
                k("advance", c["name"], "--force", "--reason", c["force_growth"], *dated)
                tally["forced"] += 1
            else:
                fail(f"{c['name']}: trust {score:.1f} is below {threshold:g} and the demo "
                     "does not plan to force it; the demo data needs adjusting")
        elif to_stage == "mature":
            # Maturity's only mark is a signed contract: signing the first one advances it.
            sign_day = next(d for t, d in c["tasks"] if t in ("sign", "签约"))
            add_contract(k, c["name"], CONTRACTS[c["name"]][0], tally, signed=sign_day)
            if k.json("show", c["name"])["stage"] != "mature":
                fail(f"{c['name']}: signing its contract did not make it mature; the demo data needs adjusting")
        else:
            k("advance", c["name"], *dated)
    if c.get("drop"):
        last = min(days_ago(t["day"]) for t in c["touches"])
        k("drop", c["name"], "--reason", c["drop"], "--date", f"-{max(last - 10, 0)}d")


def add_contract(k: Kehu, name: str, spec: dict, tally: Counter, signed: str | None = None) -> None:
    args = ["contract", "add", name, spec["title"], "--amount", spec["amount"], "--json"]
    if spec.get("status"):
        args += ["--status", spec["status"]]
    if spec.get("expected"):
        args += ["--expected", spec["expected"]]
    ident = str(k.json(*args)["id"])
    tally["contracts"] += 1
    if spec.get("plan"):
        k("contract", "plan", ident, *[f"--instalment={d}:{a}" for d, a in spec["plan"]])
    if signed:
        k("contract", "sign", ident, "--date", signed)
    for day, amount in spec.get("pay", ()):
        k("pay", ident, amount, "--date", day)
        tally["payments"] += 1
    if spec.get("complete"):
        k("contract", "complete", ident, "--date", spec["complete"])
    if spec.get("lost"):
        reason, day = spec["lost"]
        k("contract", "lose", ident, "--reason", reason, "--date", day)
    plan = spec.get("negotiation")
    if plan:
        for cond, evidence, day in plan["timing"]:
            k("negotiate", "timing", ident, cond, evidence, "--date", day)
        for issue in plan["issues"]:
            need = ["--need", issue["need"]] if issue["need"] else []
            number = str(k.json("negotiate", "issue", ident, issue["detail"], *need, "--json")["id"])
            for text, value in issue["options"]:
                k("negotiate", "option", number, text, *(["--value", value] if value else []))
        for party, aspect, text in plan["analysis"]:
            k("negotiate", "analysis", ident, party, aspect, text)
        goal = [f"--{part}={text}" for part, text in plan["goal"].items()]
        k("negotiate", "goal", ident, *goal)
        for kind, text, amount in plan["packages"]:
            k("negotiate", "package", ident, kind, text, "--amount", amount)
        for role, who in plan["team"]:
            k("negotiate", "team", ident, role, who)


def add_contracts(k: Kehu, c: dict, tally: Counter) -> None:
    """The customer's contracts not already added by its signing (see walk_stages)."""
    specs = CONTRACTS.get(c["name"], [])
    for spec in specs[1:] if c["stage"] == "mature" else specs:
        add_contract(k, c["name"], spec, tally)


def build(path: Path) -> tuple[Counter, Kehu]:
    k = Kehu(str(path))
    tally: Counter = Counter()
    threshold = None
    for c in CUSTOMERS:
        add_customer(k, c, tally)
        if threshold is None:
            threshold = float(k("config", "get", "trust.threshold").strip())
        add_people(k, c, tally)
        add_touches(k, c, tally)
        rate_people(k, c, tally)
        mark_tasks(k, c, tally)
        qualify_open(k, c, tally)
        walk_stages(k, c, threshold, tally)
        add_contracts(k, c, tally)
    after_the_deal(k, tally)
    return tally, k


def after_the_deal(k: Kehu, tally: Counter) -> None:
    """After the deal (issue 19): a complaint handled up to its call-back, a care call, the
    review of the lost contract, a referral, and the buying cycle of 深圳星河制造 (every four
    months), so its next purchase is overdue and `kehu next` shows it."""
    k("complaint", "add", "杭州云帆物流", "仓储调度系统月底盘点时卡顿", "--severity", "高", "--date", "-2d")
    k("complaint", "step", "Q1", "listen", "confirm", "propose", "--date", "-1d")
    k("touch", "深圳星河制造", "--care", "--with", "黄志明", "--date", "-20d", "--note", "中秋节问候，感谢一年的合作")
    k("review", "6", "--background", "对方设备联网预算原计划年内下达",
      "--results", "预算冻结，项目取消；我们没能提前察觉", "--lessons", "谈判期每月向财务确认预算状态")
    k("referral", "add", "杭州云帆物流", "深圳星河制造", "--by-person", "黄志明")
    k("cycle", "深圳星河制造", "4m")
    tally["complaints"] += 1


def summary(k: Kehu, path: Path, tally: Counter, seconds: float) -> str:
    from kehu.dates import today

    rows = k.json("list")
    promises = k.json("promise", "list")
    stages = Counter(r["stage"] for r in rows)
    dropped = sum(1 for r in rows if r["terminated"])
    states = Counter(p["state"] for p in promises)
    on_time = sum(1 for p in promises if p["state"] == "kept" and p["on_time"])
    overdue = sum(1 for p in promises if p["state"] == "open" and p["due"] < today().isoformat())
    people = sum(r["people"] for r in rows)
    by_stage = ", ".join(f"{s} {stages[s]}" for s in STAGES)
    return "\n".join([
        f"Built {path} in {seconds:.1f} s ({k.calls} kehu commands).",
        f"  customers    {len(rows):3}  ({by_stage}; {dropped} terminated; {tally['forced']} forced advances)",
        f"  people       {people:3}  ({tally['ratings']} rated, {tally['private']} with private notes)",
        f"  touchpoints  {tally['touchpoints']:3}  ({tally['next steps']} with a next step)",
        f"  promises     {len(promises):3}  (kept {states['kept']}: {on_time} on time, "
        f"{states['kept'] - on_time} late; broken {states['broken']}; "
        f"open {states['open']}: {overdue} overdue)",
        f"  stage tasks  {tally['tasks']:3}  done",
        f"  contracts    {tally['contracts']:3}  ({tally['payments']} payments; one overdue, one in negotiation)",
        f"Try: kehu --db {shlex.quote(str(path))} list",
    ])


def main() -> None:
    parser = argparse.ArgumentParser(description="Build a demo kehu account book through the kehu CLI.")
    parser.add_argument("path", nargs="?", default="kehu-demo.db",
                        help="where to write the book (default: kehu-demo.db); an existing kehu book is replaced")
    path = Path(parser.parse_args().path)
    check_path(path)
    remove_book(path)
    started = time.perf_counter()
    try:
        tally, k = build(path)
        text = summary(k, path, tally, time.perf_counter() - started)
    except CommandFailed as exc:
        fail(str(exc))
    try:
        print(text, flush=True)
    except BrokenPipeError:  # `build_book.py | head -1`: the book is built, stop quietly
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


if __name__ == "__main__":
    main()
