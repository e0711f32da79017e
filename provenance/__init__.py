"""provenance: where a news article's text came from, and how much of it is its own."""

from __future__ import annotations

__version__ = "0.1.0"  # before the imports: report/model.py reads it

from .boilerplate import BoilerplateModel, load_model
from .engine import DaskEngine, Engine, LocalEngine
from .errors import InputError, ModelError, ProvenanceError, SettingsError
from .filtering import Policy
from .index import add_documents, open_index
from .ingest import read
from .pipeline import Analysis, Result, analyse, score_corpus
from .settings import Settings, load_settings
from .types import Block, Cleaned, Derivation, DerivationClass, Document, Match, MatchKind, Passage, Score

__all__ = [
    "Analysis", "analyse", "Block", "BoilerplateModel", "Cleaned", "Derivation", "DerivationClass", "Document", "InputError", "Match",
    "MatchKind", "ModelError", "Passage", "ProvenanceError", "Result", "Score", "Settings", "SettingsError",
    "__version__", "load_model", "load_settings", "read", "score_corpus", "Engine", "LocalEngine", "DaskEngine",
    "Policy", "open_index", "add_documents",
]
