"""lstm_docs: reference recurrent layers that mirror Keras and PyTorch, and the live-examples
engine that regenerates and checks every number printed on the lstm-docs site."""

__version__ = "0.1.0"
