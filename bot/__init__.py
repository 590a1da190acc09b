"""Channels and the tools around them: evaluation and the process runner."""
