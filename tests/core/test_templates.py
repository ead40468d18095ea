"""Markup rules that a page can break without any view test noticing."""

import re
from pathlib import Path

from django.conf import settings

GROUP = re.compile(r'<ul class="(fr-btns-group[^"]*)">(.*?)</ul>', re.S)
ICON_BUTTON = re.compile(r'class="fr-btn[^"]*fr-icon-')


def project_templates():
    for folder in [*settings.TEMPLATES[0]["DIRS"], *Path(settings.BASE_DIR).glob("*/templates")]:
        if ".venv" not in str(folder):
            yield from Path(folder).rglob("*.html")


def test_icon_buttons_in_a_button_group_keep_their_label_visible():
    """In a DSFR button group, a button with an icon shows the icon alone (its text hidden) unless
    the group says where the icon goes: « Supprimer » became an unlabelled square once."""
    offenders = []
    for template in project_templates():
        text = template.read_text()
        for group in GROUP.finditer(text):
            classes, content = group.groups()
            if "fr-header__tools-links" in text[max(0, group.start() - 120) : group.start()]:
                continue  # the header's tool links show icon and text by design
            if ICON_BUTTON.search(content) and not re.search(r"--icon-(left|right)\b", classes):
                line = text[: group.start()].count("\n") + 1
                offenders.append(f"{template.relative_to(settings.BASE_DIR)}:{line}")
    assert offenders == []
