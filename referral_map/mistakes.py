"""Reports of a mistake in the map ("this information is wrong"), kept apart from every conversation.

A report names the service (and the office, if any) and may carry a short comment. It holds no session
id, no user id and no time of day: nothing that ties it to a conversation or a person. Editors list and
close reports with `wegwijzer map reports`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import Date, Engine, String, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from referral_map.directory import Directory

MAX_COMMENT = 500
MARKUP = re.compile(r"<[^>]*>|\[[^\]]*\]\([^)]*\)")  # HTML tags, Markdown links


class Base(DeclarativeBase):
    pass


class MistakeReport(Base):
    __tablename__ = "map_mistake_report"
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    service_id: Mapped[str] = mapped_column(String(64), index=True)
    location_id: Mapped[str | None] = mapped_column(String(64))
    comment: Mapped[str | None] = mapped_column(String(MAX_COMMENT))
    language: Mapped[str] = mapped_column(String(2))
    reported_on: Mapped[dt.date] = mapped_column(Date)  # the day only
    closed_on: Mapped[dt.date | None] = mapped_column(Date)


class ReportRefusedError(ValueError):
    """A report that cannot be kept; `code` names why, for the API's error format."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Report:
    id: int
    service_id: str
    location_id: str | None
    comment: str | None
    language: str
    reported_on: dt.date
    closed_on: dt.date | None

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "service": self.service_id,
            "location": self.location_id,
            "comment": self.comment,
            "language": self.language,
            "reported_on": self.reported_on.isoformat(),
            "closed_on": self.closed_on.isoformat() if self.closed_on else None,
        }


def _report(row: MistakeReport) -> Report:
    return Report(
        row.id, row.service_id, row.location_id, row.comment, row.language, row.reported_on, row.closed_on
    )


class MistakeReports:
    def __init__(self, engine: Engine, directory: Directory) -> None:
        self.engine = engine
        self.directory = directory
        Base.metadata.create_all(engine)

    def add(self, service_id: str, location_id: str | None, comment: str | None, language: str) -> Report:
        """Keep a report, or raise `ReportRefusedError`: an unknown service or office, a long comment, markup."""
        service = self.directory.services.get(service_id)
        if service is None:
            raise ReportRefusedError("unknown_service", f"there is no service {service_id!r}")
        if location_id is not None and location_id not in {location.id for location in service.locations}:
            raise ReportRefusedError("unknown_location", f"{service_id!r} has no office {location_id!r}")
        comment = (comment or "").strip() or None
        if comment is not None:
            if len(comment) > MAX_COMMENT:
                raise ReportRefusedError(
                    "comment_too_long", f"the comment must be at most {MAX_COMMENT} characters"
                )
            if MARKUP.search(comment):
                raise ReportRefusedError(
                    "markup_in_comment", "the comment must be plain text, without markup"
                )
        row = MistakeReport(
            service_id=service_id,
            location_id=location_id,
            comment=comment,
            language=language,
            reported_on=dt.date.today(),
        )
        with Session(self.engine) as session, session.begin():
            session.add(row)
            session.flush()
            return _report(row)

    def listed(self, include_closed: bool = False) -> list[Report]:
        with Session(self.engine) as session:
            query = select(MistakeReport).order_by(MistakeReport.id)
            if not include_closed:
                query = query.where(MistakeReport.closed_on.is_(None))
            return [_report(row) for row in session.scalars(query)]

    def close(self, report_id: int) -> bool:
        """Mark a report as dealt with; False when there is no such open report."""
        with Session(self.engine) as session, session.begin():
            row = session.get(MistakeReport, report_id)
            if row is None or row.closed_on is not None:
                return False
            row.closed_on = dt.date.today()
            return True
