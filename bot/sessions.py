"""What the bot keeps per conversation: language, feedback and the danger checks it was shown, under a
pseudonymous id, for a limited time; and, while Rasa cannot be reached, the turns it has not had yet."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from typing import Any

from sqlalchemy import DateTime, Engine, ForeignKey, String, Text, delete, func, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column


class Base(DeclarativeBase):
    pass


class ChatSession(Base):
    __tablename__ = "chat_session"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # keyed hash, never the raw id
    locale: Mapped[str] = mapped_column(String(2))
    locale_chosen: Mapped[bool] = mapped_column(default=False)
    last_seen: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class Feedback(Base):
    __tablename__ = "chat_feedback"
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("chat_session.id", ondelete="CASCADE"), index=True)
    helpful: Mapped[bool]
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class ShownCheck(Base):
    """A danger check the conversation was shown: the same question is not asked twice, across restarts and
    bot workers. Its template only, no text."""

    __tablename__ = "chat_shown_check"
    session_id: Mapped[str] = mapped_column(
        ForeignKey("chat_session.id", ondelete="CASCADE"), primary_key=True
    )
    template: Mapped[str] = mapped_column(String(64), primary_key=True)


class PendingTurn(Base):
    """A turn Rasa could not be reached for: part of the conversation, deleted once Rasa has it."""

    __tablename__ = "chat_pending_turn"
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("chat_session.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    context: Mapped[str] = mapped_column(Text)  # the turn's metadata for Rasa, as JSON
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


def pseudonym(secret: bytes, channel: str, raw_id: str) -> str:
    """A keyed hash of a channel's user id: stable for one deployment, meaningless outside it."""
    return hmac.new(secret, f"{channel}:{raw_id}".encode(), hashlib.sha256).hexdigest()[:32]


# When a session was last seen matters only to retention, counted in days: a turn writes it again only when
# the stored time is older than this (or the language changed), which spares most turns a write.
SEEN_PRECISION = dt.timedelta(minutes=10)


class SessionStore:
    def __init__(self, engine: Engine, retention: dt.timedelta) -> None:
        self.engine = engine
        self.retention = retention
        Base.metadata.create_all(engine)

    def _now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)

    def get_locale(self, session_id: str) -> tuple[str, bool] | None:
        with Session(self.engine) as session:
            row = session.get(ChatSession, session_id)
            return (row.locale, row.locale_chosen) if row else None

    def touch(self, session_id: str, locale: str, chosen: bool = False) -> bool:
        """Keep the session's language and when it was last seen; True when the session is new."""
        with Session(self.engine) as session, session.begin():
            row = session.get(ChatSession, session_id)
            if row is None:
                session.add(
                    ChatSession(id=session_id, locale=locale, locale_chosen=chosen, last_seen=self._now())
                )
                return True
            now = self._now()
            seen = row.last_seen if row.last_seen.tzinfo else row.last_seen.replace(tzinfo=dt.UTC)
            if row.locale == locale and (row.locale_chosen or not chosen) and now - seen < SEEN_PRECISION:
                return False  # nothing to write: most turns of a conversation
            row.locale = locale
            row.locale_chosen = row.locale_chosen or chosen
            row.last_seen = now
            return False

    def record_feedback(self, session_id: str, helpful: bool) -> None:
        with Session(self.engine) as session, session.begin():
            if session.get(ChatSession, session_id) is not None:
                session.add(Feedback(session_id=session_id, helpful=helpful, at=self._now()))

    def shown_checks(self, session_id: str) -> set[str]:
        """The templates of the danger checks the session was shown."""
        with Session(self.engine) as session:
            return set(
                session.scalars(select(ShownCheck.template).where(ShownCheck.session_id == session_id))
            )

    def record_check(self, session_id: str, template: str) -> bool:
        """Keep that the session was shown this danger check; False when the session is not stored."""
        with Session(self.engine) as session, session.begin():
            if session.get(ChatSession, session_id) is None:
                return False
            if session.get(ShownCheck, (session_id, template)) is None:
                session.add(ShownCheck(session_id=session_id, template=template))
            return True

    def keep_turn(self, session_id: str, text: str, context: dict[str, Any], most: int) -> bool:
        """Keep a turn for Rasa, at most `most` per session; False when the session has that many."""
        with Session(self.engine) as session, session.begin():
            kept = session.scalar(select(func.count()).where(PendingTurn.session_id == session_id)) or 0
            if kept >= most:
                return False
            session.add(
                PendingTurn(session_id=session_id, text=text, context=json.dumps(context), at=self._now())
            )
            return True

    def kept_turns(self, session_id: str) -> list[tuple[int, str, dict[str, Any]]]:
        """The session's kept turns, oldest first: (id, text, metadata)."""
        with Session(self.engine) as session:
            rows = session.scalars(
                select(PendingTurn).where(PendingTurn.session_id == session_id).order_by(PendingTurn.id)
            )
            return [(row.id, row.text, json.loads(row.context)) for row in rows]

    def sessions_with_kept_turns(self) -> set[str]:
        with Session(self.engine) as session:
            return set(session.scalars(select(PendingTurn.session_id).distinct()))

    def drop_turn(self, turn_id: int) -> None:
        with Session(self.engine) as session, session.begin():
            session.execute(delete(PendingTurn).where(PendingTurn.id == turn_id))

    def forget(self, session_id: str) -> None:
        with Session(self.engine) as session, session.begin():
            session.execute(delete(PendingTurn).where(PendingTurn.session_id == session_id))
            session.execute(delete(Feedback).where(Feedback.session_id == session_id))
            session.execute(delete(ShownCheck).where(ShownCheck.session_id == session_id))
            session.execute(delete(ChatSession).where(ChatSession.id == session_id))

    def expired(self) -> list[str]:
        """Sessions older than the retention limit."""
        with Session(self.engine) as session:
            cutoff = self._now() - self.retention
            return list(session.scalars(select(ChatSession.id).where(ChatSession.last_seen < cutoff)))
