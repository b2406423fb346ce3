"""The legacy layouts' weights -> Keras 3 ``layer.set_weights`` lists and PyTorch state dicts.

One layer (one or two directions) of each layout in ``lstm_docs.kinds.LEGACY``: Keras 2's
``CuDNNLSTM``/``CuDNNGRU`` (``"cudnn"``), TF1's ``LSTMCell`` (``"tf1"``), ONNX's ``LSTM``/``GRU``
(``"onnx"``) and Keras 2's own ``LSTM``/``GRU`` (``"keras2"``).  ``weights`` is the layout's
weight list, in the order and with the names of ``formulas.weights(layout, kind, **options)``
(a list in that order, or a mapping by those names); every array's shape is checked against
that list, the sizes ``d`` and ``u`` read from the arrays.  Arrays in, float64 numpy arrays out.

Each layout is read into the per-gate weights of :mod:`lstm_docs.cells` (``GateWeights``: W
(d, u) and U (u, u) used as ``x @ W``, ``h @ U``; input-side bias b, recurrent-side bias a),
then written in Keras 3's or PyTorch's layout.  What each reading undoes:

* ``cudnn``: each gate block of ``kernel`` (d, u) holds cuDNN's matrix of that gate, (u, d),
  row by row (Keras 2 passes the block to cuDNN without a transpose), so W = block.reshape(u,
  d).T; a ``recurrent_kernel`` block is cuDNN's (u, u) matrix itself, so U = block.T; ``bias``
  (2*G*u,) is every input bias, then every recurrent bias.  That is what Keras 2 did loading
  CuDNN weights into ``LSTM`` (biases summed) and ``GRU(reset_after=True,
  recurrent_activation="sigmoid")`` (biases reshaped to (2, 3u)) in ``_convert_rnn_weights``.
* ``tf1``: ``kernel`` (d + u, 4u) rows [0, d) are W, rows [d, d + u) are U, gates i, j, f, o;
  ``forget_bias`` (1.0) is added to the forget gate's bias (TF1 adds it at every step).
* ``onnx``: ``W`` [n, G*h, d], ``R`` [n, G*h, h] hold one unit per row (W = W[k].T); ``B``
  [n, 2*G*h] is ``Wb`` then ``Rb``; LSTM gates i, o, f, c; GRU z, r, h, the reset gate
  applied after the recurrent product when ``linear_before_reset=1``.
* ``keras2``: Keras 3's arrays; a GRU keeps ``reset_after=False`` (its Keras 2 default).

The activations the target layer needs are the layout's: cuDNN and ONNX by default use
sigmoid and tanh (Keras 3's defaults, PyTorch's only ones); TF1 uses them too; Keras 2 before
2.3.0 used its own ``hard_sigmoid`` (``cells.keras2_hard_sigmoid``), which is not Keras 3's
``"hard_sigmoid"``: build the Keras 3 layer with Keras 2's function as a callable, and PyTorch
refuses it (its gates are sigmoid only).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Callable

import numpy as np

from lstm_docs import cells, formulas, kinds
from lstm_docs.formulas import WeightSpec

#: Keras 2's words, raised when CuDNNGRU weights meet ``GRU(reset_after=False)``
#: (keras/engine/saving.py ``_convert_rnn_weights``, Keras 2.1.5 to 2.3.1).
KERAS2_CUDNN_GRU_REFUSAL = "CuDNNGRU is not compatible with GRU(reset_after=False)"

#: cells' letter of the forget gate (TF1's ``forget_bias`` is added to it).
FORGET = "f"


# --------------------------------------------------------------------------------------
# The layout's arrays, checked against its weight list
# --------------------------------------------------------------------------------------


def shape_text(spec: WeightSpec, layout: str) -> str:
    """A weight's symbolic shape in the layout's letters: ``(d + u, 4u)``, ``(8u,)``, ``(1, 4h, d)``."""
    axes = [axis.latex(formulas.symbols(layout)) for axis in spec.shape]
    return f"({axes[0]},)" if len(axes) == 1 else f"({', '.join(axes)})"


def _sizes(layout: str, specs: list[WeightSpec], arrays: list[np.ndarray], where: str) -> dict[str, int]:
    """``d`` and ``u`` read from the arrays: ``u`` from the first axis that is a multiple of
    ``u`` (``4u``), ``d`` from the first axis that holds ``d`` once (``d``, ``d + u``)."""
    found: dict[str, int] = {}
    for spec, array in zip(specs, arrays):
        for axis, n in zip(spec.shape, array.shape):
            poly = axis.polynomial()
            if "u" not in found and set(poly) == {(("u", 1),)} and n % poly[(("u", 1),)] == 0:
                found["u"] = n // poly[(("u", 1),)]
    for spec, array in zip(specs, arrays):
        for axis, n in zip(spec.shape, array.shape):
            if "d" not in found and "u" in found and axis.polynomial().get((("d", 1),)) == 1:
                found["d"] = n - axis.evaluate({"d": 0, "u": found["u"]})
    if found.get("u", 0) < 1 or found.get("d", 0) < 1:
        shapes = ", ".join(f"{s.name} {a.shape}" for s, a in zip(specs, arrays))
        wanted = ", ".join(f"{s.name} {shape_text(s, layout)}" for s in specs)
        raise ValueError(f"{where}: cannot read input_dim and units from the shapes {shapes}; expected {wanted}")
    return found


def named_arrays(layout: str, kind: str, weights: Any, *, where: str,
                 **options: Any) -> tuple[dict[str, np.ndarray], dict[str, int], dict[str, Any]]:
    """The layout's arrays by weight name (float64), the sizes ``{"d", "u"}`` they have and the
    layout's settings (options, defaults filled in).  ``weights``: a list in the order of
    ``formulas.weights(layout, kind, **options)`` or a mapping by those names; a missing or
    extra array, or a wrong shape, is a one-line ``ValueError`` naming the expected shape."""
    settings = formulas.settings(layout, kind, **options)
    specs = formulas.weights(layout, kind, **options)
    names = [s.name for s in specs]
    if isinstance(weights, Mapping):
        if sorted(weights) != sorted(names):
            raise ValueError(f"{where}: expected the arrays {names}, got {list(weights)}")
        given = [weights[n] for n in names]
    elif isinstance(weights, Sequence) and not isinstance(weights, (str, bytes)):
        if len(weights) != len(specs):
            raise ValueError(f"{where}: expected {len(specs)} arrays ({', '.join(names)}), got {len(weights)}")
        given = list(weights)
    else:
        raise ValueError(f"{where}: weights must be a list or a dict of arrays ({', '.join(names)}), "
                         f"got {type(weights).__name__}")
    arrays = []
    for spec, value in zip(specs, given):
        array = np.asarray(value, dtype=np.float64)
        if array.ndim != len(spec.shape):
            raise ValueError(f"{where}: {spec.name} must have shape {shape_text(spec, layout)}, got {array.shape}")
        arrays.append(array)
    sizes = _sizes(layout, specs, arrays, where)
    for spec, array in zip(specs, arrays):
        expected = spec.evaluate_shape(sizes)
        if array.shape != expected:
            raise ValueError(f"{where}: {spec.name} must have shape {shape_text(spec, layout)} = {expected} "
                             f"for input_dim={sizes['d']}, units={sizes['u']}, got {array.shape}")
    return dict(zip(names, arrays)), sizes, settings


def per_direction(layout: str, kind: str, named: dict[str, np.ndarray],
                  settings: dict[str, Any]) -> list[list[np.ndarray]]:
    """The arrays of each direction, in weight-list order: a layout with a direction axis
    (ONNX) gives direction k its slice of every tensor, ``W`` [n, G*h, d] -> [G*h, d]."""
    arrays = list(named.values())
    dirs = 2 if settings["bidirectional"] else 1
    if kinds.own(layout, kind).weights[layout].direction_axis:
        return [[a[k] for a in arrays] for k in range(dirs)]
    per = len(arrays) // dirs
    return [arrays[k * per:(k + 1) * per] for k in range(dirs)]


# --------------------------------------------------------------------------------------
# Reading each layout into cells' per-gate weights
# --------------------------------------------------------------------------------------


def _zeros_like(blocks: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """{gate: (u,)} -> the same gates, zeros (a recurrent-side bias the layout does not keep)."""
    return {g: np.zeros_like(v) for g, v in blocks.items()}


def _read_cudnn(kind: str, arrays: list[np.ndarray], sizes: dict[str, int],
                settings: dict[str, Any]) -> cells.GateWeights:
    """kernel (d, G*u), recurrent_kernel (u, G*u), bias (2*G*u,) -> per-gate weights."""
    kernel, recurrent, bias = arrays
    d, u = sizes["d"], sizes["u"]
    letters = kinds.own("cudnn", kind).cells_gates("cudnn")
    # cuDNN's W_k (u, d) is the block's memory row by row: x @ W_k.T = x @ block.reshape(u, d).T
    W = {g: block.reshape(u, d).T for g, block in cells.split_gates(kernel, letters, axis=1).items()}  # (d, u)
    # cuDNN's R_k (u, u) is the block as stored: h @ R_k.T
    U = {g: block.T for g, block in cells.split_gates(recurrent, letters, axis=1).items()}  # (u, u)
    input_bias, recurrent_bias = np.split(bias, 2)  # (G*u,) each: bW then bR
    return cells.GateWeights(W, U, cells.split_gates(input_bias, letters, axis=0),
                             cells.split_gates(recurrent_bias, letters, axis=0))


def _read_tf1(kind: str, arrays: list[np.ndarray], sizes: dict[str, int],
              settings: dict[str, Any]) -> cells.GateWeights:
    """kernel (d + u, 4u) over concat([x, h]), bias (4u,); forget_bias joins the forget bias."""
    kernel, bias = arrays
    d = sizes["d"]
    letters = kinds.own("tf1", kind).cells_gates("tf1")
    W = cells.split_gates(kernel[:d], letters, axis=1)  # rows [0, d): x's, (d, u) each
    U = cells.split_gates(kernel[d:], letters, axis=1)  # rows [d, d + u): h's, (u, u) each
    b = cells.split_gates(bias, letters, axis=0)
    b[FORGET] = b[FORGET] + settings["forget_bias"]  # sigmoid(f + forget_bias), added at every step
    return cells.GateWeights(W, U, b, _zeros_like(b))


def _read_onnx(kind: str, arrays: list[np.ndarray], sizes: dict[str, int],
               settings: dict[str, Any]) -> cells.GateWeights:
    """W (G*h, d), R (G*h, h), B (2*G*h,) of one direction -> per-gate weights."""
    W_rows, R_rows, *rest = arrays
    letters = kinds.own("onnx", kind).cells_gates("onnx")
    W = {g: rows.T for g, rows in cells.split_gates(W_rows, letters, axis=0).items()}  # Xt @ W_k^T: (d, u)
    U = {g: rows.T for g, rows in cells.split_gates(R_rows, letters, axis=0).items()}  # Ht-1 @ R_k^T: (u, u)
    if not rest:  # B absent: "assumed to be 0"
        zeros = {g: np.zeros(sizes["u"]) for g in letters}
        return cells.GateWeights(W, U, zeros, dict(zeros))
    Wb, Rb = np.split(rest[0], 2)  # [Wb[gates], Rb[gates]]
    return cells.GateWeights(W, U, cells.split_gates(Wb, letters, axis=0), cells.split_gates(Rb, letters, axis=0))


def _read_keras2(kind: str, arrays: list[np.ndarray], sizes: dict[str, int],
                 settings: dict[str, Any]) -> cells.GateWeights:
    """Keras's kernel (d, G*u), recurrent_kernel (u, G*u), bias (G*u,) or (2, G*u)."""
    kernel, recurrent, *rest = arrays
    letters = kinds.own("keras2", kind).cells_gates("keras2")
    W = cells.split_gates(kernel, letters, axis=1)
    U = cells.split_gates(recurrent, letters, axis=1)
    if not rest:
        zeros = {g: np.zeros(sizes["u"]) for g in letters}
        return cells.GateWeights(W, U, zeros, dict(zeros))
    rows = rest[0] if rest[0].ndim == 2 else np.stack([rest[0], np.zeros_like(rest[0])])  # (2, G*u)
    return cells.GateWeights(W, U, cells.split_gates(rows[0], letters, axis=0),
                             cells.split_gates(rows[1], letters, axis=0))


