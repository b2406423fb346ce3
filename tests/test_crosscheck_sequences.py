"""Cross-check the sequence pieces of the mirror against real Keras 3 / torch 2.13.

Keras: ``stateful=True`` (states carried call to call, sample i to sample i, ``reset_state``,
``layer.states``, the fixed-batch errors, ``predict(batch_size=)``), ``Masking`` and
``Embedding(mask_zero=True)`` (outputs and states at masked steps, counts, summary), and the
dropout arguments (counts, inference outputs).  PyTorch: ``pack_padded_sequence`` /
``pad_packed_sequence`` / ``pack_sequence``, a ``PackedSequence`` through ``nn.LSTM`` / ``GRU``
/ ``RNN`` (output data, batch_sizes, h_n at each sequence's own end), ``enforce_sorted``.

Every model is written once as a function of a keras-like (torch-like) module and built on both;
the real one's weights (biases randomised, non-zero) are copied into ours; outputs to 1e-6.
"""

from __future__ import annotations

import io
from contextlib import redirect_stdout

import numpy as np
import pytest

from test_crosscheck_keras import ATOL, assert_same_outputs, ours, randomise_biases
from test_crosscheck_keras import to_numpy as _keras_to_numpy


def to_numpy(value) -> np.ndarray:
    """A real tensor (keras or torch) or one of our arrays (mirror tensors included) as float64."""
    if type(value).__module__.startswith("lstm_docs"):
        return np.asarray(value, dtype=np.float64)
    return _keras_to_numpy(value)

pytestmark = [
    pytest.mark.crosscheck,
    pytest.mark.filterwarnings("ignore:__array__ implementation doesn't accept a copy keyword:DeprecationWarning"),
]

KERAS_KINDS = ("LSTM", "GRU", "SimpleRNN")


def copy_weights(real_model, mine_model) -> None:
    for layer in real_model.layers:
        randomise_biases(layer, seed=3)
    mine_model.set_weights(real_model.get_weights())


# ---------------------------------------------------------------- Keras: stateful
def stateful_model(K, kind, **kwargs):
    return K.Sequential([K.Input(batch_shape=(2, 4, 3)), getattr(K.layers, kind)(5, stateful=True, **kwargs)])


@pytest.mark.parametrize("kind", KERAS_KINDS)
def test_stateful_carries_and_resets_like_keras(float64_keras, kind):
    K = float64_keras
    x = np.random.default_rng(1).standard_normal((6, 4, 3))
    real, mine = stateful_model(K, kind), stateful_model(ours(), kind)
    copy_weights(real, mine)
    assert mine.count_params() == real.count_params()
    for start in (0, 2, 4):  # three batches in a row: each starts from the last one's states
        assert_same_outputs(mine.predict(x[start:start + 2], verbose=0), real.predict(x[start:start + 2], verbose=0))
    assert len(mine.layers[0].states) == len(real.layers[0].states)
    for a, b in zip(mine.layers[0].states, real.layers[0].states):
        np.testing.assert_allclose(to_numpy(a), to_numpy(b), atol=ATOL)
    real.layers[0].reset_state()
    mine.layers[0].reset_state()
    assert_same_outputs(mine.predict(x[:2], verbose=0), real.predict(x[:2], verbose=0))
    # predict(batch_size=2) walks the 6 samples as 3 stateful batches
    real.layers[0].reset_state()
    mine.layers[0].reset_state()
    assert_same_outputs(mine.predict(x, batch_size=2, verbose=0), real.predict(x, batch_size=2, verbose=0))


def test_stateful_return_state_and_input_batch_size(float64_keras):
    K = float64_keras

    def build(M):
        inp = M.Input((4, 3), batch_size=2)
        return M.Model(inp, M.layers.LSTM(5, stateful=True, return_sequences=True, return_state=True)(inp))

    x = np.random.default_rng(2).standard_normal((2, 4, 3))
    real, mine = build(K), build(ours())
    copy_weights(real, mine)
    for _ in range(2):
        assert_same_outputs(mine.predict(x, verbose=0), real.predict(x, verbose=0))


