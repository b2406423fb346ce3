"""The PyTorch mirror: parameters from the formulas, torch's shape rules, Tensor methods that
reader snippets use, validation; and the printed text of a typical snippet, identical to
real torch's (same script, fresh processes)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from lstm_docs import formulas
from lstm_docs import kinds
from lstm_docs import pytorch as torch
from lstm_docs.pytorch import nn

PROJ = {k.names["pytorch"] for k in kinds.takers("pytorch", "proj_size")}
STACKS = {k.names["pytorch"] for k in kinds.takers("pytorch", "num_layers")}  # not the cells
CASES = [(cls, kind, dict(bias=b, **({"bidirectional": bi, "num_layers": n} if kind in STACKS else {}),
                          **({"proj_size": ps} if kind in PROJ else {})))
         for cls, kind in ((getattr(nn, k.classes["pytorch"]), k.names["pytorch"]) for k in kinds.of("pytorch"))
         for b in (True, False) for bi in (True, False) for n in (1, 3) for ps in ((0, 2) if kind in PROJ else (0,))
         if kind in STACKS or (n == 1 and not bi)]


@pytest.mark.parametrize("cls,kind,options", CASES, ids=[f"{k}-{o}" for _, k, o in CASES])
def test_parameters_equal_formula(cls, kind, options):
    module = cls(5, 7, **options)
    env = {"d": 5, "u": 7, "p": options.get("proj_size", 0)}
    specs = formulas.weights("pytorch", kind, **options)
    assert [(n, tuple(p.shape)) for n, p in module.named_parameters()] == [(s.name, s.evaluate_shape(env)) for s in specs]
    assert sum(p.numel() for p in module.parameters()) == module.count_params() == formulas.count(
        "pytorch", kind, input_dim=5, units=7, **options)


def test_init_range_and_seed():
    torch.manual_seed(3)
    a = nn.LSTM(4, 16)
    torch.manual_seed(3)
    b = nn.LSTM(4, 16)
    for (_, p), (_, q) in zip(a.named_parameters(), b.named_parameters()):
        assert np.array_equal(p, q) and p.dtype == np.float32
        assert np.abs(p).max() <= 1 / np.sqrt(16)


@pytest.mark.parametrize("batch_first", [False, True])
def test_shape_rules(batch_first):
    lstm = nn.LSTM(10, 20, num_layers=2, bidirectional=True, proj_size=5, batch_first=batch_first)
    x = torch.randn(3, 6, 10)  # (L=3, N=6) or (N=3, L=6)
    out, (h, c) = lstm(x)
    assert tuple(out.shape) == (3, 6, 10)  # D * proj_size = 10
    n = 3 if batch_first else 6
    assert h.shape == (4, n, 5) and c.shape == (4, n, 20)
    out, (h, c) = lstm(torch.randn(7, 10))  # unbatched
    assert out.shape == (7, 10) and h.shape == (4, 5) and c.shape == (4, 20)
    gru = nn.GRU(4, 6)
    out, h = gru(torch.randn(5, 2, 4), torch.zeros(1, 2, 6))
    assert out.shape == (5, 2, 6) and h.shape == (1, 2, 6)
    assert np.allclose(out[-1], h[0])


def test_bidirectional_reverse_direction_reads_the_sequence_backwards():
    rnn = nn.RNN(1, 1, bidirectional=True, bias=False)
    rnn.load_state_dict({"weight_ih_l0": [[1.0]], "weight_hh_l0": [[0.0]],
                         "weight_ih_l0_reverse": [[1.0]], "weight_hh_l0_reverse": [[1.0]]})
    x = np.array([[[1.0]], [[0.0]], [[0.0]]])  # (L=3, N=1, 1)
    out, h = rnn(x)
    assert np.allclose(out[:, 0, 1], np.tanh([1.0, 0.0, 0.0]))  # reverse: steps 2, 1 see only zeros
    assert np.allclose(h[1, 0, 0], out[0, 0, 1])  # reverse final state = output at t=0


def test_state_dict_roundtrip_and_errors():
    lstm = nn.LSTM(3, 4)
    state = {k: np.full(v.shape, 0.25) for k, v in lstm.state_dict().items()}
    assert repr(lstm.load_state_dict(state)) == "<All keys matched successfully>"
    assert np.all(lstm.weight_ih_l0 == np.float32(0.25))
    with pytest.raises(ValueError, match=r"size mismatch for weight_ih_l0: copying a param with shape \(4, 3\)"):
        lstm.load_state_dict(dict(state, weight_ih_l0=np.zeros((4, 3))))
    with pytest.raises(ValueError, match=r"missing keys \['bias_hh_l0'\]"):
        lstm.load_state_dict({k: v for k, v in state.items() if k != "bias_hh_l0"})


def test_tensor_methods():
    t = torch.zeros(2, 3)
    assert t.numel() == 6 and t.size() == (2, 3) and t.size(1) == 3 and repr(t.shape) == "torch.Size([2, 3])"
    assert type(t.detach().numpy()) is np.ndarray
    assert torch.tensor([1.5]).item() == 1.5 and torch.tensor([0.5]).dtype == np.float32
    assert torch.from_numpy(np.arange(3.0)).numel() == 3


# Refusals torch itself makes carry torch's own type and words (``tests/test_refusals.py``
# compares them with the real torch); the rest are the mirror's own one-line ValueErrors.
@pytest.mark.parametrize("make,error,match", [
    (lambda: nn.LSTM(0, 3), ValueError, "^input_size must be greater than zero$"),
    (lambda: nn.LSTM(4, -1), ValueError, "^hidden_size must be greater than zero$"),
    (lambda: nn.LSTM(4, 3.0), TypeError, "^hidden_size should be of type int, got: float$"),
    (lambda: nn.LSTM(4, 3, num_layers=True), ValueError, r"num_layers must be a whole number >= 1, got True \(bool\)"),
    (lambda: nn.LSTM(4, 3, proj_size=3), ValueError, "^proj_size has to be smaller than hidden_size$"),
    (lambda: nn.GRU(4, 3, proj_size=1), ValueError, "^proj_size argument is only supported for LSTM, not RNN or GRU$"),
    (lambda: nn.LSTM(4, 10**6), ValueError, r"would allocate 4,000,024,000,000 parameters"),
    (lambda: nn.LSTM(4, 3)(np.zeros((2, 5, 6))), RuntimeError,
     r"^input\.size\(-1\) must be equal to input_size\. Expected 4, got 6$"),
    (lambda: nn.LSTM(4, 3)(np.zeros((1, 2, 5, 4))), ValueError, "^LSTM: Expected input to be 2D or 3D, got 4D instead$"),
    (lambda: nn.LSTM(4, 3)(np.zeros((5, 2, 4)), (np.zeros((1, 3, 3)), np.zeros((1, 2, 3)))), RuntimeError,
     r"^Expected hidden\[0\] size \(1, 2, 3\), got \[1, 3, 3\]$"),
])
def test_bad_arguments(make, error, match):
    with pytest.raises(error, match=match):
        make()


SCRIPT = textwrap.dedent("""
    import torch
    from torch import nn
    lstm = nn.LSTM(input_size=10, hidden_size=20, num_layers=2, bidirectional=True, proj_size=5)
    print(lstm)
    for name, p in lstm.named_parameters():
        print(name, p.shape, p.numel())
    print(sum(p.numel() for p in lstm.parameters()))
    out, (h, c) = lstm(torch.randn(5, 3, 10))
    print(out.shape, h.shape, c.shape, out.size(-1))
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.gru = nn.GRU(8, 16, batch_first=True)
            self.head = nn.Linear(16, 1)
        def forward(self, x):
            out, _ = self.gru(x)
            return self.head(out[:, -1])
    net = Net()
    print(net)
    print(list(net.state_dict()), sum(p.numel() for p in net.parameters()), net(torch.randn(2, 4, 8)).shape)
