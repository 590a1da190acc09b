"""Belgian phone numbers: check, normalise and format with the `phonenumbers` library."""

from __future__ import annotations

from dataclasses import dataclass

import phonenumbers


@dataclass(frozen=True)
class PhoneNumber:
    written: str
    dial: str  # what a phone dials: E.164 ("+3278150010") or the short number ("112")
    national: str  # "078 15 00 10" / "112"
    short: bool

    @property
    def tel_uri(self) -> str:
        return f"tel:{self.dial}"


class InvalidPhoneError(ValueError):
    pass


def parse_phone(written: str) -> PhoneNumber:
    """A number as written in Belgium; short numbers (112, 1712, 116 000) are valid too."""
    try:
        number = phonenumbers.parse(written, "BE")
    except phonenumbers.NumberParseException as error:
        raise InvalidPhoneError(f"{written!r} is not a phone number: {error}") from None
    if phonenumbers.is_valid_short_number_for_region(number, "BE") or _plain_short(written, number):
        digits = str(number.national_number)
        return PhoneNumber(written, digits, _group_short(digits), short=True)
    if not phonenumbers.is_valid_number_for_region(number, "BE"):
        raise InvalidPhoneError(f"{written!r} is not a valid Belgian phone number")
    national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return PhoneNumber(written, e164, national, short=False)


def _plain_short(written: str, number: phonenumbers.PhoneNumber) -> bool:
    """Helplines of 3-6 digits that the library's short-number table does not list (e.g. 1813)."""
    digits = "".join(ch for ch in written if ch.isdigit())
    return 3 <= len(digits) <= 6 and not digits.startswith("0") and str(number.national_number) == digits


def _group_short(digits: str) -> str:
    return f"{digits[:3]} {digits[3:]}" if len(digits) == 6 else digits
