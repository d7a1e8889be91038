"""Finds stigmatising wording in a post and offers a respectful alternative.

The rules are data (data/stigma_lexicon.toml), compiled once at import (lexicon.py). context.py
adds the context policy every rule shares: quoted or reported words ("they called me a psycho",
"... - that's what my dad said"), named words ("the word 'psycho'"), a denied label ("he's
not a psycho", but not "I'm an addict but not a junkie"), rebuttals ("it's a myth that ...")
and, where a rule allows it, the writer describing themself are not flagged. Names of films,
games and books, and a sentence about an institution's history, are not uses either.
detect.py finds the candidates and applies that policy.
"""

from app.safety.stigma.detect import StigmaMatch, find_stigma
from app.safety.stigma.lexicon import LEXICON_PATH, LEXICON_VERSION

__all__ = ["LEXICON_PATH", "LEXICON_VERSION", "StigmaMatch", "find_stigma"]