""")


@pytest.mark.crosscheck
def test_snippet_output_identical_to_real_torch(real_torch):
    def run(prelude):
        done = subprocess.run([sys.executable, "-c", prelude + SCRIPT], capture_output=True, text=True,
                              env=dict(os.environ), timeout=300)
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    assert run("from lstm_docs.aliases import install_aliases; install_aliases()\n") == run("")


REPR_SCRIPT = textwrap.dedent("""
    import torch
    from torch import nn
    print(torch.tensor([[0.5, -1.25], [3.0, 0.0001]]))
    print(torch.zeros(3), torch.tensor([1.0, 2.0], dtype=torch.float64), torch.tensor(3.5), torch.tensor([1, 2, 3]))
    print(torch.tensor([1e9, 2.0]), torch.tensor([1.5, 2.25, -3.125] * 20))
    print(torch.tensor([[float(i) / 7 for i in range(40)] for _ in range(40)]))
    print(torch.zeros(2, 0), torch.tensor([True, False]), nn.Parameter(torch.tensor([0.5, 1.0])))
    print(torch.tensor([[[1.0, 2.0], [3.0, 4.0]], [[5.0, 6.0], [7.0, 8.5]]]))
""")


@pytest.mark.crosscheck
def test_tensor_repr_identical_to_real_torch(real_torch):
    def run(prelude):
        done = subprocess.run([sys.executable, "-c", prelude + REPR_SCRIPT], capture_output=True, text=True,
                              env=dict(os.environ), timeout=300)
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    assert run("from lstm_docs.aliases import install_aliases; install_aliases()\n") == run("")