Reader = Callable[[str, list[np.ndarray], dict[str, int], dict[str, Any]], cells.GateWeights]

#: layout key -> its reader (one per ``kinds.LEGACY`` entry; tests check the keys agree).
READERS: dict[str, Reader] = {"cudnn": _read_cudnn, "tf1": _read_tf1, "onnx": _read_onnx, "keras2": _read_keras2}


def _reset_after(layout: str, settings: dict[str, Any]) -> bool:
    """Whether a GRU of the layout applies the reset gate after the recurrent product."""
    if layout == "onnx":
        return bool(settings["linear_before_reset"])
    return settings.get("reset_after", True)  # cudnn: cuDNN's GRU resets after; keras2: its option


def _has_bias(layout: str, kind: str, options: dict[str, Any]) -> bool:
    return any(s.role == "bias" for s in formulas.weights(layout, kind, **options))


def read(layout: str, kind: str, weights: Any, *, where: str = "legacy.read",
         **options: Any) -> tuple[list[cells.GateWeights], dict[str, Any]]:
    """The layout's weights as cells' per-gate weights, one ``GateWeights`` per direction
    (forward first), and the layout's settings (defaults filled in)."""
    named, sizes, settings = named_arrays(layout, kind, weights, where=where, **options)
    reader = READERS[layout]
    return [reader(kind, arrays, sizes, settings) for arrays in per_direction(layout, kind, named, settings)], settings


