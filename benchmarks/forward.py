"""Forward-pass time of lstm_docs' numpy LSTM vs real PyTorch on the CPU (not a test).

    python benchmarks/forward.py [--repeat 5] [--threads 1]

Same weights in both, float32 PyTorch vs lstm_docs (float64 inside); prints the best of
``--repeat`` runs per size and the largest output difference.
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):  # before numpy: one BLAS thread,
    os.environ.setdefault(_var, "1")  # otherwise a busy 2-core machine makes numpy's timings erratic

import argparse  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

from lstm_docs.pytorch import nn as ours_nn  # noqa: E402

SIZES = [  # (batch, time, input_size, hidden_size)
    (1, 10, 8, 16),
    (32, 50, 64, 128),
    (64, 100, 128, 256),
    (16, 200, 512, 512),
]


def best_of(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--threads", type=int, default=1, help="torch.set_num_threads (numpy uses its BLAS default)")
    args = parser.parse_args()
    import torch

    torch.set_num_threads(args.threads)
    print(f"torch {torch.__version__}, numpy {np.__version__}, torch threads {args.threads}, best of {args.repeat}")
    print(f"{'batch':>5} {'time':>5} {'input':>5} {'hidden':>6} {'lstm_docs ms':>13} {'torch ms':>9} {'ratio':>6} {'max |diff|':>11}")
    for batch, steps, d, h in SIZES:
        real = torch.nn.LSTM(d, h, batch_first=True)
        ours = ours_nn.LSTM(d, h, batch_first=True)
        ours.load_state_dict({k: v.detach().numpy() for k, v in real.state_dict().items()})
        x = np.random.default_rng(0).standard_normal((batch, steps, d)).astype(np.float32)
        xt = torch.from_numpy(x)
        with torch.no_grad():
            t_real = best_of(lambda: real(xt), args.repeat)
            ref = real(xt)[0].numpy()
        t_ours = best_of(lambda: ours(x), args.repeat)
        diff = float(np.abs(np.asarray(ours(x)[0]) - ref).max())
        print(f"{batch:>5} {steps:>5} {d:>5} {h:>6} {t_ours * 1e3:>13.2f} {t_real * 1e3:>9.2f} "
              f"{t_ours / t_real:>6.1f} {diff:>11.1e}")


if __name__ == "__main__":
    main()
