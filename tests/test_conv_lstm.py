"""ConvLSTM2D without the real frameworks: the registry's count and shapes, the mirror's
allocation, the CLI and convert (the real-Keras checks are tests/test_crosscheck_conv_lstm.py)."""

from __future__ import annotations

import numpy as np
import pytest

from lstm_docs import convert, formulas, keras
from lstm_docs.cli import main
from lstm_docs.keras._conv_lstm import conv2d


@pytest.mark.parametrize("d,u,kernel", [(1, 64, (3, 3)), (3, 2, (5, 2)), (2, 1, (1, 1))])
@pytest.mark.parametrize("use_bias", [True, False])
def test_allocated_weights_equal_formula(d, u, kernel, use_bias):
    layer = keras.layers.ConvLSTM2D(u, kernel, use_bias=use_bias)
    layer.build((None, 4, 9, 9, d))
    kh, kw = kernel
    want = 4 * u * (kh * kw * (d + u) + (1 if use_bias else 0))
    assert layer.count_params() == want
    assert formulas.count("keras", "conv_lstm2d", input_dim=d, units=u, kernel_size=kernel, use_bias=use_bias) == want
    env = {"d": d, "u": u, "kh": kh, "kw": kw}
    assert [w.shape for w in layer.weights] == [s.evaluate_shape(env) for s in
                                                formulas.weights("keras", "conv_lstm2d", use_bias=use_bias)]


def test_a_1x1_kernel_counts_like_an_lstm():
    assert formulas.count("keras", "conv_lstm2d", input_dim=5, units=7, kernel_size=1) == \
        formulas.count("keras", "lstm", input_dim=5, units=7)


def test_formula_latex():
    assert formulas.formula("keras", "conv_lstm2d").latex() == "4u(k(d + u) + 1)"


def test_kernel_size_is_required_and_only_for_conv_lstm2d():
    with pytest.raises(ValueError, match="pass kernel_size"):
        formulas.count("keras", "conv_lstm2d", input_dim=1, units=2)
    with pytest.raises(ValueError, match="kernel_size is a ConvLSTM2D argument"):
        formulas.count("keras", "lstm", input_dim=1, units=2, kernel_size=3)


def test_conv2d_same_padding_puts_the_extra_row_after():
    x = np.arange(4.0).reshape(1, 4, 1, 1)  # rows 0, 1, 2, 3
    w = np.ones((2, 1, 1, 1))  # sums two rows
    assert conv2d(x, w, (1, 1), "same")[0, :, 0, 0].tolist() == [1.0, 3.0, 5.0, 3.0]
    assert conv2d(x, w, (2, 1), "valid")[0, :, 0, 0].tolist() == [1.0, 5.0]


def test_cli_params(capsys):
    assert main(["params", "conv_lstm2d", "--input-dim", "1", "--units", "64", "--kernel-size", "3x3"]) == 0
    out = capsys.readouterr().out
    assert "formula: 4u(k(d + u) + 1)" in out and "total: 150,016" in out
    assert "recurrent_kernel  (3, 3, 64, 256)" in out


@pytest.mark.parametrize("args,message", [
    (["conv_lstm2d", "--input-dim", "1", "--units", "4"], "needs --kernel-size"),
    (["lstm", "--input-dim", "1", "--units", "4", "--kernel-size", "3"], "applies to ConvLSTM2D only"),
    (["conv_lstm2d", "--input-dim", "1", "--units", "4", "--kernel-size", "3", "--framework", "pytorch"],
     "pytorch has no equivalent of keras ConvLSTM2D"),
])
def test_cli_refusals(capsys, args, message):
    assert main(["params", *args]) != 0
    assert message in capsys.readouterr().err


def test_convert_refuses_conv_lstm2d():
    with pytest.raises(ValueError, match="convert: pytorch has no equivalent of keras ConvLSTM2D"):
        convert.keras_to_torch("conv_lstm2d", [])


@pytest.mark.parametrize("kwargs,message", [
    ({"dilation_rate": 2}, "does not mirror dilation_rate"),
    ({"data_format": "channels_first"}, "channels_last"),
    ({"stateful": True}, "stateful=True is not supported"),
])
def test_not_mirrored_is_one_clear_line(kwargs, message):
    with pytest.raises(ValueError, match=message):
        keras.layers.ConvLSTM2D(2, 3, **kwargs)
