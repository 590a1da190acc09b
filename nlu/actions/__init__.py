"""Custom actions for the Rasa server, served by rasa-sdk from the app environment.

Thin on purpose: they read the conversation, ask `referral_map`, and return
events and custom payloads (docs/DESIGN.md section 4). They never send user-facing text.
"""
