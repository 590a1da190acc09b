"""Custom actions for the Rasa server, served by rasa-sdk from the app environment.

Thin on purpose: they read the conversation, ask `referral_map`, and return
events and custom payloads (docs/DESIGN.md section 4). They never send user-facing text.
"""


def warm_up() -> None:
    """What every call reads, loaded before the action server takes its first (stack/action_server.py)."""
    from referral_map.geography import gazetteer

    gazetteer()
