"""`kehu report --html`: one self-contained page. Inline CSS, charts drawn here as inline
SVG (the funnel, the pipeline by month, the receivables by age, the activity), no
script, nothing fetched: no network, no CDN, the system's fonts. Printable on A4.

Every user value goes through html.escape. Each chart is an ``<svg data-chart=NAME>``
whose bars are ``<rect class="bar ..." data-value=N>``, one per bucket, the empty ones
too (zero high), so a reader (or a test) can tell what each bar stands for.
"""

from __future__ import annotations

from html import escape

from kehu.i18n import label
from kehu.render.blocks import iso
from kehu.render.report import Amount, Pct, cell_text, sections, subtitle, summary, summary_text, t, title

FONTS = ('"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", '
         '"WenQuanYi Micro Hei", "WenQuanYi Zen Hei", sans-serif')

CSS = """
:root { font-family: FONTS; color: #1f2328; background: #fff; }
body { margin: 0; font-size: 14px; line-height: 1.5; }
main { max-width: 960px; margin: 0 auto; padding: 16px; box-sizing: border-box; }
h1 { font-size: 1.5em; margin: 0 0 .2em; }
h2 { font-size: 1.2em; margin: 1.4em 0 .4em; padding-bottom: .2em; border-bottom: 2px solid #2f6f9f; }
h3 { font-size: 1em; margin: 1em 0 .3em; }
p.sub { color: #57606a; margin: 0 0 1em; }
table { border-collapse: collapse; width: 100%; margin: 0 0 1em; }
th, td { border-bottom: 1px solid #d0d7de; padding: 3px 6px; text-align: left; vertical-align: top;
         overflow-wrap: anywhere; }
th { background: #f3f6f9; font-weight: 600; }
td.num, th.num { text-align: right; white-space: nowrap; }
table.summary { width: auto; min-width: 50%; }
p.none, p.note { color: #57606a; margin: 0 0 1em; }
figure { margin: 0 0 1em; }
figcaption { font-weight: 600; margin-bottom: .2em; }
svg { display: block; width: 100%; height: auto; max-width: 100%; }
svg text { font-family: FONTS; fill: #1f2328; }
.bar.amount, .bar.count { fill: #2f6f9f; }
.bar.weighted { fill: #e09f3e; }
.bar.not_due { fill: #7aa874; } .bar.d0_30 { fill: #e0c341; } .bar.d31_90 { fill: #e08a3e; } .bar.d90 { fill: #c0392b; }
.bar.stage { fill: #2f6f9f; }
.legend span { display: inline-block; width: .8em; height: .8em; margin: 0 .3em 0 1em; vertical-align: middle; }
@media print {
  @page { size: A4; margin: 14mm; }
  body { font-size: 10pt; }
  main { max-width: none; padding: 0; }
  figure, tr { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
}
""".replace("FONTS", FONTS)

LEGEND = {"amount": "#2f6f9f", "weighted": "#e09f3e"}  # as the bars' fill in CSS
W, H = 640, 240  # a chart's drawing units; it scales to the page's width
LEFT, RIGHT, TOP, BOTTOM = 8, 8, 22, 40


def _short(cents: int, lang: str) -> str:
    """A bar's label: 12.5万 / 125k, whole units below."""
    units = cents / 100
    if lang == "zh":
        return f"{units / 10000:,.1f}万" if abs(units) >= 10000 else f"{units:,.0f}"
    return f"{units / 1000:,.0f}k" if abs(units) >= 10000 else f"{units:,.0f}"