# --------------------------------------------------------------------------------------
# The layer the weights load into
# --------------------------------------------------------------------------------------


def keras_options(layout: str, kind: str, **options: Any) -> dict[str, Any]:
    """The Keras 3 layer the converted weights load into, as its registry options
    (``formulas.weights("keras", kind, **result)``): ``use_bias``, ``bidirectional`` and, for a
    GRU, ``reset_after`` (``keras_options("onnx", "gru")`` -> ``reset_after=False``)."""
    settings = formulas.settings(layout, kind, **options)
    out = {"use_bias": _has_bias(layout, kind, options), "bidirectional": settings["bidirectional"]}
    if "reset_after" in {o.name for o in kinds.options("keras", kind)}:
        out["reset_after"] = _reset_after(layout, settings)
    return out


def torch_options(layout: str, kind: str, **options: Any) -> dict[str, Any]:
    """The PyTorch module the converted state dict loads into, as its registry options
    (``bias``, ``bidirectional``); a layout PyTorch cannot compute is a one-line ``ValueError``:
    a GRU resetting before the recurrent product, Keras 2's hard_sigmoid gates."""
    settings = formulas.settings(layout, kind, **options)
    where = f"legacy.to_torch: {layout} {kind}"
    cls = kinds.own(layout, kind).classes[layout]
    if "reset_after" in {o.name for o in kinds.options("keras", kind)} and not _reset_after(layout, settings):
        how = "linear_before_reset=0" if layout == "onnx" else "reset_after=False"
        raise ValueError(f"{where}: a {cls} with {how} applies the reset gate before the recurrent product and "
                         "PyTorch's GRU after it: it has no PyTorch equivalent; "
                         "load it into Keras GRU(reset_after=False)")
    if settings.get("recurrent_activation", "sigmoid") != "sigmoid":
        raise ValueError(f"{where}: PyTorch's gates are sigmoid only, so recurrent_activation="
                         f"\"{settings['recurrent_activation']}\" (Keras 2's default before 2.3.0) has no PyTorch "
                         "equivalent; convert a layer built with recurrent_activation=\"sigmoid\"")
    return {"bias": _has_bias(layout, kind, options), "bidirectional": settings["bidirectional"]}


