"""The layer-kind registry is the one definition of a kind: a toy kind registered for one test
appears, with no other edit, in the counts, the LaTeX, the per-gate breakdown, the calculator
catalog and the CLI; and the three real kinds' derived tables are the ones the frameworks use."""

from __future__ import annotations

import pytest

from lstm_docs import cli, convert, formulas, kinds

# A "minimal gated unit": a forget gate and a candidate, stacked in that order in both
# frameworks (PyTorch-style letters f, n; Keras-style f, h, the candidate being the cells' n).
MGU = kinds.Kind(
    key="mgu",
    names={"keras": "mgu", "pytorch": "mgu"},
    classes={"keras": "MGU", "pytorch": "MGU"},
    gates={"keras": ("f", "h"), "pytorch": ("f", "n")},
    cell_gates={"keras": ("f", "n")},
    aliases=("minimal_gated_unit",),
)


@pytest.fixture
def mgu():
    with kinds.registered(MGU) as kind:
        yield kind
    assert "mgu" not in kinds.names("keras"), "the toy kind outlived its test"


def test_toy_kind_counts_in_both_frameworks(mgu):
    d, u = 5, 3
    assert formulas.count("keras", "mgu", input_dim=d, units=u) == 2 * u * (d + u + 1)
    assert formulas.count("keras", "mgu", input_dim=d, units=u, bidirectional=True, use_bias=False) == 2 * 2 * u * (d + u)
    assert formulas.count("pytorch", "mgu", input_dim=d, units=u) == 2 * u * (d + u + 2)
    # a stack: layer 1 reads the 2u features of the bidirectional layer below
    assert formulas.count("pytorch", "mgu", input_dim=d, units=u, bidirectional=True, num_layers=2) == (
        2 * 2 * u * (d + u + 2) + 2 * 2 * u * (2 * u + u + 2))
    assert [w.name for w in formulas.weights("keras", "mgu", bidirectional=True)][:3] == [
        "forward_mgu/mgu_cell/kernel", "forward_mgu/mgu_cell/recurrent_kernel", "forward_mgu/mgu_cell/bias"]
    assert formulas.GATES["pytorch", "mgu"] == ("f", "n")
    assert formulas.KERAS_CLASS["mgu"] == "MGU"


def test_toy_kind_latex_and_per_gate_breakdown(mgu):
    keras = formulas.formula("keras", "mgu")
    torch = formulas.formula("pytorch", "mgu", bias=False)
    assert keras.latex() == "2u(d + u + 1)"
    assert torch.latex() == "2h(d + h)"
    assert {g: e.latex() for g, e in keras.terms["gates"].items()} == {"f": "u(d + u + 1)", "h": "u(d + u + 1)"}
    assert {g: e.latex(formulas.SYMBOLS["pytorch"]) for g, e in torch.terms["gates"].items()} == {
        "f": "h(d + h)", "n": "h(d + h)"}


def test_toy_kind_options_follow_the_registry(mgu):
    # the optional options belong to the kinds that list them, not to the toy
    with pytest.raises(ValueError, match="keras mgu: reset_after is a GRU or GRUCell option, got reset_after=False"):
        formulas.count("keras", "mgu", input_dim=1, units=2, reset_after=False)
    with pytest.raises(ValueError, match="pytorch mgu: proj_size is only supported by LSTM, got proj_size=1"):
        formulas.count("pytorch", "mgu", input_dim=1, units=2, proj_size=1)
    # formulas take each framework's own names; aliases are for the CLI and the calculator
    with pytest.raises(ValueError, match="kind must be one of 'lstm', 'gru', 'simple_rnn', 'lstm_cell', 'gru_cell', 'simple_rnn_cell', 'conv_lstm2d', 'mgu', got 'minimal"):
        formulas.count("keras", "minimal_gated_unit", input_dim=1, units=1)
    assert kinds.aliases("pytorch")["minimal_gated_unit"] == "mgu"


def test_toy_kind_is_in_the_calculator_catalog(mgu):
    entries = [e for e in formulas.catalog()["layers"] if e["kind"] == "mgu"]
    keras = [e for e in entries if e["framework"] == "keras"]
    torch = [e for e in entries if e["framework"] == "pytorch"]
    assert [e["options"] for e in keras] == [
        {"use_bias": b, "bidirectional": bi} for b in (True, False) for bi in (True, False)]
    assert len(torch) == 8 and {e["layer"] for e in torch} == {"first", "upper"}
    first = next(e for e in torch if e["layer"] == "first" and e["options"] == {"bias": True, "bidirectional": False})
    assert first["gates"] == ["f", "n"] and first["latex"] == "2h(d + h + 2)"
    assert formulas.evaluate_json(first["total"], {"d": 5, "u": 3}) == 2 * 3 * (5 + 3 + 2)
    upper = next(e for e in torch if e["layer"] == "upper" and e["options"] == {"bias": True, "bidirectional": True})
    assert upper["D"] == ["*", 2, "u"]


