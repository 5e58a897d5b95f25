from .aid import AidProgram, Participation
from .base import Currency, Precision, Publishable, ReviewState
from .citation import Citation, Claim, Disagreement
from .conference import Conference
from .event import Event
from .organization import Organization, Province
from .source import Source

__all__ = [
    "AidProgram",
    "Citation",
    "Claim",
    "Conference",
    "Currency",
    "Disagreement",
    "Event",
    "Organization",
    "Participation",
    "Precision",
    "Province",
    "Publishable",
    "ReviewState",
    "Source",
]
