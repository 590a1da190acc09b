"""Anonymous counts for operators: conversations a day, who wrote, about what, where, which services.

Only counts are kept, one per day and value ("role: parent, 1 December: 12"): no text, no session id,
nothing that belongs to one person, so there is nothing to forget or to expire. A report hides every count
below five, which could point at one family (docs/DESIGN.md section 6). The bot counts as it answers
(`ChatService`); `wegwijzer stats` prints the counts and `/stats` draws them (bot/stats_page.py).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Date, Engine, Integer, String, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from bot.templates import Rendered
from protocol.messages import Asks, Template
from referral_map.geography import gazetteer

log = logging.getLogger(__name__)

SMALLEST_SHOWN = 5  # a count below this is reported as "fewer than 5"

# What is counted, in the order reports show it.
CONVERSATIONS = "conversations"
KINDS = (CONVERSATIONS, "role", "concern", "community", "service", "feedback", "reduced_mode", "emergency")


class Base(DeclarativeBase):
    pass


class DailyCount(Base):
    __tablename__ = "stat_daily_count"
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[str] = mapped_column(String(64), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


def observed(messages: Iterable[Rendered], degraded: bool) -> list[tuple[str, str]]:
    """The (kind, value) pairs one reply adds to the counts. The reduced mode's menu comes with the main
    lines of the user's community, chosen for nobody's situation: those are not counted as referrals."""
    messages = list(messages)
    menu_with_main_lines = degraded and any(rendered.asks == Asks.CONCERN for rendered in messages)
    found: list[tuple[str, str]] = []
    for rendered in messages:
        view = rendered.referral
        if view is None or menu_with_main_lines:
            continue
        situation = view.situation
        place = gazetteer().get(situation.municipality) if situation.municipality else None
        found += [
            ("role", situation.role.value),
            ("concern", situation.concern.value),
            ("community", place.community.value if place else "unknown"),
        ]
        found += [("service", card.id) for card in view.cards]
        if view.template is Template.EMERGENCY_REFERRAL:
            found.append(("emergency", situation.concern.value))
    if degraded:
        found.append(("reduced_mode", "answers"))
    return found


class Stats:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        Base.metadata.create_all(engine)

    def add(self, pairs: Iterable[tuple[str, str]], day: dt.date | None = None) -> None:
        """Count each (kind, value) once more today, in one transaction; a store that cannot be written
        loses the counts, never the user's turn."""
        counts = Counter((kind, value[:64]) for kind, value in pairs)
        if not counts:
            return
        day = day or dt.datetime.now(dt.UTC).date()
        for _attempt in range(3):  # another process may insert the same new row at the same moment
            try:
                self._add_counts(day, counts)
                return
            except IntegrityError:
                continue
            except SQLAlchemyError as error:
                log.warning("statistics not written (%s)", type(error).__name__)
                return

    def _add_counts(self, day: dt.date, counts: Counter[tuple[str, str]]) -> None:
        with Session(self.engine) as session, session.begin():
            for (kind, value), n in counts.items():
                row = (DailyCount.day == day) & (DailyCount.kind == kind) & (DailyCount.value == value)
                counted = update(DailyCount).where(row).values(count=DailyCount.count + n)
                # No loaded rows to bring up to date: without this SQLAlchemy would look for them each time.
                found = session.execute(counted.execution_options(synchronize_session=False))
                if not found.rowcount:  # type: ignore[attr-defined]
                    session.add(DailyCount(day=day, kind=kind, value=value, count=n))

    def report(self, since: dt.date | None = None) -> Report:
        with Session(self.engine) as session:
            query = select(DailyCount.day, DailyCount.kind, DailyCount.value, DailyCount.count)
            if since is not None:
                query = query.where(DailyCount.day >= since)
            rows = list(session.execute(query))
        per_day: dict[dt.date, int] = defaultdict(int)
        totals: dict[str, dict[str, int]] = {kind: defaultdict(int) for kind in KINDS}
        for day, kind, value, count in rows:
            if kind == CONVERSATIONS:
                per_day[day] += count
            totals.setdefault(kind, defaultdict(int))[value] += count
        return Report(
            since=since,
            conversations_per_day={day.isoformat(): shown(n) for day, n in sorted(per_day.items())},
            totals={
                kind: {value: shown(n) for value, n in sorted(values.items(), key=lambda item: -item[1])}
                for kind, values in totals.items()
                if kind != CONVERSATIONS
            },
            conversations=shown(sum(per_day.values())),
        )


def shown(count: int) -> int | None:
    """The count, or None where it is below five (none at all says nothing about anyone)."""
    return count if count >= SMALLEST_SHOWN or count == 0 else None


@dataclass(frozen=True)
class Report:
    """Counts as reported: None stands for "fewer than 5"."""

    since: dt.date | None
    conversations: int | None
    conversations_per_day: dict[str, int | None]
    totals: dict[str, dict[str, int | None]]

    def as_json(self) -> dict[str, object]:
        return {
            "since": self.since.isoformat() if self.since else None,
            "smallest_shown": SMALLEST_SHOWN,
            "conversations": self.conversations,
            "conversations_per_day": self.conversations_per_day,
            **self.totals,
        }

    def text(self) -> str:
        def number(count: int | None) -> str:
            return str(count) if count is not None else f"<{SMALLEST_SHOWN}"

        lines = [f"conversations: {number(self.conversations)}"]
        lines += [f"  {day}  {number(count)}" for day, count in self.conversations_per_day.items()]
        for kind, values in self.totals.items():
            lines.append(f"{kind}:")
            lines += [f"  {value:40} {number(count)}" for value, count in values.items()] or ["  (none)"]
        return "\n".join(lines)
