"""The words of every message template (docs/DESIGN.md section 4), in the user's language.

Rasa and the actions only name a `protocol.messages.Template`; this module holds its sentence as a
gettext msgid with named placeholders, filled after translation, and the titles of the buttons.
Referral cards are built in `bot.cards`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.cards import ReferralView
from bot.i18n import N_, _, current_language, language_name
from bot.language import other_sentences
from protocol.messages import (
    CONCERN_BUTTON,
    INTENT_BUTTON,
    LANGUAGE_BUTTON,
    ROLE_BUTTON,
    ButtonTemplate,
    Template,
)
from protocol.payloads import DESCRIBE
from referral_map.taxonomy import Concern, Language, Role

DEFAULT_RETENTION_DAYS = 30


@dataclass
class Button:
    title: str
    payload: str


@dataclass
class Rendered:
    """One message as every channel shows it: plain text, buttons, and for a referral its cards."""

    template: str
    text: str
    asks: str | None = None
    buttons: list[Button] = field(default_factory=list)
    referral: ReferralView | None = None


ROLE_TITLES = {
    Role.PARENT: N_("I am a parent"),
    Role.FAMILY: N_("I am a relative or family friend"),
    Role.TEACHER: N_("I work at a school or pupil guidance centre"),
    Role.IMAM: N_("I am an imam or represent a mosque"),
    Role.YOUTH_WORKER: N_("I am a youth worker"),
    Role.PROFESSIONAL: N_("I work in social, health, police or local services"),
    Role.YOUNG_PERSON: N_("It is about me"),
    Role.UNKNOWN: N_("Other, or I prefer not to say"),
}
CONCERN_TITLES = {
    Concern.RADICALISATION: N_("Worrying extremist ideas or groups"),
    Concern.ONLINE_EXTREMISM: N_("Extremist content or contacts online"),
    Concern.TRAVEL_CONFLICT: N_("Plans to leave for a conflict zone"),
    Concern.POLARISATION: N_("Tension or hate between groups"),
    Concern.RELIGIOUS_QUESTION: N_("A question about religion"),
    Concern.VIOLENCE_THREAT: N_("Threats or talk of violence"),
    Concern.SELF_HARM: N_("Thoughts of suicide or self-harm"),
    Concern.VICTIM_SUPPORT: N_("Support after an attack or violence"),
    Concern.DETENTION: N_("A relative in prison or recently released"),
    Concern.PROFESSIONAL_SUPPORT: N_("Advice or training for professionals"),
    Concern.YOUTH_SUPPORT: N_("Help with school, work or a place to belong"),
    Concern.PARENTING: N_("A general parenting question"),
    Concern.OUT_OF_SCOPE: N_("Something else"),
}
BUTTON_TITLES: dict[str, str] = {
    ButtonTemplate.PLACE_UNKNOWN: N_("I prefer not to say"),
    ButtonTemplate.FEEDBACK_HELPFUL: N_("Yes, this helps"),
    ButtonTemplate.FEEDBACK_NOT_HELPFUL: N_("No, not really"),
    ButtonTemplate.START_OVER: N_("Start again"),
    ButtonTemplate.TALK_TO_PERSON: N_("Talk to a person"),
    ButtonTemplate.SUICIDAL_THOUGHTS: N_("Someone is thinking of ending their life"),
    INTENT_BUTTON + "emergency": N_("Someone is in danger right now"),
    INTENT_BUTTON + "ask_human": N_("Talk to a person"),
    INTENT_BUTTON + "ask_privacy": N_("What happens with my messages?"),
    INTENT_BUTTON + "ask_what_are_you": N_("What is this service?"),
    INTENT_BUTTON + "none_of_these": N_("None of these"),
}
SENTENCES: dict[Template, str] = {
    Template.ASK_ROLE: N_("Who are you in this situation? Then I can look for help that suits you."),
    Template.ASK_CONCERN: N_("What is going on? Tell me in your own words, or choose below."),
    Template.ASK_MUNICIPALITY: N_(
        "In which municipality do you live? A postcode or a name is enough. You may also skip this."
    ),
    # Asked a second time, never a third: the form then goes on with what it knows (nlu/actions/form.py).
    Template.ASK_ROLE_AGAIN: N_(
        "Thank you. One more thing, then I will go on: are you a parent, a relative, school staff ...? "
        "You may also choose \u201cOther, or I prefer not to say\u201d."
    ),
    Template.ASK_CONCERN_AGAIN: N_(
        "Thank you. Which of these comes closest? If none does, I will suggest general help."
    ),
    Template.ASK_MUNICIPALITY_AGAIN: N_(
        "Thank you. Where do you live, roughly? A postcode is enough, or skip this and I will suggest "
        "services for all of Belgium."
    ),
    Template.RESUME_ROLE: N_("To go on: who are you in this situation?"),
    Template.RESUME_CONCERN: N_("To go on: what is going on?"),
    Template.RESUME_MUNICIPALITY: N_("To go on: in which municipality do you live? You may skip this."),
    Template.GREET: N_(
        "Hello. I help you find who to turn to when you are worried about a young person. "
        "This is not a reporting line: I pass nothing on. What is going on? You do not need to give any names."
    ),
    Template.GOODBYE: N_("Take care. You can come back whenever you want."),
    Template.YOU_ARE_WELCOME: N_("You are welcome. Take care of yourself too."),
    Template.WHAT_ARE_YOU: N_(
        "I am Wegwijzer, a chat assistant, not a person. I help people who are worried about a young "
        "person find the right service in Belgium. I do not report anything to anyone."
    ),
    Template.PRIVACY: N_(
        "This is not a reporting line: I never ask for names and I pass nothing on to anyone, not to the "
        "police or the school either. Your conversation is kept for at most {days} days so the chat can go "
        "on; /forget deletes it at once. To remove it from your own phone too, delete this chat in the app "
        "(on the web: close the page)."
    ),
    Template.OUT_OF_SCOPE: N_(
        "I can only help you find support when you are worried about a young person, radicalisation, "
        "extremism or tensions between groups. Is there something like that I can help with?"
    ),
    Template.ASK_FEEDBACK: N_("Did this help you?"),
    Template.SAME_REFERRAL: N_(
        "The services I suggested above still fit what you told me. If something changes, tell me and "
        "I will look again."
    ),
    Template.FEEDBACK_THANKS: N_("Thank you for letting me know. I hope the conversation goes well."),
    Template.FEEDBACK_SORRY: N_("I am sorry. You can talk to a person, or start again and tell me more."),
    Template.FALLBACK_MENU: N_("I did not understand that well. What is closest to your situation?"),
    Template.CLARIFY: N_("I am not sure I understood. Do you mean one of these?"),
    Template.CLARIFY_DANGER: N_(
        "I am not sure I understood. If someone is in danger right now, call 112. "
        "Otherwise, which of these is closest?"
    ),
    Template.PLACE_NOT_FOUND: N_(
        "I could not find the municipality \u201c{query}\u201d. Did you mean one of these?"
    ),
    Template.PLACE_AMBIGUOUS: N_("\u201c{query}\u201d can mean more than one municipality. Which one?"),
    Template.ASK_LANGUAGE: N_("Which language do you prefer?"),
    Template.START_OVER: N_("Let us start again. What is going on?"),
    Template.DANGER_CHECK: N_(
        "Before I go on: is someone in danger right now? Then call 112 at once, or tap the button below for "
        "the numbers."
    ),
    Template.DANGER_CHECK_SELF_HARM: N_(
        "Before I go on: is someone thinking of ending their life? A suicide prevention line listens day "
        "and night: {number}. If a life is in danger right now, call 112."
    ),
    Template.DEGRADED: N_(
        "I am working in a reduced mode right now and cannot read free text well. Choose what is "
        "closest to your situation, or call one of these lines."
    ),
    Template.LANGUAGE_CHANGED: N_("From now on I will write in {language}."),
    Template.LANGUAGE_DETECTED: N_("From now on I will write in {language}."),
    Template.OTHER_LANGUAGE: N_(
        "I can only write in Dutch, French, German and English. Which do you prefer? "
        "If someone's life is in danger, call 112 now."
    ),
    Template.WELCOME: N_(
        "Welcome to Wegwijzer. I help you find who to turn to when you are worried about a young person: "
        "radicalisation, extremism, tension between groups. This is not a reporting line: I pass nothing on. "
        "Tell me what is going on. You do not need to give any names."
    ),
    Template.HELP: N_(
        "Tell me in your own words what is going on, and I will suggest two or three services that fit. "
        "Commands: /language to change the language, /privacy, /forget to delete everything, "
        "/restart to start again, /emergency for emergency numbers."
    ),
    Template.FORGOTTEN: N_("Everything I kept about this conversation has been deleted."),
    Template.PRIVATE_ONLY: N_("I only work in a private chat. Please write to me directly."),
    Template.UNSUPPORTED_MEDIA: N_(
        "I can only read text messages. Please write in a few words what is going on, or choose below."
    ),
    Template.TOO_LONG: N_("That message is very long. I read the first {count} characters."),
    Template.EMPTY: N_("I did not receive any text. What is going on?"),
}


def sentence(template: Template, args: Mapping[str, Any]) -> str:
    """The template's sentence in the current language, its placeholders filled from `args`."""
    language = str(args.get("language"))
    values = {
        "days": args.get("days", DEFAULT_RETENTION_DAYS),
        "query": args.get("query", ""),
        "count": args.get("count", 0),
        "number": args.get("number", ""),
        "language": language_name(
            Language(language) if language in Language.__members__.values() else current_language.get()
        ),
    }
    text = _(SENTENCES[template]).format(**values)
    if template is Template.OTHER_LANGUAGE:  # first the same sentence in the language the user wrote in
        own = other_sentences().get(str(args.get("other")))
        return f"{own}\n\n{text}" if own else text
    return text


def button_title(template: str, args: Mapping[str, Any] | None = None) -> str:
    """The title of a button in the current language."""
    value = template.partition("_")[2]
    if template.startswith(ROLE_BUTTON) and value in Role.__members__.values():
        return _(ROLE_TITLES[Role(value)])
    if template.startswith(CONCERN_BUTTON) and value in Concern.__members__.values():
        return _(CONCERN_TITLES[Concern(value)])
    if template.startswith(INTENT_BUTTON + DESCRIBE):
        return button_title(CONCERN_BUTTON + template.removeprefix(INTENT_BUTTON + DESCRIBE))
    if template.startswith(LANGUAGE_BUTTON) and value in Language.__members__.values():
        return language_name(Language(value))
    if template == ButtonTemplate.PLACE_OPTION:
        return str((args or {}).get("name", ""))
    return _(BUTTON_TITLES.get(template, N_("Choose")))


def titled(buttons: Iterable[Any]) -> list[Button]:
    """Buttons as Rasa and `protocol.messages` send them (template, payload, args), titled in the
    current language; anything that is not a button mapping is left out."""
    return [
        Button(button_title(str(b.get("template", "")), b.get("args")), str(b.get("payload", "")))
        for b in buttons
        if isinstance(b, Mapping)
    ]
