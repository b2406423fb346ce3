"""``lstm-docs`` / ``python -m lstm_docs``: parameter counts, model summaries, docs upkeep.

    lstm-docs params lstm --input-dim 4096 --units 256 [--framework pytorch] [--bidirectional]
                          [--layers 2] [--no-bias] [--proj-size N] [--reset-after | --no-reset-after]
    lstm-docs summary --input 4,2 lstm:3:seq gru:4 dense:1
    lstm-docs docs check | update            (registered by lstm_docs.live.commands)

Bad arguments print one line on stderr and exit with status 2.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any, Sequence

from lstm_docs import _validate, formulas, kinds


def _spellings() -> list[str]:
    """Every layer-kind name ``params`` accepts, in any framework (aliases included)."""
    return sorted({s for fw in kinds.FRAMEWORKS for k in kinds.of(fw) for s in k.spellings(fw)})


def _sequence_kinds() -> list[kinds.Kind]:
    """The Keras kinds ``summary`` builds from ``KIND:UNITS`` (not ConvLSTM2D: it needs a
    kernel size and 5-D input)."""
    return [k for k in kinds.of("keras") if k.weights["keras"].area is None]


def _kernel_size(text: str) -> tuple[int, int]:
    """``3`` or ``3x2`` (also ``3,2``) -> ``(kh, kw)``; an argparse type."""
    parts = text.replace(",", "x").lower().split("x")
    if len(parts) not in (1, 2):
        raise argparse.ArgumentTypeError(f"expected ROWS or ROWSxCOLS such as 3x3, got {text!r}")
    sizes = tuple(_whole_number(1, 10**6)(p) for p in parts)
    return (sizes[0], sizes[-1])


def _takers(framework: str, option: str) -> str:
    """The kinds taking the optional ``option``, as the CLI names them: ``gru``."""
    return " or ".join(k.names[framework] for k in kinds.takers(framework, option))


def _summary_help() -> str:
    """The ``summary`` epilog, listing the registry's Keras kinds."""
    specs = "   ".join(f"{k.names['keras']}:UNITS[:OPT,...]" for k in _sequence_kinds())
    reset = " or ".join(k.classes["keras"] for k in kinds.takers("keras", "reset_after"))
    return f"""layer specs, in order:
  {specs}
      OPT: seq (return_sequences), bi (Bidirectional), nobias, noreset ({reset} reset_after=False)
  dense:UNITS            embedding:VOCAB:DIM"""


