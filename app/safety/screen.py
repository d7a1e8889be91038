"""The one screening pass every write path and the preview endpoint use."""

from dataclasses import dataclass

from app.safety.crisis import CrisisSignal, detect_crisis
from app.safety.pii import Redaction, redact
from app.safety.stigma import StigmaMatch, find_stigma


@dataclass(frozen=True, slots=True)
class Screening:
    stigma: list[StigmaMatch]
    crisis: list[CrisisSignal]
    redactions: list[Redaction]
    redacted_text: str

    @property
    def is_crisis(self) -> bool:
        return bool(self.crisis)


def screen(text: str) -> Screening:
    """Stigma and crisis are judged on the words as written; offsets refer to that text."""
    redacted_text, redactions = redact(text)
    return Screening(find_stigma(text), detect_crisis(text), redactions, redacted_text)
