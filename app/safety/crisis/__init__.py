"""Crisis detection on post text, and the help-now resources shown when it fires.

The rules live in data/crisis_rules.toml (its header explains how they are read); this package is
the engine. A rule's pattern finds a candidate, then the context around it decides: whose words
they are (the writer's or someone else's), whether they are negated, hypothetical, figurative,
or about a time long past. Anything not clearly ruled out stays flagged: a missed crisis costs
far more than a moderator glancing at a post that was fine.

patterns.py reads what each compiled pattern needs to be run fast, rules.py loads the rules,
text.py holds one post and its context checks, detect.py finds and judges candidates, and
resources.py loads the help-now resources.
"""

from app.safety.crisis.detect import RULES_VERSION, CrisisSignal, detect_crisis
from app.safety.crisis.resources import RESOURCES_FILE, HelpResource, load_resources
from app.safety.crisis.rules import KINDS, RULES_FILE, load_rules

__all__ = [
    "KINDS",
    "RESOURCES_FILE",
    "RULES_FILE",
    "RULES_VERSION",
    "CrisisSignal",
    "HelpResource",
    "detect_crisis",
    "load_resources",
    "load_rules",
]