def test_stateful_count_and_summary_match(real_keras):
    def build(M):
        return M.Sequential([M.Input(batch_shape=(8, 4, 3)), M.layers.GRU(5, stateful=True)])

    texts = []
    for M in (real_keras, ours()):
        M.utils.clear_session()
        buf = io.StringIO()
        with redirect_stdout(buf):
            model = build(M)
            model.summary()
        texts.append((model.count_params(), buf.getvalue()))
    assert texts[0] == texts[1]


def test_states_before_build_are_none_as_in_keras(real_keras):
    for M in (real_keras, ours()):
        assert M.layers.LSTM(3, stateful=True).states is None


def test_stateful_errors_match_keras(real_keras):
    for M in (real_keras, ours()):
        with pytest.raises(ValueError, match="batch size must be static"):
            M.Sequential([M.Input((4, 3)), M.layers.LSTM(5, stateful=True)])
        model = M.Sequential([M.Input(batch_shape=(2, 4, 3)), M.layers.LSTM(5, stateful=True)])
        with pytest.raises(ValueError, match="Expected batch size: 2\n- Received batch size: 3"):
            model.predict(np.zeros((3, 4, 3)), verbose=0)


def test_direct_calls_carry_states(float64_keras):
    x = np.random.default_rng(3).standard_normal((2, 4, 3))
    real, mine = float64_keras.layers.SimpleRNN(5, stateful=True), ours().layers.SimpleRNN(5, stateful=True)
    real(x)
    mine(x)
    randomise_biases(real, 4)
    mine.set_weights(real.get_weights())
    real.reset_state()
    mine.reset_state()
    for _ in range(3):
        assert_same_outputs(mine(x), real(x))


# ---------------------------------------------------------------- Keras: masks
def padded_input() -> np.ndarray:
    x = np.random.default_rng(4).standard_normal((3, 6, 2))
    x[0, 4:] = 0.0  # trailing padding
    x[1, :2] = 0.0  # leading padding
    x[2, 3] = 0.0  # one masked step in the middle
    return x


@pytest.mark.parametrize("kind", KERAS_KINDS)
@pytest.mark.parametrize("options", [{}, {"return_sequences": True},
                                     {"return_sequences": True, "return_state": True},
                                     {"return_state": True, "go_backwards": True}],
                         ids=["last", "sequences", "sequences-state", "state-backwards"])
def test_masking_matches_keras(float64_keras, kind, options):
    def build(M):
        inp = M.Input((6, 2))
        return M.Model(inp, getattr(M.layers, kind)(4, **options)(M.layers.Masking(mask_value=0.0)(inp)))

    real, mine = build(float64_keras), build(ours())
    copy_weights(real, mine)
    assert mine.count_params() == real.count_params()
    assert_same_outputs(mine.predict(padded_input(), verbose=0), real.predict(padded_input(), verbose=0))


def test_masked_stack_with_dense_matches_keras(float64_keras):
    def build(M):
        return M.Sequential([M.Input((6, 2)), M.layers.Masking(), M.layers.LSTM(4, return_sequences=True),
                             M.layers.GRU(3, return_sequences=True), M.layers.Dense(2), ])

    real, mine = build(float64_keras), build(ours())
    copy_weights(real, mine)
    assert_same_outputs(mine.predict(padded_input(), verbose=0), real.predict(padded_input(), verbose=0))


@pytest.mark.parametrize("kind", KERAS_KINDS)
def test_embedding_mask_zero_matches_keras(float64_keras, kind):
    def build(M):
        return M.Sequential([M.Input((5,)), M.layers.Embedding(10, 3, mask_zero=True),
                             getattr(M.layers, kind)(4, return_sequences=True)])

    tokens = np.array([[3, 5, 2, 0, 0], [0, 4, 7, 1, 0], [9, 8, 7, 6, 5]])
    real, mine = build(float64_keras), build(ours())
    copy_weights(real, mine)
    assert mine.count_params() == real.count_params()
    assert_same_outputs(mine.predict(tokens, verbose=0), real.predict(tokens, verbose=0))
    np.testing.assert_array_equal(mine.layers[0].compute_mask(tokens), to_numpy(real.layers[0].compute_mask(tokens)))


