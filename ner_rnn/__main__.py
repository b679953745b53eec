"""``python -m ner_rnn`` runs the command line."""

from .cli import main

main()