def columns(name: str, caption: str, labels: list[str], series: list[tuple[str, list[int]]],
            shown, legend: list[tuple[str, str]] | None = None) -> str:
    """Vertical bars: one group per label, one bar per series in each."""
    n = max(len(labels), 1)
    biggest = max([v for _, vals in series for v in vals] + [0])
    plot_w, plot_h = W - LEFT - RIGHT, H - TOP - BOTTOM
    group = plot_w / n
    bar_w = group * 0.7 / max(len(series), 1)
    parts = [f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{W - RIGHT}" y2="{TOP + plot_h}" stroke="#8c959f"/>']
    size = 11 if n <= 8 else 9
    for i, lab in enumerate(labels):
        x0 = LEFT + i * group + group * 0.15
        for j, (cls, vals) in enumerate(series):
            v = vals[i]
            h = plot_h * v / biggest if biggest else 0
            x, y = x0 + j * bar_w, TOP + plot_h - h
            parts.append(f'<rect class="bar {cls}" data-value="{v}" x="{x:.2f}" y="{y:.2f}" '
                         f'width="{bar_w:.2f}" height="{h:.2f}"/>')
            if v:
                parts.append(f'<text x="{x + bar_w / 2:.2f}" y="{y - 4:.2f}" font-size="{size}" '
                             f'text-anchor="middle">{escape(shown(v))}</text>')
        parts.append(f'<text x="{LEFT + (i + 0.5) * group:.2f}" y="{TOP + plot_h + 16}" font-size="{size}" '
                     f'text-anchor="middle">{escape(lab)}</text>')
    return _figure(name, caption, parts, legend)


def funnel(name: str, caption: str, labels: list[str], values: list[int]) -> str:
    """The funnel: one centred horizontal bar per stage, as wide as its count."""
    biggest = max(values + [0])
    row = (H - 8) / max(len(values), 1)
    label_w = 150
    plot_w = W - label_w - 60
    centre = label_w + plot_w / 2
    parts = []
    for i, (lab, v) in enumerate(zip(labels, values, strict=True)):
        w = plot_w * v / biggest if biggest else 0
        y = 4 + i * row
        parts.append(f'<text x="{label_w - 8}" y="{y + row * 0.62:.2f}" font-size="13" text-anchor="end">'
                     f'{escape(lab)}</text>')
        parts.append(f'<rect class="bar stage" data-value="{v}" x="{centre - w / 2:.2f}" y="{y + row * 0.12:.2f}" '
                     f'width="{w:.2f}" height="{row * 0.76:.2f}"/>')
        parts.append(f'<text x="{label_w + plot_w + 8}" y="{y + row * 0.62:.2f}" font-size="13">{v}</text>')
    return _figure(name, caption, parts)


def _figure(name: str, caption: str, parts: list[str], legend=None) -> str:
    keys = "".join(f'<span style="background: {LEGEND[cls]}"></span>{escape(text)}' for cls, text in legend or [])
    key_html = f'<div class="legend">{keys}</div>' if legend else ""
    return (f'<figure><figcaption>{escape(caption)}</figcaption>{key_html}'
            f'<svg data-chart="{name}" viewBox="0 0 {W} {H}" role="img" aria-label="{escape(caption)}" '
            f'xmlns="http://www.w3.org/2000/svg">{"".join(parts)}</svg></figure>')


def charts(rep, lang: str) -> dict[str, str]:
    """The four charts, by the section they belong to ('happened' or 'standing')."""
    cur = rep.currency
    shown = lambda v: _short(v, lang)  # noqa: E731
    daily = rep.period.days <= 14
    activity = columns(
        "activity", t("rp_activity_day" if daily else "rp_activity_week", lang),
        [d.strftime("%m-%d") for d, _ in rep.activity], [("count", [n for _, n in rep.activity])], str)
    months = [r for r in rep.pipeline_month if r.currency == cur]
    none_month = t("rp_none_month", lang)
    month = columns(
        "pipeline_month", t("rp_pipeline_month", lang) + " · " + t("rp_chart_amount_in", lang, currency=cur),
        [r.group or none_month for r in months],
        [("amount", [r.amount for r in months]), ("weighted", [r.weighted for r in months])], shown,
        legend=[("amount", t("rp_legend_amount", lang)), ("weighted", t("rp_legend_weighted", lang))])
    age = next((r for r in rep.receivables if r.currency == cur), None)
    buckets = ("not_due", "d0_30", "d31_90", "d90")
    ageing_parts = columns(
        "ageing", t("rp_ageing", lang) + " · " + t("rp_chart_amount_in", lang, currency=cur),
        [t(f"rp_h_{b}", lang) for b in buckets], [("age", [age.cents[b] if age else 0 for b in buckets])], shown)
    # each bucket its own colour: the class names the bucket
    for b in buckets:
        ageing_parts = ageing_parts.replace('class="bar age"', f'class="bar {b}"', 1)
    fun = funnel("funnel", t("rp_funnel", lang), [label("stage", s, lang) for s, _ in rep.funnel],
                 [n for _, n in rep.funnel])
    return {"happened": activity, "standing": fun + month + ageing_parts}


def _num(value: object) -> str:
    return ' class="num"' if isinstance(value, int | Amount | Pct) else ""


def _cell(value: object, lang: str) -> str:
    return f"<td{_num(value)}>{escape(cell_text(value, lang))}</td>"


def report_html(rep, lang: str) -> str:
    head = escape(title(rep, lang))
    out = [f'<!DOCTYPE html>\n<html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>{head}</title><style>{CSS}</style></head><body><main>",
           f"<h1>{head}</h1><p class=\"sub\">{escape(subtitle(rep, lang))}</p>",
           f"<h2>{escape(t('rp_summary', lang))}</h2><table class=\"summary\"><tbody>"]
    out += [f"<tr><th>{escape(k)}</th><td class=\"num\">{escape(summary_text(v, lang))}</td></tr>"
            for k, v in summary(rep, lang)]
    out.append("</tbody></table>")
    drawn = charts(rep, lang)
    for key, section in zip(("happened", "standing", "plan"), sections(rep, lang), strict=True):
        out.append(f'<section id="{key}"><h2>{escape(section.title)}</h2>')
        out.append(drawn.get(key, ""))
        for table in section.tables:
            out.append(f'<h3 id="{table.sheet}">{escape(table.title)}</h3>')
            if not table.rows:
                out.append(f'<p class="none">{escape(t("rp_nothing", lang))}</p>')
                continue
            first = table.rows[0]
            heads = "".join(f"<th{_num(c)}>{escape(h)}</th>" for h, c in zip(table.headers, first, strict=True))
            body = "".join("<tr>" + "".join(_cell(c, lang) for c in row) + "</tr>" for row in table.rows)
            out.append(f"<table><thead><tr>{heads}</tr></thead><tbody>{body}</tbody></table>")
            if table.note:
                out.append(f'<p class="note">{escape(table.note)}</p>')
        out.append("</section>")
    out.append(f'<p class="sub">{escape(iso(rep.today))}</p></main></body></html>\n')
    return "\n".join(out)
