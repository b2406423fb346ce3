"""The cells as registry kinds: formulas, the CLI and the calculator's data offer them with
no edit of their own; a cell counts as its layer with one layer and one direction, and takes
no bidirectional / num_layers (the real-framework checks: tests/test_crosscheck_cells.py)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from lstm_docs import calculator, formulas, kinds, strings

CELLS = [k for k in kinds.KINDS if k.cell_of]
SIZES = [(1, 1), (3, 4), (4096, 256)]


def test_the_registry_has_the_cells():
    assert [(k.key, k.names, k.classes) for k in CELLS] == [
        ("lstm_cell", {"keras": "lstm_cell", "pytorch": "lstm_cell"}, {"keras": "LSTMCell", "pytorch": "LSTMCell"}),
        ("gru_cell", {"keras": "gru_cell", "pytorch": "gru_cell"}, {"keras": "GRUCell", "pytorch": "GRUCell"}),
        ("simple_rnn_cell", {"keras": "simple_rnn_cell", "pytorch": "rnn_cell"},
         {"keras": "SimpleRNNCell", "pytorch": "RNNCell"}),
    ]
    assert [o.name for o in kinds.options("keras", "gru_cell")] == ["use_bias", "reset_after"]
    assert [o.name for o in kinds.options("pytorch", "lstm_cell")] == ["bias"]


@pytest.mark.parametrize("cell", CELLS, ids=[k.key for k in CELLS])
@pytest.mark.parametrize("d, u", SIZES)
def test_a_cell_counts_as_its_layer(cell, d, u):
    layer = kinds.get(cell.cell_of)
    for fw, bias in (("keras", "use_bias"), ("pytorch", "bias")):
        for on in (True, False):
            extra = {"reset_after": False} if fw == "keras" and "reset_after" in cell.options.get(fw, ()) and not on else {}
            assert formulas.count(fw, cell.names[fw], input_dim=d, units=u, **{bias: on}, **extra) == formulas.count(
                fw, layer.names[fw], input_dim=d, units=u, **{bias: on}, **extra)
    names = [w.name for w in formulas.weights("pytorch", cell.names["pytorch"])]
    assert names == ["weight_ih", "weight_hh", "bias_ih", "bias_hh"]
    assert [w.name for w in formulas.weights("keras", cell.names["keras"])] == ["kernel", "recurrent_kernel", "bias"]
    assert formulas.formula("pytorch", cell.names["pytorch"]).latex() == formulas.formula(
        "pytorch", layer.names["pytorch"]).latex()


@pytest.mark.parametrize("framework, kind, options, match", [
    ("keras", "lstm_cell", {"bidirectional": True}, "keras lstm_cell: bidirectional is a LSTM or GRU or SimpleRNN or ConvLSTM2D option"),
    ("pytorch", "lstm_cell", {"num_layers": 2}, "pytorch lstm_cell: num_layers is a LSTM or GRU or RNN option"),
    ("pytorch", "rnn_cell", {"bidirectional": True}, "pytorch rnn_cell: bidirectional is a LSTM or GRU or RNN option"),
    ("pytorch", "lstm_cell", {"proj_size": 2}, "proj_size is only supported by LSTM"),
])
def test_a_cell_refuses_the_layer_options(framework, kind, options, match):
    with pytest.raises(ValueError, match=match):
        formulas.count(framework, kind, input_dim=3, units=4, **options)
    assert formulas.count(framework, kind, input_dim=3, units=4, **{k: type(v)() for k, v in options.items()
                                                                     if k != "num_layers"})


def test_catalog_entries_of_the_cells_carry_no_layer_options():
    entries = [e for e in formulas.catalog()["layers"] if e["kind"].endswith("_cell")]
    assert len(entries) == 2 + 4 + 2 + 2 + 2 + 2
    for e in entries:
        assert "layer" not in e and "bidirectional" not in e["options"] and "proj" not in e["options"]
        total = formulas.evaluate_json(e["total"], {"d": 7, "u": 5, "p": 0})
        sizes = 0
        for w in e["weights"]:
            size = 1
            for axis in w["shape"]:
                size *= formulas.evaluate_json(axis, {"d": 7, "u": 5, "p": 0})
            sizes += size
        assert total == sizes


@pytest.mark.parametrize("lang", ["en", "fr", "es", "zh"])
def test_calculator_data_has_the_cells_and_their_gate_labels(lang):
    data = calculator.calculator_data(lang)
    keys = [k["key"] for k in data["kinds"]]
    assert keys[3:6] == ["lstm_cell", "gru_cell", "simple_rnn_cell"]  # registry order, after the layers
    table = strings.table("calculator")
    for item in data["kinds"][3:6]:
        for fw, labels in item["gate_strings"].items():
            for gate, key in labels.items():
                assert key in table, key
                layer = kinds.get(kinds.get(item["key"]).cell_of)
                layer_key = calculator.gate_string(layer, fw, gate, table)
                assert data["strings"][key] == data["strings"][layer_key]  # the layer's wording


@pytest.mark.parametrize("args, expected", [
    (["params", "lstm_cell", "--input-dim", "3", "--units", "4"], "total: 128"),
    (["params", "lstm_cell", "--input-dim", "3", "--units", "4", "--framework", "pytorch"], "total: 144"),
    (["params", "rnn_cell", "--input-dim", "4096", "--units", "256", "--framework", "pytorch"], "total: 1,114,624"),
])
def test_cli_params_offers_the_cells(args, expected):
    done = subprocess.run([sys.executable, "-m", "lstm_docs", *args], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert expected in done.stdout
