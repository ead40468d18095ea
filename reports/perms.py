"""Who may ask for what in the reports app."""

from __future__ import annotations

from contracts.models import Cls


def can_get_contract_document(user, cls: Cls) -> bool:
    """The contract document (every fiche annexed, to be signed) is for the people who may edit the
    CLS: its coordination and the ARS in charge of it. Readers have the CLS page and its plan."""
    return cls.can_edit(user)
