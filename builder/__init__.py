"""deckbuilder: curated question/answer YAML in, checked Anki decks out."""

__version__ = "0.3.0"
