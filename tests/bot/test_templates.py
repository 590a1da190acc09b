"""Every template's sentence and every button title, in the four languages."""

from __future__ import annotations

import pytest

from bot.i18n import _, use_language
from bot.render import UNKNOWN_TEMPLATE
from bot.templates import SENTENCES
from protocol.messages import Template
from referral_map.taxonomy import Language
from tests.bot.rendering import SENTENCE_TEMPLATES, render


@pytest.mark.parametrize("template", SENTENCE_TEMPLATES)
def test_every_template_is_a_real_sentence_in_every_language(template: Template) -> None:
    assert template in SENTENCES, f"no sentence written for {template}"
    texts = {language: render({"template": template.value}, language).text for language in Language}
    for language, text in texts.items():
        with use_language(language):
            assert text != _(UNKNOWN_TEMPLATE), (template, language)
    assert all(len(text) > 5 for text in texts.values())
    assert len({texts[Language.NL], texts[Language.FR], texts[Language.DE]}) == 3, texts


def test_buttons_get_titles_in_the_language() -> None:
    payload = {
        "template": "ask_role",
        "asks": "role",
        "buttons": [{"template": "role_parent", "payload": "/x"}],
    }
    titles = {language: render(payload, language).buttons[0].title for language in Language}
    assert len(set(titles.values())) == 4