def test_masking_summary_matches_keras(real_keras):
    def build(M):
        return M.Sequential([M.Input((6, 2)), M.layers.Masking(mask_value=0.0), M.layers.LSTM(4)])

    texts = []
    for M in (real_keras, ours()):
        M.utils.clear_session()
        buf = io.StringIO()
        with redirect_stdout(buf):
            build(M).summary()
        texts.append(buf.getvalue())
    assert texts[0] == texts[1]


def test_mask_into_unmirrored_layer_is_refused():
    K = ours()
    inp = K.Input((6, 2))
    model = K.Model(inp, K.layers.Bidirectional(K.layers.LSTM(3))(K.layers.Masking()(inp)))
    with pytest.raises(ValueError, match="does not mirror masks"):
        model.predict(padded_input(), verbose=0)


# ---------------------------------------------------------------- Keras: dropout
@pytest.mark.parametrize("kind", KERAS_KINDS)
def test_dropout_changes_no_count_and_no_inference_output(float64_keras, kind):
    def build(M):
        inp = M.Input((6, 2))
        return M.Model(inp, getattr(M.layers, kind)(4, dropout=0.3, recurrent_dropout=0.4)(inp))

    real, mine = build(float64_keras), build(ours())
    copy_weights(real, mine)
    assert mine.count_params() == real.count_params()
    assert [w.shape for w in mine.weights] == [tuple(w.shape) for w in real.weights]
    x = padded_input()
    assert_same_outputs(mine.predict(x, verbose=0), real.predict(x, verbose=0))
    with pytest.raises(NotImplementedError, match="training-time randomness"):
        mine.layers[-1](x, training=True)


# ---------------------------------------------------------------- PyTorch: packed sequences
TORCH_KINDS = ("LSTM", "GRU", "RNN")
LENGTHS = {"sorted": ([5, 3, 3, 1], True), "unsorted": ([2, 5, 1, 4], False)}


def ours_torch():
    from lstm_docs import pytorch

    return pytorch


def packed_pair(real_torch, lengths, enforce_sorted, batch_first=True, seed=5):
    x = np.random.default_rng(seed).standard_normal((4, 5, 3))  # (B, T, H_in)
    if not batch_first:
        x = x.transpose(1, 0, 2).copy()
    real = real_torch.nn.utils.rnn.pack_padded_sequence(
        real_torch.from_numpy(x), real_torch.tensor(lengths), batch_first=batch_first, enforce_sorted=enforce_sorted)
    mine = ours_torch().nn.utils.rnn.pack_padded_sequence(
        x, lengths, batch_first=batch_first, enforce_sorted=enforce_sorted)
    return real, mine


def assert_same_packed(mine, real) -> None:
    np.testing.assert_allclose(to_numpy(mine.data), to_numpy(real.data), atol=ATOL)
    assert np.asarray(mine.batch_sizes).tolist() == real.batch_sizes.tolist()
    for a, b in ((mine.sorted_indices, real.sorted_indices), (mine.unsorted_indices, real.unsorted_indices)):
        assert (a is None) == (b is None)
        if a is not None:
            assert np.asarray(a).tolist() == b.tolist()


@pytest.mark.parametrize("case", LENGTHS)
@pytest.mark.parametrize("batch_first", [True, False])
def test_pack_and_pad_match_torch(real_torch, case, batch_first):
    lengths, enforce = LENGTHS[case]
    real, mine = packed_pair(real_torch, lengths, enforce, batch_first)
    assert_same_packed(mine, real)
    assert np.asarray(mine.batch_sizes).dtype == np.int64
    rnn = real_torch.nn.utils.rnn
    for total in (None, 7):
        pr, lr = rnn.pad_packed_sequence(real, batch_first=batch_first, padding_value=-1.0, total_length=total)
        pm, lm = ours_torch().nn.utils.rnn.pad_packed_sequence(mine, batch_first=batch_first, padding_value=-1.0,
                                                               total_length=total)
        np.testing.assert_allclose(to_numpy(pm), to_numpy(pr), atol=ATOL)
        assert np.asarray(lm).tolist() == lr.tolist()
        assert str(lm.dtype) == "int64" and lr.dtype == real_torch.int64


