"""``keras.utils``: seeding and session reset."""

from lstm_docs.keras._backend import clear_session, set_random_seed

__all__ = ["clear_session", "set_random_seed"]
