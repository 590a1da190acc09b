"""'This information is wrong' under a Telegram card: one tap keeps a report apart from the chat."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.settings import Settings
from referral_map.mistakes import MistakeReport
from tests.bot.telegram.conftest import Harness, play, referral_parts

WRONG = "Deze informatie klopt niet"


def test_one_tap_under_a_card_reports_a_mistake_without_the_user(settings: Settings) -> None:
    async def scenario(harness: Harness) -> None:
        parent = harness.person("nl")
        answer = await parent.say("mijn dochter van 15 zegt al weken dat ze niet meer wil leven")
        _intro, cards, _summary = referral_parts(answer)
        with_button = [call for call in answer if any(b["text"] == WRONG for b in call.buttons)]
        assert len(with_button) == len(cards)  # one per card
        pressed = await parent.press(WRONG)
        [toast] = [call for call in pressed if call.method == "answerCallbackQuery"]
        assert str(toast.params["text"]).startswith("Dank je.")
        assert any(call.method == "editMessageReplyMarkup" for call in pressed)  # one report per card
        with Session(harness.service.store.engine) as session:
            [report] = session.scalars(select(MistakeReport)).all()
        data = with_button[-1].buttons[0]["callback_data"]
        assert data == f"wrong:{report.service_id}" and report.comment is None and report.language == "nl"
        kept = [report.service_id, report.location_id, report.comment, report.language, report.reported_on]
        assert parent.session not in map(str, kept) and str(parent.id) not in map(str, kept)

    play(settings, scenario)
