"""``python -m ner_rnn`` and the ``ner-rnn`` script: the command line."""

import os

from . import BLAS_THREADS


def main() -> None:
    # NumPy's BLAS on one thread unless the user says otherwise (read when NumPy is first
    # imported, so set before anything imports it): the matrices of one time step are small,
    # a second thread gains little, and threads that wait for a busy core slow a run down
    # many times over; `tag -w N` uses processes instead (see ner_rnn.stream)
    for key in BLAS_THREADS:
        os.environ.setdefault(key, "1")
    from .cli import main as cli_main

    cli_main()


if __name__ == "__main__":
    main()
