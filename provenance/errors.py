"""Errors the CLI maps to exit codes: InputError is per document and never stops a batch."""

from __future__ import annotations


class ProvenanceError(Exception):
    """Base class for errors provenance raises on purpose."""


class InputError(ProvenanceError):
    """One input could not be read; the batch goes on without it."""

    def __init__(self, doc_id: str, reason: str) -> None:
        super().__init__(f"{doc_id}: {reason}")
        self.doc_id = doc_id
        self.reason = reason


class ModelError(ProvenanceError):
    """The boilerplate model file is missing or not one provenance wrote."""


class SettingsError(ProvenanceError):
    """A setting or config file is invalid."""
