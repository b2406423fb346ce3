"""A numpy mirror of Keras 3's recurrent layers, importable as ``keras`` in doc snippets.

``import keras`` / ``from keras import Input, Sequential, Model`` / ``from keras.layers import
LSTM`` work unchanged once ``lstm_docs.aliases.install_aliases()`` has run.  Weights are
stored as float32 (4 bytes per parameter, as Keras reports); forward passes compute in
float64 and return float32 numpy arrays (Keras/PyTorch agreement about 1e-7).
"""

from lstm_docs.keras import backend, initializers, layers, models, utils
from lstm_docs.keras._backend import KerasTensor, Variable
from lstm_docs.keras._layer import Input, Layer
from lstm_docs.keras.models import Model, Sequential

__version__ = "3.15.1"  # the Keras release this mirror is checked against

__all__ = ["Input", "KerasTensor", "Layer", "Model", "Sequential", "Variable", "backend", "initializers", "layers",
           "models", "utils"]