def test_toy_kind_is_a_cli_choice_with_its_breakdown(mgu, capsys):
    with pytest.raises(SystemExit):
        cli.main(["params", "--help"])
    assert "mgu" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        cli.main(["summary", "--help"])
    assert "mgu:UNITS[:OPT,...]" in capsys.readouterr().out
    assert cli.main(["params", "minimal_gated_unit", "--input-dim", "5", "--units", "3", "--framework", "pytorch"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("pytorch mgu: input_size=5, hidden_size=3")
    assert "formula: 2h(d + h + 2)" in out
    assert f"total: {2 * 3 * (5 + 3 + 2)}\n" in out
    assert "  f  30  = h(d + h + 2)\n" in out and "  n  30  = h(d + h + 2)\n" in out


def test_toy_kind_gone_after_the_block():
    with kinds.registered(MGU):
        assert "mgu" in kinds.names("pytorch")
    assert "mgu" not in kinds.names("pytorch")
    assert all(e["kind"] != "mgu" for e in formulas.catalog()["layers"])
    assert cli.main(["params", "mgu", "--input-dim", "1", "--units", "1"]) == 2


def test_registered_refuses_a_name_already_taken():
    clash = kinds.Kind(key="lstm2", names={"keras": "lstm", "pytorch": "lstm2"}, classes={}, gates={})
    with pytest.raises(ValueError, match="kinds.registered: 'lstm2' clashes with registered kind 'lstm'"):
        with kinds.registered(clash):
            pass


def test_gate_correspondence_is_the_frameworks():
    same = {k.key: k.same_gate() for k in kinds.of("pytorch")}  # the kinds both frameworks have
    assert same == {"lstm": {"i": "i", "f": "f", "c": "g", "o": "o"},
                    "gru": {"z": "z", "r": "r", "h": "n"},
                    "simple_rnn": {"h": "h"},
                    "lstm_cell": {"i": "i", "f": "f", "c": "g", "o": "o"},
                    "gru_cell": {"z": "z", "r": "r", "h": "n"},
                    "simple_rnn_cell": {"h": "h"}}
    assert [convert._permutation(k.names["keras"]) for k in kinds.of("pytorch")] == [[0, 1, 2, 3], [1, 0, 2], [0]] * 2


def test_every_real_kind_has_a_step_and_mirror_classes():
    from lstm_docs import keras
    from lstm_docs.pytorch import nn

    for kind in kinds.of("pytorch"):  # the sequence kinds both frameworks have
        assert kind.step is not None, kind.key
        assert getattr(keras.layers, kind.classes["keras"]).kind == kind.names["keras"]
        assert getattr(nn, kind.classes["pytorch"]).kind == kind.names["pytorch"]
    conv = kinds.get("conv_lstm2d")  # Keras only: its own mirror class, no PyTorch name
    assert getattr(keras.layers, conv.classes["keras"])._prefix == conv.names["keras"]
    assert not conv.in_framework("pytorch") and "conv_lstm2d" not in kinds.names("pytorch")


def test_a_kind_one_framework_lacks_is_refused_there_in_one_line():
    with pytest.raises(ValueError, match="^pytorch has no equivalent of keras ConvLSTM2D$"):
        kinds.resolve("pytorch", "conv_lstm2d")
    with pytest.raises(ValueError, match="pytorch has no equivalent of keras ConvLSTM2D"):
        kinds.get("conv_lstm2d").same_gate()
    assert kinds.resolve("keras", "convlstm2d").key == "conv_lstm2d"


def test_toy_kind_reaches_the_calculator_page_data(mgu):
    """The element the calculator's JavaScript reads: the toy kind is a layer it offers (with
    its names, classes, gates and aliases) and the catalog it evaluates counts it."""
    from lstm_docs import calculator

    data = calculator.calculator_data("en")
    (entry,) = [k for k in data["kinds"] if k["key"] == "mgu"]
    assert entry["names"] == {"keras": "mgu", "pytorch": "mgu"}
    assert entry["classes"] == {"keras": "MGU", "pytorch": "MGU"}
    assert entry["gates"] == {"keras": ["f", "h"], "pytorch": ["f", "n"]}
    assert entry["aliases"] == ["minimal_gated_unit"]
    assert {(e["framework"], e["kind"]) for e in data["catalog"]["layers"]} >= {("keras", "mgu"), ("pytorch", "mgu")}
