"""``keras.backend``: ``clear_session`` (resets auto-name counters)."""

from lstm_docs.keras._backend import clear_session

__all__ = ["clear_session"]
