"""The mirror refuses what the frameworks refuse, in their words.

Every Keras 2 spelling and every bad argument that the site's pages or the questions it
answers use (old answers' ``LSTM(256, input_dim=4096, input_length=16)``, the Keras 2
signature with ``implementation=1``, a ``return_sequence=`` typo, ``units=0``, a
``proj_size`` as large as ``hidden_size``...) runs once on the REAL Keras 3 / torch 2.13.0 and
once on ``lstm_docs``' mirrors (through ``lstm_docs.aliases``, as snippets do).  Both must
give the same outcome: the same exception type and message (what people paste into a search
engine), the same warnings (category and text; not the DeprecationWarnings the frameworks
raise about their own internals, which Python hides from readers), the same printed output.

Each case starts from a fresh Keras session (``clear_session()``: auto-names restart), so
layer names in the messages are compared too.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

import snippet_runner

pytestmark = pytest.mark.crosscheck

K = "from keras import Input, Model, Sequential\nfrom keras.layers import GRU, LSTM, Dense, Embedding, SimpleRNN\n"
T = "import torch\nfrom torch import nn\n"

#: name -> (where it is used, code).  Keras 2 spellings first, then bad arguments.
CASES: dict[str, tuple[str, str]] = {
    # ---- Keras 2 spellings
    "input_dim+input_length": ("parameters/#seed-4096, units/#input-shape; seed answers", K + """
        model = Sequential()
        model.add(LSTM(256, input_dim=4096, input_length=16))"""),
    "units=+input_dim+input_length": ("seed answer (LSTM(units=256, ...))", K + """
        model = Sequential()
        model.add(LSTM(units=256, input_dim=4096, input_length=16))"""),
    "input_dim alone": ("parameters/#seed-4096", K + """
        model = Sequential()
        model.add(LSTM(256, input_dim=4096))"""),
    "input_dim alone, list": ("parameters/#seed-4096", K + """
        Sequential([LSTM(256, input_dim=4096)])"""),
    "input_shape=(time_step, feature)": ("parameters/#seed-4096, units/#input-shape; seed answer", K + """
        time_step, featrue, hidenfeatrue = 13, 5, 10
        model = Sequential()
        model.add(LSTM(hidenfeatrue, input_shape=(time_step, featrue)))
        print(model.count_params())
        model.summary()"""),
    "input_length alone": ("Keras 2 spelling", K + """
        LSTM(3, input_length=16)"""),
    "batch_input_shape": ("Keras 2 spelling", K + """
        Sequential([LSTM(256, batch_input_shape=(None, 16, 4096))])"""),
    "GRU input_dim+input_length": ("Keras 2 spelling", K + """
        GRU(3, input_dim=2, input_length=4)"""),
    "SimpleRNN input_dim alone": ("Keras 2 spelling", K + """
        Sequential([SimpleRNN(3, input_dim=2)])"""),
    "Dense input_dim": ("Keras 2 spelling", K + """
        model = Sequential([LSTM(3, input_shape=(4, 2)), Dense(1, input_dim=3)])
        print(model.count_params())"""),
    "Embedding input_length": ("Keras 2 spelling", K + """
        model = Sequential([Input((10,)), Embedding(100, 8, input_length=10)])
        print(model.count_params())"""),
    "hard_sigmoid": ("gates/#defaults; seed answer", K + """
        model = Sequential([Input((4, 2)), LSTM(3, recurrent_activation="hard_sigmoid")])
        print(model.count_params())"""),
    "Keras 2 signature": ("seed answer (the Keras 2 LSTM signature)", K + """
        layer = LSTM(3, activation='tanh', recurrent_activation='hard_sigmoid', use_bias=True,
                     kernel_initializer='glorot_uniform', recurrent_initializer='orthogonal',
                     bias_initializer='zeros', unit_forget_bias=True, kernel_regularizer=None,
                     recurrent_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                     kernel_constraint=None, recurrent_constraint=None, bias_constraint=None,
                     dropout=0.0, recurrent_dropout=0.0, implementation=1, return_sequences=False,
                     return_state=False, go_backwards=False, stateful=False, unroll=False)
        print(Sequential([Input((4, 2)), layer]).count_params())"""),
    "SimpleRNN implementation": ("Keras 2 spelling", K + """
        SimpleRNN(3, implementation=1)"""),
    "print(model.summary())": ("seed answers", K + """
        t1 = Input(shape=(1, 1))
        t2 = LSTM(1)(t1)
        model = Model(inputs=t1, outputs=t2)
        print(model.summary())"""),
    "predict on a list of steps": ("gates/#trace; seed answer", K + """
        import numpy as np
        input_t = Input((4, 1))
        model = Model(inputs=input_t, outputs=LSTM(1)(input_t))
        print(model.predict(np.array([[[1], [2], [3], [4]]]), verbose=0).shape)"""),
    # ---- bad arguments
    "return_sequence typo": ("seed answer (return_sequence=True)", K + """
        LSTM(3, return_sequence=True)"""),
    "unbuilt Sequential count_params": ("seed answer (Sequential(); add(LSTM(N)))", K + """
        model = Sequential()
        model.add(LSTM(3))
        print(model.count_params())"""),
    "unbuilt Sequential summary": ("seed answer (Sequential(); add(LSTM(N)))", K + """
        model = Sequential()
        model.add(LSTM(3))
        model.summary()"""),
    "unbuilt layer count_params": ("parameters/#keras-formula", K + """
        LSTM(3).count_params()"""),
    "units=0": ("units/#what-units-means", K + "LSTM(0)"),
    "units<0": ("units/#what-units-means", K + "LSTM(-1)"),
    "units as a string": ("units/#what-units-means", K + "LSTM('3')"),
    "GRU units=0": ("parameters/#gru", K + "GRU(0)"),
    "SimpleRNN units=0": ("parameters/#simple-rnn", K + "SimpleRNN(0)"),
    "Dense units=0": ("units/#dense-vs-lstm", K + "Dense(0)"),
    "stack without return_sequences": ("parameters/#stacked", K + """
        Sequential([Input((4, 2)), LSTM(3), LSTM(5)])"""),
    "2-D input to a recurrent layer": ("units/#input-shape", K + """
        import numpy as np
        LSTM(3)(np.zeros((4, 2)))"""),
    "2-D Input": ("units/#input-shape, layers/#input-ndim", K + """
        Sequential([Input((4,)), LSTM(3)])"""),
    "TimeDistributed of a non-layer": ("layers/#time-distributed", K + """
        from keras.layers import TimeDistributed
        TimeDistributed(3)"""),
    "TimeDistributed on a 2-D Input": ("layers/#time-distributed", K + """
        from keras.layers import TimeDistributed
        Sequential([Input((4,)), TimeDistributed(Dense(1))])"""),
    "TimeDistributed on a 2-D array": ("layers/#time-distributed", K + """
        import numpy as np
        from keras.layers import TimeDistributed
        TimeDistributed(Dense(1))(np.zeros((5, 4)))"""),
    "predict (n, t) on Input((t, 1))": ("layers/#input-ndim (Keras adds the axis of 1)", K + """
        import numpy as np
        model = Sequential([Input((6, 1)), LSTM(3)])
        print(model.predict(np.zeros((100, 6)), verbose=0).shape)"""),
    "reset_after on LSTM": ("parameters/#gru", K + """
        LSTM(3, reset_after=False)"""),
    "torch proj_size = hidden_size": ("parameters/#proj-size", T + """
        nn.LSTM(input_size=2, hidden_size=3, proj_size=3)"""),
    "torch proj_size < 0": ("parameters/#proj-size", T + """
        nn.LSTM(input_size=2, hidden_size=3, proj_size=-1)"""),
    "torch GRU proj_size": ("parameters/#proj-size", T + """
        nn.GRU(input_size=2, hidden_size=3, proj_size=1)"""),
    "torch RNN proj_size": ("parameters/#proj-size", T + """
        nn.RNN(input_size=2, hidden_size=3, proj_size=1)"""),
    "torch hidden_size=0": ("parameters/#pytorch-formula", T + "nn.LSTM(input_size=2, hidden_size=0)"),
    "torch hidden_size float": ("parameters/#pytorch-formula", T + "nn.LSTM(input_size=2, hidden_size=3.0)"),
    "torch input_size=0": ("parameters/#pytorch-formula", T + "nn.LSTM(input_size=0, hidden_size=3)"),
    "torch num_layers=0": ("parameters/#num-layers", T + "nn.LSTM(input_size=2, hidden_size=3, num_layers=0)"),
    "torch dropout, one layer": ("parameters/#num-layers", T + """
        lstm = nn.LSTM(input_size=2, hidden_size=3, dropout=0.5)
        print(sum(p.numel() for p in lstm.parameters()))"""),
    "torch dropout > 1": ("parameters/#num-layers", T + "nn.LSTM(input_size=2, hidden_size=3, dropout=1.5)"),
    "torch Keras keyword": ("units/#input-shape (units= is Keras's name)", T + """
        nn.LSTM(input_size=2, hidden_size=3, units=3)"""),
    "torch wrong input_size": ("units/#input-shape", T + """
        nn.LSTM(input_size=2, hidden_size=3)(torch.zeros(4, 1, 5))"""),
    "torch wrong input_size, batch_first": ("units/#input-shape", T + """
        nn.LSTM(input_size=2, hidden_size=3, batch_first=True)(torch.zeros(8, 4, 5))"""),
    "torch 4-D input": ("units/#input-shape", T + """
        nn.LSTM(input_size=2, hidden_size=3)(torch.zeros(1, 2, 5, 2))"""),
    "torch wrong h_0": ("units/#return-state", T + """
        lstm = nn.LSTM(input_size=4, hidden_size=3)
        lstm(torch.zeros(5, 2, 4), (torch.zeros(1, 3, 3), torch.zeros(1, 2, 3)))"""),
    "torch GRU wrong h_0": ("units/#return-state", T + """
        nn.GRU(input_size=4, hidden_size=3)(torch.zeros(5, 2, 4), torch.zeros(1, 3, 3))"""),
    "stateful without a fixed batch size": ("sequences/#stateful", K + """
        Sequential([Input((4, 3)), LSTM(5, stateful=True)])"""),
    "pack_padded_sequence unsorted lengths": ("sequences/#packed-sequences", T + """
        from torch.nn.utils.rnn import pack_padded_sequence
        pack_padded_sequence(torch.zeros(3, 4, 2), torch.tensor([2, 4, 1]), batch_first=True)"""),
    "pad_packed_sequence total_length too short": ("sequences/#packed-sequences", T + """
        from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence
        packed = pack_padded_sequence(torch.zeros(3, 4, 2), torch.tensor([4, 2, 1]), batch_first=True)
        pad_packed_sequence(packed, total_length=2)"""),
}

_SCRIPT = r"""
import contextlib, io, json, os, sys, warnings
os.environ["KERAS_BACKEND"] = "torch"
if sys.argv[1] == "mirror":
    from lstm_docs import aliases
    aliases.install_aliases()
