"""``keras.layers``: the layers lstm_docs mirrors."""

from lstm_docs.keras._cells import RNN, GRUCell, LSTMCell, SimpleRNNCell
from lstm_docs.keras._conv_lstm import ConvLSTM2D
from lstm_docs.keras._core import Bidirectional, Dense, Embedding, Masking
from lstm_docs.keras._layer import Input, InputLayer, Layer
from lstm_docs.keras._recurrent import GRU, LSTM, SimpleRNN
from lstm_docs.keras._wrappers import TimeDistributed

__all__ = ["Bidirectional", "ConvLSTM2D", "Dense", "Embedding", "GRU", "GRUCell", "Input", "InputLayer", "LSTM",
           "LSTMCell", "Layer", "Masking", "RNN", "SimpleRNN", "SimpleRNNCell", "TimeDistributed"]
