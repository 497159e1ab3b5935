"""`kehu remind --post URL`: the reminder as a Markdown message to a team chat's group robot.

Three services, each with its own message and its own way of signing (from their
documentation for custom group robots):

- WeCom (企业微信, ``qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…``): ``{"msgtype":
  "markdown", "markdown": {"content": TEXT}}``, at most 4,096 bytes; the key in the URL is
  the only credential (a WeCom group robot has no signing secret). Reply ``errcode`` 0.
- DingTalk (钉钉, ``oapi.dingtalk.com/robot/send?access_token=…``): ``{"msgtype":
  "markdown", "markdown": {"title": TITLE, "text": TEXT}}``. With a signing secret
  (加签), the URL gets ``timestamp`` (milliseconds) and ``sign``: Base64 of
  HMAC-SHA256 keyed with the secret over ``"{timestamp}\\n{secret}"``, URL-encoded.
  Reply ``errcode`` 0.
- Feishu / Lark (飞书, ``open.feishu.cn/open-apis/bot/v2/hook/…``): an interactive card,
  ``{"msg_type": "interactive", "card": {"header": {"title": …}, "elements": [{"tag":
  "markdown", "content": TEXT}]}}``. With a signing secret (签名校验), the body gets
  ``timestamp`` (seconds, as text) and ``sign``: Base64 of HMAC-SHA256 keyed with
  ``"{timestamp}\\n{secret}"`` over nothing. Reply ``code`` 0.

The secret comes from KEHU_POST_SECRET (never from the command line, where ``ps`` and
shell history would show it). Sending uses the standard library only: one POST with a
timeout (KEHU_POST_TIMEOUT seconds, default 10), and once more at once if that failed
for any reason (a network error, a timeout, an HTTP error, a reply whose code is not
0). The webhook's URL holds its credential and is never shown in a message: failures
name the service and its host.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import time
from urllib.parse import quote_plus, urlsplit

from kehu.errors import IOFailure, Said, SchemaError, UsageError

FORMATS = ("wecom", "dingtalk", "feishu")
HOSTS = {
    "qyapi.weixin.qq.com": "wecom",
    "oapi.dingtalk.com": "dingtalk",
    "open.feishu.cn": "feishu",
    "open.larksuite.com": "feishu",
}
# What each service takes at most (bytes of the Markdown text); a longer reminder is
# cut at an item and says how many more there are.
MAX_BYTES = {"wecom": 4000, "dingtalk": 18_000, "feishu": 18_000}
TIMEOUT = 10.0


def format_of(url: str, chosen: str | None) -> str:
    """The service a webhook URL is for: ``--post-format``, else its host."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError("post_bad_url")
    if chosen is not None:
        fmt = chosen.strip().lower()
        if fmt not in FORMATS:
            raise UsageError("bad_enum", what="--post-format", value=chosen, accepted=", ".join(FORMATS))
        return fmt
    fmt = HOSTS.get(parts.hostname.lower())
    if fmt is None:
        raise UsageError("post_unknown_host", host=parts.hostname)
    return fmt


def timeout() -> float:
    """KEHU_POST_TIMEOUT: seconds to wait for the service's reply (default 10)."""
    raw = os.environ.get("KEHU_POST_TIMEOUT")
    if raw is None:
        return TIMEOUT
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0 < value <= 300:
        raise SchemaError("bad_env", var="KEHU_POST_TIMEOUT", value=raw, expected="seconds, 0 < s ≤ 300")
    return value


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def feishu_sign(secret: str, timestamp_s: int) -> str:
    digest = hmac.new(f"{timestamp_s}\n{secret}".encode(), b"", hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def request(fmt: str, url: str, title: str, text: str, secret: str | None, now: float) -> tuple[str, bytes]:
    """The URL to POST to and the JSON body, for one attempt at time ``now``."""
    if fmt == "wecom":
        body: dict = {"msgtype": "markdown", "markdown": {"content": text}}
    elif fmt == "dingtalk":
        body = {"msgtype": "markdown", "markdown": {"title": title, "text": text}}
        if secret:
            ms = int(now * 1000)
            sign = quote_plus(dingtalk_sign(secret, ms))
            url += ("&" if urlsplit(url).query else "?") + f"timestamp={ms}&sign={sign}"
    else:
        body = {"msg_type": "interactive",
                "card": {"header": {"title": {"tag": "plain_text", "content": title}},
                         "elements": [{"tag": "markdown", "content": text}]}}
        if secret:
            s = int(now)
            body = {"timestamp": str(s), "sign": feishu_sign(secret, s), **body}
    return url, json.dumps(body, ensure_ascii=False).encode()


def send(fmt: str, url: str, title: str, text: str, *, secret: str | None, wait: float, clock=time.time) -> None:
    """POST the message; once more if that fails; raise IOFailure when both did."""
    why = ""
    for _attempt in range(2):
        target, body = request(fmt, url, title, text, secret, clock())
        why = _attempt_once(fmt, target, body, wait)
        if not why:
            return
    raise IOFailure("post_failed", service=Said(f"post_service_{fmt}"), host=urlsplit(url).hostname or "", reason=why)


def _attempt_once(fmt: str, url: str, body: bytes, wait: float) -> str:
    """'' when the service took the message, else why not (no URL in it: it holds the key)."""
    import urllib.error
    import urllib.request

    req = urllib.request.Request(url, data=body, method="POST",
                                 headers={"Content-Type": "application/json; charset=utf-8"})
    try:
        with urllib.request.urlopen(req, timeout=wait) as reply:
            raw = reply.read(65536)
    except urllib.error.HTTPError as exc:
        return f"HTTP {exc.code}"
    except TimeoutError:  # (socket.timeout is TimeoutError)
        return f"timeout {wait:g} s"
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, TimeoutError):
            return f"timeout {wait:g} s"
        return str(getattr(reason, "strerror", None) or reason)
    except OSError as exc:
        return exc.strerror or exc.__class__.__name__
    try:
        answer = json.loads(raw)
    except ValueError:
        return "reply is not JSON"
    if not isinstance(answer, dict):
        return "reply is not JSON"
    field = "code" if fmt == "feishu" else "errcode"
    code = answer.get(field, answer.get("StatusCode") if fmt == "feishu" else None)
    if code != 0:
        detail = answer.get("msg" if fmt == "feishu" else "errmsg")
        return f"{field} {code}" + (f" ({str(detail)[:120]})" if detail else "")
    return ""
