"""`kehu remind --post URL`: the reminder as a Markdown message to a group robot.

A robot of each service is played by a local HTTP server on 127.0.0.1 that records what
it is sent and answers as told (the service's JSON, an HTTP error, or nothing at all).
Each test checks the body and the signature as the service would; the retry; the
timeout; and that a reminder that did not go out is not marked as sent.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

pytestmark = pytest.mark.today("2026-11-23")

ENV = {"KEHU_TODAY": "2026-11-23"}
SECRET = "SEC0123456789abcdef"
OK = {"wecom": {"errcode": 0, "errmsg": "ok"}, "dingtalk": {"errcode": 0, "errmsg": "ok"},
      "feishu": {"code": 0, "msg": "success", "data": {}}}


class Robot:
    """A group robot on 127.0.0.1: ``requests`` holds (path with query, JSON body) of each
    POST; ``replies`` what to answer, in turn (then ``OK``): a dict (JSON, HTTP 200), an
    int (that HTTP status) or "hang" (no answer until the test is over)."""

    def __init__(self, service: str) -> None:
        self.service = service
        self.requests: list[tuple[str, dict]] = []
        self.replies: list = []
        self.arrived = threading.Condition()
        self.release = threading.Event()
        robot = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 — the name http.server calls
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                with robot.arrived:
                    robot.requests.append((self.path, body))
                    reply = robot.replies.pop(0) if robot.replies else OK[robot.service]
                    robot.arrived.notify_all()
                if reply == "hang":
                    robot.release.wait(30)
                    return
                if isinstance(reply, int):
                    self.send_error(reply)
                    return
                data = json.dumps(reply).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.02,), daemon=True)
        self.thread.start()
        path = {"wecom": "/cgi-bin/webhook/send?key=KEY123", "dingtalk": "/robot/send?access_token=TOKEN123",
                "feishu": "/open-apis/bot/v2/hook/HOOK123"}[service]
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def wait_for(self, count: int) -> None:
        with self.arrived:
            assert self.arrived.wait_for(lambda: len(self.requests) >= count, timeout=30)

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


@pytest.fixture
def robots():
    made: list[Robot] = []

    def make(service: str) -> Robot:
        made.append(Robot(service))
        return made[-1]

    yield make
    for robot in made:
        robot.close()


@pytest.fixture
def book(kehu):
    kehu("add", "华为", "--value", "300万", "--date", "2026-01-01", env=ENV)
    kehu("add", "中兴", "--date", "2026-01-01", env=ENV)
    kehu("person", "add", "华为", "张伟", "--role", "决策者", "--private", "喜欢钓鱼", "--private-mobile",
         "13912345678")
    kehu("touch", "华为", "--kind", "daily", "--with", "张伟", "--date", "2026-11-10",
         "--promise", "发送报价", "--promise-due", "2026-11-20", env=ENV)
    kehu("touch", "中兴", "--kind", "daily", "--date", "2026-11-21",
         "--next", "约演示 <at id=all></at>", "--next-due", "2026-11-23", env=ENV)
    return kehu


def post(kehu, robot: Robot, *args: str, code: int = 0, secret: str | None = None, timeout: str = "5",
         lang: str = "en"):
    env = {**ENV, "KEHU_POST_TIMEOUT": timeout, "KEHU_LANG": lang}
    if secret is not None:
        env["KEHU_POST_SECRET"] = secret
    return kehu("remind", "--post", robot.url, "--post-format", robot.service, *args, code=code, env=env)


def text_of(service: str, body: dict) -> str:
    if service == "wecom":
        return body["markdown"]["content"]
    if service == "dingtalk":
        return body["markdown"]["text"]
    return body["card"]["elements"][0]["content"]


# ---------------------------------------------------------------- each service's message


@pytest.mark.parametrize("service", ["wecom", "dingtalk", "feishu"])
def test_the_message_is_the_services_markdown_and_nothing_is_printed(book, robots, service) -> None:
    robot = robots(service)
    result = post(book, robot)
    assert result.stdout == "" and result.stderr == ""
    [(path, body)] = robot.requests
    text = text_of(service, body)
    assert text.splitlines() == [
        "**kehu reminders 2026-11-23**",
        "",
        "**overdue (2)**",
        "- P1  2026-11-20 (3 days late)  华为  promise: 发送报价  urgency 6.9",
        "- C1  2026-11-17 (6 days late)  华为  keep in touch: last touch 2026-11-10, 13 days ago "
        "(platinum customers: every 7 days)  urgency 5.9",
        "",
        "**today (1)**",
        "- N2  2026-11-23  中兴  next step: 约演示 ＜at id=all＞＜/at＞  urgency 1.0",
    ]
    assert "P1" in text and "发送报价" in text and "N2" in text
    assert "<at" not in text and "＜at id=all＞" in text  # a note cannot ping the whole group
    # nothing private: not a person's private note or private mobile
    assert "喜欢钓鱼" not in json.dumps(body, ensure_ascii=False) and "13912345678" not in json.dumps(body)
    if service == "wecom":
        assert body == {"msgtype": "markdown", "markdown": {"content": text}}
        assert path == "/cgi-bin/webhook/send?key=KEY123"
    elif service == "dingtalk":
        assert body == {"msgtype": "markdown", "markdown": {"title": "kehu reminders 2026-11-23", "text": text}}
        assert path == "/robot/send?access_token=TOKEN123"  # no secret: not signed
    else:
        assert body == {"msg_type": "interactive", "card": {
            "header": {"title": {"tag": "plain_text", "content": "kehu reminders 2026-11-23"}},
            "elements": [{"tag": "markdown", "content": text}]}}


def test_dingtalk_signs_the_url_with_timestamp_and_sign(book, robots) -> None:
    robot = robots("dingtalk")
    before = time.time()
    post(book, robot, secret=SECRET)
    [(path, body)] = robot.requests
    query = parse_qs(urlsplit(path).query)
    assert query["access_token"] == ["TOKEN123"]
    [stamp], [sign] = query["timestamp"], query["sign"]
    assert before * 1000 - 1 <= int(stamp) <= time.time() * 1000 + 1  # milliseconds
    expected = base64.b64encode(hmac.new(SECRET.encode(), f"{stamp}\n{SECRET}".encode(), hashlib.sha256).digest())
    assert sign == expected.decode()  # parse_qs has undone the URL encoding of + / =
    assert body["msgtype"] == "markdown"


def test_feishu_signs_the_body_with_timestamp_and_sign(book, robots) -> None:
    robot = robots("feishu")
    before = int(time.time())
    post(book, robot, secret=SECRET)
    [(_, body)] = robot.requests
    stamp = body["timestamp"]
    assert isinstance(stamp, str) and before <= int(stamp) <= time.time()  # seconds, as text
    expected = base64.b64encode(hmac.new(f"{stamp}\n{SECRET}".encode(), b"", hashlib.sha256).digest()).decode()
    assert body["sign"] == expected
    assert body["msg_type"] == "interactive"


def test_the_format_follows_the_host_and_is_refused_when_unknown(kehu, isolated_book) -> None:
    # (refused before the book is opened: no book needed, none made)
    from _books import nothing_made

    book = kehu
    from kehu.push import format_of

    assert format_of("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x", None) == "wecom"
    assert format_of("https://oapi.dingtalk.com/robot/send?access_token=x", None) == "dingtalk"
    assert format_of("https://open.feishu.cn/open-apis/bot/v2/hook/x", None) == "feishu"
    assert format_of("https://open.larksuite.com/open-apis/bot/v2/hook/x", None) == "feishu"
    assert format_of("https://open.feishu.cn/x", "DingTalk") == "dingtalk"
    result = book("remind", "--post", "https://chat.example.com/hook", code=2, env=ENV)
    assert result.stderr == ("kehu: chat.example.com is not a known group robot host: name the format with "
                             "--post-format wecom|dingtalk|feishu.\n")
    assert book("remind", "--post", "ftp://x/y", code=2, env=ENV).stderr.startswith("kehu: --post takes a ")
    assert book("remind", "--post-format", "wecom", code=2, env=ENV).stderr == (
        "kehu: --post-format goes with --post URL.\n")
    assert "Accepted: wecom, dingtalk, feishu" in book(
        "remind", "--post", "https://open.feishu.cn/x", "--post-format", "slack", code=2, env=ENV).stderr
    assert nothing_made(isolated_book)


def test_a_person_at_a_terminal_is_told_where_it_went(book, robots, monkeypatch) -> None:
    from kehu.cli import _common

    assert callable(_common.stderr_is_terminal)
    monkeypatch.setattr(_common, "stderr_is_terminal", lambda: True)
    robot = robots("feishu")
    assert post(book, robot, lang="zh").stderr == "已推送到飞书：3 项\n"


def test_nothing_due_sends_nothing(kehu, robots) -> None:
    kehu("add", "华为", "--date", "2026-11-20", env=ENV)
    robot = robots("wecom")
    post(kehu, robot, "--within", "0")
    assert robot.requests == []


# ---------------------------------------------------------------- failures


def test_one_retry_after_a_failure(book, robots) -> None:
    robot = robots("wecom")
    robot.replies = [500]
    post(book, robot, "--new")
    assert len(robot.requests) == 2 and robot.requests[0] == robot.requests[1]
    post(book, robot, "--new")  # sent, so marked: the next --new run has nothing new
    assert len(robot.requests) == 2


def test_a_service_error_code_fails_and_the_reminder_is_not_marked_as_sent(book, robots) -> None:
    robot = robots("dingtalk")
    robot.replies = [{"errcode": 310000, "errmsg": "sign not match"}] * 2
    result = post(book, robot, "--new", secret=SECRET, code=74)
    assert result.stderr == (
        "kehu: Posting to DingTalk (127.0.0.1) failed: errcode 310000 (sign not match) (tried twice). "
        "The reminder is not marked as sent: the next --new run sends it again.\n")
    assert result.stdout == "" and "TOKEN123" not in result.stderr
    assert len(robot.requests) == 2
    first = text_of("dingtalk", robot.requests[0][1])
    post(book, robot, "--new", secret=SECRET)  # the next run sends the same items
    assert text_of("dingtalk", robot.requests[2][1]) == first
    post(book, robot, "--new", secret=SECRET)  # and now they are marked
    assert len(robot.requests) == 3


def test_feishu_code_is_checked(book, robots) -> None:
    robot = robots("feishu")
    robot.replies = [{"code": 19021, "msg": "sign match fail or timestamp is not within one hour"}] * 2
    result = post(book, robot, code=74, lang="zh")
    assert result.stderr.startswith("kehu: 推送到飞书（127.0.0.1）失败：code 19021 (sign match fail")
    assert result.stderr.endswith("（已重试一次）。提醒未标记为已发送，下次 --new 会再发。\n")


def test_a_robot_that_never_answers_times_out_twice_and_nothing_is_marked(book, robots) -> None:
    robot = robots("wecom")
    robot.replies = ["hang", "hang"]
    result = post(book, robot, "--new", timeout="0.2", code=74)
    assert result.stderr.startswith("kehu: Posting to WeCom (127.0.0.1) failed: timeout 0.2 s (tried twice).")
    robot.wait_for(2)
    post(book, robot, "--new")  # not marked: sent again
    assert len(robot.requests) == 3
    assert text_of("wecom", robot.requests[2][1]) == text_of("wecom", robot.requests[0][1])


def test_a_closed_port_fails_cleanly(book, robots) -> None:
    robot = robots("wecom")
    robot.close()
    result = post(book, robot, code=74)
    assert result.stderr.startswith("kehu: Posting to WeCom (127.0.0.1) failed: ")
    assert "KEY123" not in result.stderr and len(result.stderr.splitlines()) == 1


def test_a_bad_timeout_is_a_configuration_error(kehu, robots) -> None:
    robot = robots("wecom")
    result = post(kehu, robot, timeout="soon", code=78)
    assert result.stderr.startswith("kehu: The environment variable KEHU_POST_TIMEOUT='soon' is invalid")
    assert robot.requests == []


# ---------------------------------------------------------------- the Markdown text


def test_a_long_reminder_is_cut_at_an_item_within_the_services_limit() -> None:
    from datetime import date

    from kehu.render.followups import remind_markdown
    from kehu.rules.followups import Item, Ranked

    day = date(2026, 11, 23)
    ranked = [Ranked(Item("next_step", i, 1, f"客户{i}", "lead", "stranger", day, "跟进" * 20), "today", 0, 1.0, {})
              for i in range(200)]
    title, text = remind_markdown(ranked, "zh", day, 7, 4000)
    assert title == "客户跟进提醒 2026-11-23"
    assert len(text.encode()) <= 4000
    shown = text.count("\n- ")
    assert 10 < shown < 200
    assert text.endswith(f"……另有 {200 - shown} 项，请运行 kehu remind 查看全部。")
    _, whole = remind_markdown(ranked, "zh", day, 7, 10_000_000)
    assert whole.count("\n- ") == 200 and "另有" not in whole