class UsageError(Exception):
    """A bad command line: reported in one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # one line instead of usage + message
        raise UsageError(f"{self.prog}: {message}")


def _whole_number(minimum: int, maximum: int):  # type: ignore[no-untyped-def]
    """An argparse type: a whole number in [``minimum``, ``maximum``], or a one-line error
    naming the text (bounded, so no size can make a count loop or allocate without end)."""

    def parse(text: str) -> int:
        digits = text.strip().lstrip("+-")
        try:
            value = int(text) if len(digits) <= len(str(maximum)) else None
        except ValueError:
            value = None
        if value is None or not minimum <= value <= maximum:
            raise argparse.ArgumentTypeError(
                f"expected a whole number from {minimum} to {_readable(maximum)}, got {text!r}"
            )
        return value

    return parse


def _readable(n: int) -> str:
    """``10**18`` → ``10^18``; other numbers as digits."""
    exp = len(str(n)) - 1
    return f"10^{exp}" if n == 10**exp and exp > 3 else str(n)


_size = _whole_number(1, _validate.SIZE_MAX)
_projection = _whole_number(0, _validate.SIZE_MAX)
_layer_count = _whole_number(1, _validate.LAYERS_MAX)


# ---------------------------------------------------------------------------- params
def _layer_options(ns: argparse.Namespace, kind: str) -> dict[str, Any]:
    if ns.framework == "keras":
        if ns.proj_size:
            raise UsageError("lstm-docs params: --proj-size is a PyTorch LSTM option; add --framework pytorch")
        opts: dict[str, Any] = {"use_bias": not ns.no_bias, "bidirectional": ns.bidirectional}
        if "reset_after" in {o.name for o in kinds.options("keras", kind)}:
            opts["reset_after"] = ns.reset_after is not False
        elif ns.reset_after is not None:
            flag = "--reset-after" if ns.reset_after else "--no-reset-after"
            raise UsageError(f"lstm-docs params: {flag} applies to {_takers('keras', 'reset_after')} only, got {kind}")
        return opts
    if ns.reset_after is not None:
        flag = "--reset-after" if ns.reset_after else "--no-reset-after"
        raise UsageError(f"lstm-docs params: {flag} is a Keras GRU option; PyTorch's GRU has none "
                         "(it always applies the reset gate after the matrix product)")
    if ns.proj_size and "proj_size" not in {o.name for o in kinds.options("pytorch", kind)}:
        raise UsageError(f"lstm-docs params: --proj-size applies to {_takers('pytorch', 'proj_size')} only, got {kind}")
    opts = {"bias": not ns.no_bias, "bidirectional": ns.bidirectional, "num_layers": ns.layers}
    if ns.proj_size:
        opts["proj_size"] = ns.proj_size
    return opts


def _keras_stack(kind: str, opts: dict[str, Any], d: int, u: int, layers: int) -> list[tuple[int, int]]:
    """Keras has no num_layers: a stack of ``layers`` layers, layer k >= 1 reading dirs*u features."""
    dirs = 2 if opts["bidirectional"] else 1
    widths = [d] + [dirs * u] * (layers - 1)
    return [(w, formulas.count("keras", kind, input_dim=w, units=u, **opts)) for w in widths]


def params_command(ns: argparse.Namespace) -> int:
    kind = kinds.resolve(ns.framework, ns.kind).names[ns.framework]
    opts = _layer_options(ns, kind)
    d, u = ns.input_dim, ns.units
    env = {"d": d, "u": u, "p": ns.proj_size or 0}
    conv: dict[str, Any] = {}
    if kinds.own(ns.framework, kind).weights[ns.framework].area is not None:  # ConvLSTM2D
        if ns.kernel_size is None:
            raise UsageError(f"lstm-docs params: {kind} needs --kernel-size, e.g. --kernel-size 3x3")
        conv = {"kernel_size": ns.kernel_size}
        env.update(kh=ns.kernel_size[0], kw=ns.kernel_size[1], k=ns.kernel_size[0] * ns.kernel_size[1])
        if ns.layers > 1:
            raise UsageError(f"lstm-docs params: --layers applies to the sequence layers, not {kind}")
    elif ns.kernel_size is not None:
        raise UsageError(f"lstm-docs params: --kernel-size applies to ConvLSTM2D only, got {kind}")
    sym = formulas.SYMBOLS[ns.framework]
    out = sys.stdout.write
    f = formulas.formula(ns.framework, kind, **opts)
    total = formulas.count(ns.framework, kind, input_dim=d, units=u, **conv, **opts)
    size_word, unit_word = ("input_dim", "units") if ns.framework == "keras" else ("input_size", "hidden_size")
    out(f"{ns.framework} {kind}: {size_word}={d}, {unit_word}={u}{''.join(f', {k}={v}' for k, v in opts.items())}\n")
    values = ", ".join(f"{sym[v]} = {n}" for v, n in env.items() if v in sym and (v != "p" or n))
    out(f"formula: {f.latex()}  ({values})\n")
    if ns.framework == "keras" and ns.layers > 1:
        stack = _keras_stack(kind, opts, d, u, ns.layers)
        for k, (width, n) in enumerate(stack):
            out(f"layer {k} (input_dim={width}): {n:,}\n")
        out(f"total ({ns.layers} stacked layers): {sum(n for _, n in stack):,}\n")
        out("breakdown of layer 0:\n")
    else:
        out(f"total: {total:,}\n")
    layer_opts = opts
    specs = formulas.weights(ns.framework, kind, **layer_opts)
    name_w = max(len(s.name) for s in specs)
    shapes = {s.name: "(" + ", ".join(str(x.evaluate(env)) for x in s.shape) + ("," if len(s.shape) == 1 else "") + ")"
              for s in specs}
    shape_w = max(len(v) for v in shapes.values())
    num_w = max(len(f"{s.size.evaluate(env):,}") for s in specs)
    out("by weight:\n")
    for s in specs:
        n = s.size.evaluate(env)
        out(f"  {s.name.ljust(name_w)}  {shapes[s.name].ljust(shape_w)}  {f'{n:,}'.rjust(num_w)}  {s.role}\n")
    out("by gate:\n")
    gate_items = [(g, e.evaluate(env), e.latex(sym)) for g, e in f.terms["gates"].items()]
    gate_w = max(len(g) for g, _, _ in gate_items)
    gnum_w = max(len(f"{n:,}") for _, n, _ in gate_items)
    for g, n, tex in gate_items:
        out(f"  {g.ljust(gate_w)}  {f'{n:,}'.rjust(gnum_w)}  = {tex}\n")
    return 0


# ---------------------------------------------------------------------------- summary
def _parse_shape(text: str) -> tuple[int | None, ...]:
    dims: list[int | None] = []
    for part in text.split(","):
        part = part.strip()
        if part.lower() == "none":
            dims.append(None)
            continue
        try:
            value = int(part)
        except ValueError:
            raise UsageError(f"lstm-docs summary: --input must be sizes like 4,2 (or None,2), got {text!r}") from None
        if value < 1:
            raise UsageError(f"lstm-docs summary: --input sizes must be >= 1, got {text!r}")
        dims.append(value)
    return tuple(dims)


def _parse_spec(spec: str, keras: Any) -> Any:
    parts = spec.split(":")
    kind = parts[0].lower()

    def number(i: int, what: str) -> int:
        if len(parts) <= i:
            raise UsageError(f"lstm-docs summary: layer {spec!r} needs {what}, e.g. {kind}:3")
        try:
            value = int(parts[i])
        except ValueError:
            raise UsageError(f"lstm-docs summary: layer {spec!r}: {what} must be a whole number, got {parts[i]!r}") from None
        if value < 1:
            raise UsageError(f"lstm-docs summary: layer {spec!r}: {what} must be >= 1, got {value}")
        return value

    if kind == "dense":
        return keras.layers.Dense(number(1, "units"))
    if kind == "embedding":
        return keras.layers.Embedding(number(1, "a vocabulary size"), number(2, "an output size"))
    classes = {s: k for k in _sequence_kinds() for s in k.spellings("keras")}
    if kind not in classes:
        raise UsageError(f"lstm-docs summary: unknown layer {parts[0]!r} in {spec!r}; use "
                         f"{', '.join(k.names['keras'] for k in _sequence_kinds())}, dense or embedding")
    units = number(1, "units")
    flags = [f for f in (parts[2].split(",") if len(parts) > 2 else []) if f]
    unknown = [f for f in flags if f not in ("seq", "bi", "nobias", "noreset")]
    if unknown:
        raise UsageError(f"lstm-docs summary: unknown option {unknown[0]!r} in {spec!r}; use seq, bi, nobias, noreset")
    kwargs: dict[str, Any] = {"return_sequences": "seq" in flags, "use_bias": "nobias" not in flags}
    if "noreset" in flags:
        if classes[kind] not in kinds.takers("keras", "reset_after"):
            raise UsageError(f"lstm-docs summary: noreset applies to {_takers('keras', 'reset_after')} only, got {spec!r}")
        kwargs["reset_after"] = False
    layer = getattr(keras.layers, classes[kind].classes["keras"])(units, **kwargs)
    return keras.layers.Bidirectional(layer) if "bi" in flags else layer


def summary_command(ns: argparse.Namespace) -> int:
    from lstm_docs import keras

    shape = _parse_shape(ns.input)
    layers = [_parse_spec(spec, keras) for spec in ns.layers]
    model = keras.Sequential([keras.Input(shape), *layers])
    model.summary()
    return 0


# ---------------------------------------------------------------------------- parser
def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="lstm-docs", description="Parameter counts and summaries of LSTM/GRU/RNN layers, "
                                                  "as Keras 3 and PyTorch compute them.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("params", help="count a layer's parameters with the breakdown per weight and gate")
    p.add_argument("kind", choices=_spellings(), help="layer kind")  # read at parser-build time
    p.add_argument("--input-dim", "--input-size", dest="input_dim", type=_size, required=True,
                   help="input features per time step (Keras input_dim, PyTorch input_size)")
    p.add_argument("--units", "--hidden-size", dest="units", type=_size, required=True,
                   help="Keras units = PyTorch hidden_size")
    p.add_argument("--framework", choices=("keras", "pytorch"), default="keras")
    p.add_argument("--bidirectional", action="store_true")
    p.add_argument("--layers", type=_layer_count, default=1,
                   help=f"stacked layers (PyTorch num_layers), 1 to {_validate.LAYERS_MAX}")
    p.add_argument("--no-bias", action="store_true", help="Keras use_bias=False / PyTorch bias=False")
    p.add_argument("--proj-size", type=_projection, default=0, help="PyTorch LSTM proj_size")
    p.add_argument("--kernel-size", type=_kernel_size, default=None,
                   help="Keras ConvLSTM2D kernel_size, ROWSxCOLS (3x3); --input-dim is then the "
                        "input channels, --units the filters")
    p.add_argument("--reset-after", dest="reset_after", action=argparse.BooleanOptionalAction, default=None,
                   help="Keras GRU reset_after (default: on)")
    p.set_defaults(func=params_command)

    s = sub.add_parser("summary", help="print Keras's model.summary() for a small Sequential model",
                       epilog=_summary_help(), formatter_class=argparse.RawDescriptionHelpFormatter)
    s.add_argument("--input", required=True, help="input shape without the batch, e.g. 4,2 (time, features)")
    s.add_argument("layers", nargs="+", metavar="LAYER", help="layer spec, e.g. lstm:3 or gru:4:seq,bi or dense:1")
    s.set_defaults(func=summary_command)

    from lstm_docs.live import commands as live_commands

    live_commands.register(sub)
    from lstm_docs import translations

    translations.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: returns the exit status (2 for bad arguments, with one line on stderr)."""
    parser = build_parser()
    where = "lstm-docs"
    try:
        ns, extra = parser.parse_known_args(argv)
        where = _command_name(ns)  # errors name the subcommand, like argparse's do
        if extra:
            raise UsageError(f"{where}: unrecognized arguments: {' '.join(extra)} (see {where} --help)")
        return int(ns.func(ns) or 0)
    except BrokenPipeError:  # `lstm-docs params ... | head`: the reader left; not an error
        sys.stderr.close()
        return 0
    except UsageError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except ValueError as exc:
        print(f"{where}: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}", file=sys.stderr)
        return 2


def _command_name(ns: argparse.Namespace) -> str:
    """``lstm-docs params``, ``lstm-docs docs check``: the subcommand(s) chosen, for messages."""
    words = ["lstm-docs", ns.command]
    sub = getattr(ns, "docs_command", None) or getattr(ns, "translations_command", None)
    if sub:
        words.append(sub)
    return " ".join(words)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
