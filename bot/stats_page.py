"""The operators' page at /stats: the anonymous counts of bot/stats.py drawn as bar charts.

Plain HTML with inline SVG (no script, nothing loaded from elsewhere, within the page's content security
policy). Served only when `WEGWIJZER_STATS_TOKEN` is set, to a request that carries it.
"""

from __future__ import annotations

import html

from bot.i18n import N_, _, use_language
from bot.stats import SMALLEST_SHOWN, Report
from referral_map.taxonomy import Language

TITLE = N_("Wegwijzer in numbers")
EXPLANATION = N_(
    "Counts only: no messages, no names, nothing that points to one person. "
    "A count below {smallest} is shown as fewer than {smallest}."
)
FEWER = N_("fewer than {smallest}")
NOTHING_YET = N_("Nothing counted yet.")
HEADINGS = {
    "conversations_per_day": N_("Conversations per day"),
    "role": N_("Who wrote"),
    "concern": N_("What it was about"),
    "community": N_("Where"),
    "service": N_("Services referred to"),
    "feedback": N_("Did it help?"),
    "reduced_mode": N_("Answers in the reduced mode"),
    "emergency": N_("Emergency replies"),
}

BAR_WIDTH = 320
ROW_HEIGHT = 22
LABEL_WIDTH = 260


def _chart(rows: list[tuple[str, int | None]], fewer: str) -> str:
    if not rows:
        return f"<p>{html.escape(_(NOTHING_YET))}</p>"
    largest = max((count for _label, count in rows if count is not None), default=1)
    height = ROW_HEIGHT * len(rows)
    width = LABEL_WIDTH + BAR_WIDTH + 80
    bars = []
    for index, (label, count) in enumerate(rows):
        y = index * ROW_HEIGHT
        size = round(BAR_WIDTH * (count or 0) / largest) if count else 2
        shown = str(count) if count is not None else fewer
        bars.append(
            f'<text x="0" y="{y + 15}" font-size="13">{html.escape(label)}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y + 4}" width="{size}" height="14" fill="#2f6f73"></rect>'
            f'<text x="{LABEL_WIDTH + size + 6}" y="{y + 15}" font-size="13">{html.escape(shown)}</text>'
        )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img">{"".join(bars)}</svg>'
    )


def stats_page(report: Report, language: Language) -> str:
    with use_language(language):
        fewer = _(FEWER).format(smallest=SMALLEST_SHOWN)
        sections = [
            (HEADINGS["conversations_per_day"], list(report.conversations_per_day.items())),
            *((HEADINGS[kind], list(values.items())) for kind, values in report.totals.items()),
        ]
        body = "".join(
            f"<section><h2>{html.escape(_(heading))}</h2>{_chart(rows, fewer)}</section>\n"
            for heading, rows in sections
        )
        title = _(TITLE)
        explanation = _(EXPLANATION).format(smallest=SMALLEST_SHOWN)
    return (
        f'<!doctype html>\n<html lang="{language.value}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n<meta name="robots" content="noindex">\n'
        f'<title>{html.escape(title)}</title>\n<link rel="stylesheet" href="/static/chat.css">\n</head>\n'
        f'<body>\n<main class="chat page">\n<h1>{html.escape(title)}</h1>\n<p>{html.escape(explanation)}</p>\n'
        f"{body}</main>\n</body>\n</html>\n"
    )