def _check_into(layout: str, kind: str, into: dict[str, Any], needed: dict[str, Any]) -> None:
    """Refuse a Keras 3 target whose options differ from the ones the weights need."""
    validated = formulas.settings("keras", kind, **into)
    chosen = {k: validated[k] if k in into else v for k, v in needed.items()}
    if chosen == needed:
        return
    if layout == "cudnn" and kind == "gru" and not chosen.get("reset_after", True):
        raise ValueError(KERAS2_CUDNN_GRU_REFUSAL)
    cls = kinds.get(kind).classes["keras"]
    args = ", ".join(f"{k}={v}" for k, v in needed.items())
    raise ValueError(f"legacy.to_keras: {layout} {kind} weights load into Keras {cls}({args}), "
                     f"got {', '.join(f'{k}={chosen[k]}' for k in into)}")


# --------------------------------------------------------------------------------------
# Writing Keras 3's and PyTorch's layouts
# --------------------------------------------------------------------------------------


def to_keras(layout: str, kind: str, weights: Any, *, into: dict[str, Any] | None = None,
             **options: Any) -> list[np.ndarray]:
    """The layout's weights as a Keras 3 ``layer.set_weights`` list (LSTM or GRU; both
    directions, forward first, for ``Bidirectional``).

    ``into``: the Keras 3 layer's registry options (``{"reset_after": False}``), default
    ``keras_options(layout, kind, **options)``; a layer the weights cannot load into is
    refused (CuDNNGRU into ``GRU(reset_after=False)`` with Keras 2's message).  Per direction:
    kernel (d, G*u), recurrent_kernel (u, G*u) and, with biases, bias (G*u,) = b + a, or
    (2, G*u) = [b; a] for ``GRU(reset_after=True)``.
    """
    needed = keras_options(layout, kind, **options)
    if into is not None:
        _check_into(layout, kind, into, needed)
    directions, _ = read(layout, kind, weights, where=f"legacy.to_keras: {layout} {kind}", **options)
    order = kinds.get(kind).cells_gates("keras")
    out: list[np.ndarray] = []
    for w in directions:
        out.append(np.concatenate([w.W[g] for g in order], axis=1))  # kernel (d, G*u)
        out.append(np.concatenate([w.U[g] for g in order], axis=1))  # recurrent_kernel (u, G*u)
        if not needed["use_bias"]:
            continue
        b = np.concatenate([w.b[g] for g in order])  # (G*u,)
        a = np.concatenate([w.a[g] for g in order])  # (G*u,)
        out.append(np.stack([b, a]) if needed.get("reset_after") else b + a)  # (2, G*u) or (G*u,)
    return out