def test_pack_sequence_matches_torch(real_torch):
    rng = np.random.default_rng(6)
    seqs = [rng.standard_normal((n, 2)) for n in (4, 2, 1)]
    real = real_torch.nn.utils.rnn.pack_sequence([real_torch.from_numpy(s) for s in seqs])
    assert_same_packed(ours_torch().nn.utils.rnn.pack_sequence(seqs), real)
    shuffled = [seqs[1], seqs[0], seqs[2]]
    real = real_torch.nn.utils.rnn.pack_sequence([real_torch.from_numpy(s) for s in shuffled], enforce_sorted=False)
    assert_same_packed(ours_torch().nn.utils.rnn.pack_sequence(shuffled, enforce_sorted=False), real)


def test_packing_errors_match_torch(real_torch):
    x = np.zeros((3, 4, 2))
    for rnn, arr in ((real_torch.nn.utils.rnn, real_torch.zeros(3, 4, 2)), (ours_torch().nn.utils.rnn, x)):
        with pytest.raises(RuntimeError) as unsorted:
            rnn.pack_padded_sequence(arr, [2, 4, 1], batch_first=True)
        assert unsorted.value.args[0] == ours_torch().nn.utils.rnn.NOT_SORTED
        with pytest.raises(RuntimeError, match="has to be greater than 0"):
            rnn.pack_padded_sequence(arr, [2, 0, 1], batch_first=True, enforce_sorted=False)
        packed = rnn.pack_padded_sequence(arr, [4, 2, 1], batch_first=True)
        with pytest.raises(ValueError, match="total_length=2 and max sequence length being 4"):
            rnn.pad_packed_sequence(packed, total_length=2)


@pytest.mark.parametrize("kind", TORCH_KINDS)
@pytest.mark.parametrize("case", LENGTHS)
@pytest.mark.parametrize("options", [{}, {"bidirectional": True, "num_layers": 2}, {"hx": True}],
                         ids=["one-layer", "2-layers-bidirectional", "hx"])
def test_packed_forward_matches_torch(real_torch, kind, case, options):
    options = dict(options)
    with_hx = options.pop("hx", False)
    torch = real_torch
    torch.manual_seed(8)
    real = getattr(torch.nn, kind)(3, 4, batch_first=True, **options).double().eval()
    state = {name: value.detach().numpy().copy() for name, value in real.state_dict().items()}
    mine = getattr(ours_torch().nn, kind)(3, 4, batch_first=True, **options)
    mine.load_state_dict(state)
    lengths, enforce = LENGTHS[case]
    packed_real, packed_mine = packed_pair(torch, lengths, enforce)
    hx_real = hx_mine = None
    if with_hx:
        rng = np.random.default_rng(9)
        h0 = rng.standard_normal((1, 4, 4))
        if kind == "LSTM":
            c0 = rng.standard_normal((1, 4, 4))
            hx_real, hx_mine = (torch.from_numpy(h0), torch.from_numpy(c0)), (h0, c0)
        else:
            hx_real, hx_mine = torch.from_numpy(h0), h0
    with torch.no_grad():
        out_real, states_real = real(packed_real, hx_real)
    out_mine, states_mine = mine(packed_mine, hx_mine)
    assert type(out_mine).__name__ == "PackedSequence"
    assert_same_packed(out_mine, out_real)
    states_real = states_real if isinstance(states_real, tuple) else (states_real,)
    states_mine = states_mine if isinstance(states_mine, tuple) else (states_mine,)
    for a, b in zip(states_mine, states_real):
        assert tuple(a.shape) == tuple(b.shape)
        np.testing.assert_allclose(to_numpy(a), to_numpy(b), atol=ATOL)
