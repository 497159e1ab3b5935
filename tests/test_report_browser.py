"""`kehu report --html` in a real browser: headless Chromium from the system's packages
lays the page out at A4's width and at a phone's; a measuring script (added to a copy of
the page here; the page itself has none) reports every chart's bars and anything wider
than the window. The screenshot is checked by its pixels; printing to PDF gives A4 pages.

Chromium is installed by this set-up when it is missing and the tests run as root (as
.ci/postgres installs the PostgreSQL server), with a Chinese font so the page is
readable; otherwise the test fails, it never skips.
"""

from __future__ import annotations

import html as htmllib
import json
import os
import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from test_report import build

pytestmark = pytest.mark.today("2026-11-27")
PACKAGES = ("chromium", "fonts-wqy-microhei")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync")
A4_PX = 794  # 210 mm at 96 px per inch
BAR_RGB = (0x2F, 0x6F, 0x9F)  # .bar.count/.amount/.stage in report_html's CSS

MEASURE = """<script>
const w = window.innerWidth, out = {width: w, scroll: document.documentElement.scrollWidth, wide: [], charts: {}};
for (const el of document.querySelectorAll('body *')) {
  const r = el.getBoundingClientRect();
  if (r.right > w + 0.5 || r.left < -0.5) out.wide.push(el.tagName + ' ' + (el.textContent || '').slice(0, 30));
}
for (const svg of document.querySelectorAll('svg[data-chart]')) {
  out.charts[svg.dataset.chart] = [...svg.querySelectorAll('rect.bar')].map(b => {
    const r = b.getBoundingClientRect();
    return {value: +b.dataset.value, cls: b.getAttribute('class'), width: r.width, height: r.height};
  });
}
document.body.setAttribute('data-measure', JSON.stringify(out));
</script>"""


def _has_chinese_font() -> bool:
    try:
        out = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, timeout=30).stdout
    except OSError:
        return False
    return bool(out.strip())


@pytest.fixture(scope="session")
def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None or not _has_chinese_font():
        if os.geteuid() != 0:
            pytest.fail(f"the browser test needs {' and '.join(PACKAGES)} (Debian packages); "
                        "install them or run the tests as root, which installs them")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        for cmd in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", *PACKAGES]):
            done = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=900)
            if done.returncode:
                pytest.fail(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
        found = shutil.which("chromium") or shutil.which("chromium-browser")
        if found is None or not _has_chinese_font():
            pytest.fail(f"apt-get installed {PACKAGES} but chromium or a Chinese font is still missing")
    return found


def run(chromium: str, tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp_path / f"profile-{len(list(tmp_path.iterdir()))}"  # a fresh profile each run
    done = subprocess.run([chromium, *FLAGS, f"--user-data-dir={profile}", *args],
                          capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-3000:]
    return done


def measure(chromium: str, tmp_path: Path, page: Path, width: int) -> dict:
    probe = tmp_path / f"probe-{width}.html"
    probe.write_text(page.read_text(encoding="utf-8").replace("</body>", MEASURE + "</body>"), encoding="utf-8")
    dom = run(chromium, tmp_path, f"--window-size={width},1200", "--dump-dom", probe.as_uri()).stdout.decode()
    found = re.search(r'data-measure="([^"]*)"', dom)
    assert found, dom[:2000]
    return json.loads(htmllib.unescape(found.group(1)))


def png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and rows of RGB(A) bytes of a non-interlaced 8-bit PNG (Chromium's)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        size, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + size]
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and colour in (2, 6) and interlace == 0
            bpp = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + size
    raw, rows, prev = zlib.decompress(idat), [], bytearray(width * bpp)
    stride = width * bpp
    for y in range(height):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, [bytes(r[i:i + 3]) for r in rows for i in range(0, stride, bpp)]


def test_the_page_in_chromium(kehu, tmp_path, chromium):
    build(kehu)
    kehu("add", "深圳市前海微众银行股份有限公司信息科技部数据中台项目组特别长的名字" * 2, "--date", "2026-11-26")
    data = kehu.json("report", "quarter")
    page = tmp_path / "季报.html"
    kehu("--lang", "zh", "report", "quarter", "--html", str(page))

    for width in (A4_PX, 400):
        m = measure(chromium, tmp_path, page, width)
        assert m["scroll"] <= m["width"] and m["wide"] == [], (width, m["wide"][:5])
        charts = m["charts"]
        assert set(charts) == {"activity", "funnel", "pipeline_month", "ageing"}
        # the funnel: a bar per stage, as wide as its count
        assert [b["value"] for b in charts["funnel"]] == list(data["funnel"].values())
        widest = max(b["width"] for b in charts["funnel"])
        top = max(data["funnel"].values())
        for b in charts["funnel"]:
            assert b["width"] == pytest.approx(widest * b["value"] / top, abs=0.6)
        # the activity: a bar per week, as high as its touchpoints
        assert [b["value"] for b in charts["activity"]] == [a["touches"] for a in data["activity"]]
        # the pipeline by month: the amount and the weighted amount of each month, in CNY
        months = [r for r in data["pipeline_by_month"] if r["currency"] == "CNY"]
        assert [(b["cls"], b["value"]) for b in charts["pipeline_month"]] == [
            pair for r in months for pair in (("bar amount", int(float(r["amount"]) * 100)),
                                              ("bar weighted", int(float(r["weighted"]) * 100)))]
        # the receivables: four buckets, oldest last
        cny = next(r for r in data["receivables"] if r["currency"] == "CNY")
        assert [(b["cls"], b["value"]) for b in charts["ageing"]] == [
            (f"bar {k}", int(float(cny[k]) * 100)) for k in ("not_due", "d0_30", "d31_90", "d90")]
        for name in ("activity", "pipeline_month", "ageing"):  # one scale per chart: height ∝ value
            bars = charts[name]
            tallest = max(b["height"] for b in bars)
            top = max(b["value"] for b in bars)
            assert tallest > 50
            for b in bars:
                assert b["height"] == pytest.approx(tallest * b["value"] / top, abs=0.6), name

    # the screenshot: the bars are drawn in their colour, and the page is mostly white paper
    shot = tmp_path / "shot.png"
    # (at half the pixels per CSS pixel: decoding a PNG in Python costs a second per million pixels)
    run(chromium, tmp_path, f"--window-size={A4_PX},1400", "--force-device-scale-factor=0.5", f"--screenshot={shot}",
        page.as_uri())
    width, height, pixels = png_pixels(shot.read_bytes())
    assert (width, height) == (A4_PX // 2, 700)
    blue = sum(1 for p in pixels if all(abs(x - y) <= 3 for x, y in zip(p, BAR_RGB, strict=True)))
    white = sum(1 for p in pixels if p == b"\xff\xff\xff")
    assert blue > 1000 and white > len(pixels) // 2, (blue, white, len(pixels))

    # printing: a PDF of A4 pages (595 x 842 points)
    pdf = tmp_path / "季报.pdf"
    run(chromium, tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri())
    body = pdf.read_bytes()
    assert body.startswith(b"%PDF-")
    pages = re.findall(rb"/Type\s*/Page\b", body)
    boxes = {tuple(round(float(x)) for x in m.split()) for m in re.findall(rb"/MediaBox\s*\[([^\]]*)\]", body)}
    assert len(pages) >= 2 and boxes == {(0, 0, 595, 842)}, (len(pages), boxes)
