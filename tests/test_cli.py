"""``lstm-docs`` command line: counts with breakdowns, summaries, one-line errors (exit 2).
Runs the real console entry point in a subprocess, as a reader would."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from lstm_docs import formulas
from lstm_docs.cli import main

# what real Keras 3.15.1 printed (tests/golden/README.md)
KERAS3_SUMMARY = (Path(__file__).parent / "golden" / "keras3-summary-sequential.txt").read_text(
    encoding="utf-8"
)  # printed by real Keras 3.15.1 for Sequential([Input((4, 2)), LSTM(3)])



def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "lstm_docs", *args], capture_output=True, text=True, timeout=120)


def test_params_keras_lstm_total_and_breakdown():
    done = run("params", "lstm", "--input-dim", "4096", "--units", "256")
    assert done.returncode == 0, done.stderr
    total = formulas.count("keras", "lstm", input_dim=4096, units=256)
    assert f"total: {total:,}\n" in done.stdout
    assert "formula: 4u(d + u + 1)" in done.stdout
    assert "recurrent_kernel  (256, 1024)     262,144  recurrent" in done.stdout
    assert f"  i  {total // 4:,}  = u(d + u + 1)" in done.stdout


def test_params_pytorch_options(capsys):
    assert main(["params", "lstm", "--input-dim", "4096", "--units", "256", "--framework", "pytorch",
                 "--bidirectional", "--layers", "2", "--proj-size", "64", "--no-bias"]) == 0
    out = capsys.readouterr().out
    total = formulas.count("pytorch", "lstm", input_dim=4096, units=256, bidirectional=True, num_layers=2,
                           proj_size=64, bias=False)
    assert f"total: {total:,}\n" in out and "weight_hr_l1_reverse" in out and "bias_ih" not in out


def test_params_keras_stack(capsys):
    assert main(["params", "gru", "--input-dim", "8", "--units", "4", "--layers", "2", "--no-reset-after"]) == 0
    out = capsys.readouterr().out
    first = formulas.count("keras", "gru", input_dim=8, units=4, reset_after=False)
    upper = formulas.count("keras", "gru", input_dim=4, units=4, reset_after=False)
    assert f"total (2 stacked layers): {first + upper:,}" in out


def test_summary_matches_keras_table():
    done = run("summary", "--input", "4,2", "lstm:3")
    assert done.returncode == 0, done.stderr
    assert done.stdout == KERAS3_SUMMARY


@pytest.mark.parametrize("args,message", [
    (["params", "lstm", "--input-dim", "0", "--units", "3"], "--input-dim/--input-size: expected a whole number from 1 to 10^18, got '0'"),
    (["params", "lstm", "--input-dim", "2", "--units", "2.5"], "expected a whole number from 1 to 10^18, got '2.5'"),
    (["params", "lstm", "--units", "3"], "the following arguments are required: --input-dim"),
    (["params", "conv", "--input-dim", "2", "--units", "3"], "invalid choice: 'conv'"),
    (["params", "lstm", "--input-dim", "2", "--units", "3", "--proj-size", "1"], "--proj-size is a PyTorch LSTM option"),
    (["params", "lstm", "--input-dim", "2", "--units", "3", "--framework", "pytorch", "--proj-size", "3"],
     "proj_size must be smaller than hidden_size (3), got 3"),
    (["summary", "--input", "4,x", "lstm:3"], "--input must be sizes like 4,2"),
    (["summary", "--input", "4,2", "lstm:3", "lstm:2"], "expected ndim=3, found ndim=2. Full shape received: (None, 3)"),
    (["summary", "--input", "4,2", "conv:3"], "unknown layer 'conv'"),
    (["frobnicate"], "invalid choice: 'frobnicate'"),
    # every size is bounded (the calculator's limits): no loop, no allocation without end
    (["params", "lstm", "--input-dim", "4", "--units", "3", "--framework", "pytorch", "--layers", "1" + "0" * 30],
     "lstm-docs params: argument --layers: expected a whole number from 1 to 1000, got '1" + "0" * 30 + "'"),
    (["params", "lstm", "--input-dim", "4", "--units", "3", "--layers", "1" + "0" * 30],
     "lstm-docs params: argument --layers: expected a whole number from 1 to 1000"),
    (["params", "lstm", "--input-dim", "1" + "0" * 19, "--units", "3"],
     "lstm-docs params: argument --input-dim/--input-size: expected a whole number from 1 to 10^18"),
    (["params", "lstm", "--input-dim", "4", "--units", "9" * 5000],
     "lstm-docs params: argument --units/--hidden-size: expected a whole number from 1 to 10^18"),
    (["params", "lstm", "--input-dim", "4", "--units", "3", "--framework", "pytorch", "--proj-size", "-1"],
     "lstm-docs params: argument --proj-size: expected a whole number from 0 to 10^18, got '-1'"),
    # options that do not apply to the chosen layer are refused, naming the subcommand
    (["params", "lstm", "--input-dim", "4", "--units", "3", "--reset-after"],
     "lstm-docs params: --reset-after applies to gru or gru_cell only, got lstm"),
    (["params", "simple_rnn", "--input-dim", "4", "--units", "3", "--no-reset-after"],
     "lstm-docs params: --no-reset-after applies to gru or gru_cell only, got simple_rnn"),
    (["params", "gru", "--input-dim", "4", "--units", "3", "--framework", "pytorch", "--reset-after"],
     "lstm-docs params: --reset-after is a Keras GRU option"),
    (["params", "gru", "--input-dim", "4", "--units", "3", "--framework", "pytorch", "--proj-size", "2"],
     "lstm-docs params: --proj-size applies to lstm only, got gru"),
    (["params", "lstm", "--input-dim", "4", "--units", "3", "--frobnicate"],
     "lstm-docs params: unrecognized arguments: --frobnicate"),
    (["summary", "--input", "4,2", "lstm:3", "--frobnicate"], "lstm-docs summary: unrecognized arguments"),
    (["docs", "check", "--frobnicate"], "lstm-docs docs check: unrecognized arguments: --frobnicate"),
])
def test_bad_arguments_one_line_exit_2(args, message):
    done = run(*args)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1 and message in done.stderr, done.stderr


def test_docs_subcommand_is_registered():
    done = run("docs", "--help")
    assert done.returncode == 0 and "update" in done.stdout


def test_the_largest_sizes_are_counted_exactly_and_at_once():
    """At the limits (10^18 per size, 1000 layers) the count is exact and immediate."""
    big = "1" + "0" * 18
    done = run("params", "lstm", "--input-dim", big, "--units", big, "--framework", "pytorch",
               "--layers", "1000", "--bidirectional")
    assert done.returncode == 0, done.stderr
    total = formulas.count("pytorch", "lstm", input_dim=10**18, units=10**18, num_layers=1000,
                           bidirectional=True)
    assert f"total: {total:,}\n" in done.stdout


def test_a_closed_pipe_is_not_an_error():
    done = subprocess.run(f"{sys.executable} -m lstm_docs params lstm --input-dim 4 --units 3 "
                          "--framework pytorch --layers 1000 | head -1", shell=True,
                          capture_output=True, text=True, timeout=120)
    assert done.stdout.startswith("pytorch lstm:") and "Traceback" not in done.stderr