def to_torch(layout: str, kind: str, weights: Any, **options: Any) -> dict[str, np.ndarray]:
    """The layout's weights as a PyTorch ``state_dict`` of one layer (``torch_options`` says
    which module): per direction (``_reverse`` for the second) weight_ih (G*h, d), weight_hh
    (G*h, h), bias_ih = b and bias_hh = a (G*h,) in PyTorch's gate order."""
    needed = torch_options(layout, kind, **options)
    directions, _ = read(layout, kind, weights, where=f"legacy.to_torch: {layout} {kind}", **options)
    order = kinds.get(kind).cells_gates("pytorch")
    state: dict[str, np.ndarray] = {}
    for w, sfx in zip(directions, ("", "_reverse")):
        state[f"weight_ih_l0{sfx}"] = np.concatenate([w.W[g].T for g in order], axis=0)  # (G*h, d)
        state[f"weight_hh_l0{sfx}"] = np.concatenate([w.U[g].T for g in order], axis=0)  # (G*h, h)
        if needed["bias"]:
            state[f"bias_ih_l0{sfx}"] = np.concatenate([w.b[g] for g in order])  # (G*h,)
            state[f"bias_hh_l0{sfx}"] = np.concatenate([w.a[g] for g in order])  # (G*h,)
    return state


__all__ = ["KERAS2_CUDNN_GRU_REFUSAL", "READERS", "keras_options", "named_arrays", "per_direction", "read",
           "shape_text", "to_keras", "to_torch", "torch_options"]
