"""Sections that other apps add to the CLS page.

The action plan, the diagnostic and the care offer each show a short section on
a CLS's page. They register it here from their ``AppConfig.ready()``, so that
``contracts`` does not import the apps built on top of it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from contracts.models import Cls


@dataclass(frozen=True)
class ClsSection:
    order: int
    template: str
    context: Callable[[Cls, object], dict]


@dataclass(frozen=True)
class RenderedSection:
    template: str
    data: dict


_sections: list[ClsSection] = []


def register(section: ClsSection) -> None:
    if section.template not in {s.template for s in _sections}:
        _sections.append(section)
        _sections.sort(key=lambda s: s.order)


def for_cls(cls: Cls, user) -> list[RenderedSection]:
    return [RenderedSection(section.template, section.context(cls, user)) for section in _sections]
