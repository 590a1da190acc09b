"""What travels between the bot, the Rasa server and the action server (docs/DESIGN.md section 4).

Rasa and its actions never send words: each bot turn is a custom payload naming a template
(`messages`), and each button carries a Rasa intent payload such as `/inform_role{"role":"teacher"}`
(`payloads`). The bot and the actions both import this package; nothing else spells a payload.
It imports only `referral_map`.
"""