import keras
cases = json.loads(sys.stdin.read())
results = {}
for name, code in cases.items():
    keras.utils.clear_session()
    out = io.StringIO()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            with contextlib.redirect_stdout(out):
                exec(compile(code, name, "exec"), {"__name__": "__main__"})
            error = None
        except Exception as exc:
            error = [type(exc).__name__, str(exc)]
    shown = [w for w in caught if not issubclass(w.category, (DeprecationWarning, PendingDeprecationWarning))]
    results[name] = {"error": error, "warnings": [[w.category.__name__, str(w.message)] for w in shown],
                     "stdout": out.getvalue()}
print(json.dumps(results))
"""


def _run(mode: str) -> dict[str, dict]:
    cases = {name: _dedent_tail(code) for name, (_, code) in CASES.items()}
    done = subprocess.run([sys.executable, "-c", _SCRIPT, mode], input=json.dumps(cases), text=True,
                          capture_output=True, env=snippet_runner.environment(), timeout=300)
    assert done.returncode == 0, f"{mode}: the refusal script failed:\n{done.stderr[-3000:]}"
    return json.loads(done.stdout.strip().splitlines()[-1])


def _dedent_tail(code: str) -> str:
    """The imports, then the case's own lines without their indentation in this file."""
    head, sep, tail = code.partition("\n        ")
    if not sep:
        return code
    return head + "\n" + textwrap.dedent("        " + tail)


@pytest.fixture(scope="module")
def outcomes() -> tuple[dict, dict]:
    snippet_runner.require_frameworks()
    return _run("real"), _run("mirror")


def test_cases_compile():
    for name, (where, _) in CASES.items():
        assert where, name
        compile(_dedent_tail(CASES[name][1]), name, "exec")


@pytest.mark.parametrize("name", list(CASES))
def test_mirror_refuses_like_the_framework(outcomes, name):
    real, mirror = outcomes[0][name], outcomes[1][name]
    where = CASES[name][0]
    assert mirror["error"] == real["error"], f"{name} ({where}): the exception differs"
    assert mirror["warnings"] == real["warnings"], f"{name} ({where}): the warnings differ"
    assert mirror["stdout"] == real["stdout"], f"{name} ({where}): the printed output differs"


def test_keras2_spellings_keras3_rejects_are_refused(outcomes):
    real = outcomes[0]
    for name in ("input_dim+input_length", "units=+input_dim+input_length", "input_dim alone", "batch_input_shape"):
        assert real[name]["error"] and real[name]["error"][0] == "ValueError", name
    assert real["input_shape=(time_step, feature)"]["error"] is None
    assert real["input_shape=(time_step, feature)"]["warnings"][0][0] == "UserWarning"
