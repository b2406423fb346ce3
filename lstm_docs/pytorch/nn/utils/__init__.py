"""``torch.nn.utils``: only ``rnn`` (packed sequences) is mirrored."""

from lstm_docs.pytorch.nn.utils import rnn

__all__ = ["rnn"]
