"""What the bot and the NLU tools share: the process runner, the model cache and the measurement helpers."""
