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
    (["params", "lstm", "--input-dim", "0", "--units", "3"], "--input-dim/--input-size: expected a whole number >= 1, got '0'"),
    (["params", "lstm", "--input-dim", "2", "--units", "2.5"], "expected a whole number >= 1, got '2.5'"),
    (["params", "lstm", "--units", "3"], "the following arguments are required: --input-dim"),
    (["params", "conv", "--input-dim", "2", "--units", "3"], "invalid choice: 'conv'"),
    (["params", "lstm", "--input-dim", "2", "--units", "3", "--proj-size", "1"], "--proj-size is a PyTorch LSTM option"),
    (["params", "lstm", "--input-dim", "2", "--units", "3", "--framework", "pytorch", "--proj-size", "3"],
     "proj_size must be smaller than hidden_size (3), got 3"),
    (["summary", "--input", "4,x", "lstm:3"], "--input must be sizes like 4,2"),
    (["summary", "--input", "4,2", "lstm:3", "lstm:2"], "expected ndim=3, found ndim=2. Full shape received: (None, 3)"),
    (["summary", "--input", "4,2", "conv:3"], "unknown layer 'conv'"),
    (["frobnicate"], "invalid choice: 'frobnicate'"),
])
def test_bad_arguments_one_line_exit_2(args, message):
    done = run(*args)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1 and message in done.stderr, done.stderr


def test_docs_subcommand_is_registered():
    done = run("docs", "--help")
    assert done.returncode == 0 and "update" in done.stdout
