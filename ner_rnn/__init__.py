"""ner-rnn: find person names in text with a recurrent network written in NumPy."""

__version__ = "0.1.0"
