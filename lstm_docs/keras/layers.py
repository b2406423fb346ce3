"""``keras.layers``: the layers lstm_docs mirrors."""

from lstm_docs.keras._conv_lstm import ConvLSTM2D
from lstm_docs.keras._core import Bidirectional, Dense, Embedding
from lstm_docs.keras._layer import Input, InputLayer, Layer
from lstm_docs.keras._recurrent import GRU, LSTM, SimpleRNN

__all__ = ["Bidirectional", "ConvLSTM2D", "Dense", "Embedding", "GRU", "Input", "InputLayer", "LSTM", "Layer", "SimpleRNN"]
