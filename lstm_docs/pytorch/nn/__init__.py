"""``torch.nn``: ``Module``, ``LSTM``, ``GRU``, ``RNN``, their cells, ``Linear``, ``Parameter``."""

from lstm_docs.pytorch._tensor import Parameter
from lstm_docs.pytorch.nn._cell import GRUCell, LSTMCell, RNNCell
from lstm_docs.pytorch.nn._linear import Linear
from lstm_docs.pytorch.nn._module import Module
from lstm_docs.pytorch.nn._rnn import GRU, LSTM, RNN
from lstm_docs.pytorch.nn import utils  # torch.nn.utils.rnn: packed sequences

__all__ = ["GRU", "GRUCell", "LSTM", "LSTMCell", "Linear", "Module", "Parameter", "RNN", "RNNCell", "utils"]
