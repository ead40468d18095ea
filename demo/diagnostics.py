"""The Marne demo's diagnostic: the issues (enjeux) the seed documents name, and nothing else.

Figures come from the shipped indicator extract (``manage.py import_indicators``); this module
only records the issues, each with the document it comes from. The seeds do not rank them:
their priority is left at « moyenne » and the description says so. Idempotent.
"""

from __future__ import annotations

from contracts.models import Cls
from diagnostics.models import Enjeu, Indicateur, Priorite, Theme

SEED_000 = "ARS Grand Est, délégation de la Marne : les CLS de la Marne (document source 000)"
SEED_002 = "PETR du Pays d'Épernay Terres de Champagne : signature du CLS (document source 002)"
SEED_004 = "ARS Grand Est : « Les contrats locaux de santé », étape 2, exemples d'enjeux (document source 004)"
NOT_RANKED = "Priorité non précisée par la source."

ENJEUX = {
    "vitry": [
        (
            "Consommation régulière élevée de boissons alcoolisées chez les jeunes de 17 ans",
            "« Au sein du CLS de Vitry le François, la consommation régulière élevée de boissons alcoolisées "
            "chez les jeunes adultes de 17 ans est visée. »",
            Theme.ADDICTIONS,
            Priorite.HAUTE,
            SEED_004,
            [],
        ),
    ],
    "reims3": [
        (
            title,
            f"Thème de l'axe {n} des CLS de Reims, repris pour préparer le CLS 3. {NOT_RANKED}",
            theme,
            Priorite.MOYENNE,
            SEED_000,
            indicators,
        )
        for n, title, theme, indicators in (
            (1, "Environnement favorable à la santé", Theme.ENVIRONNEMENT, []),
            (2, "Accès aux soins et prévention des risques sanitaires", Theme.ACCES_SOINS, ["apl_mg"]),
            (3, "Mise en réseau des acteurs de la santé mentale", Theme.SANTE_MENTALE, []),
            (4, "Promotion, prévention et éducation pour la santé", Theme.PREVENTION, []),
        )
    ],
    "epernay": [
        (
            title,
            f"Un des cinq axes prioritaires du CLS, issus du diagnostic local engagé dès 2022. {NOT_RANKED}",
            theme,
            Priorite.MOYENNE,
            SEED_002,
            indicators,
        )
        for title, theme, indicators in (
            ("Amélioration de l'offre de soins", Theme.ACCES_SOINS, ["apl_mg"]),
            ("Renforcement de l'offre médico-sociale", Theme.MEDICO_SOCIAL, []),
            ("Développement de la prévention", Theme.PREVENTION, []),
            ("Prise en charge de la santé mentale", Theme.SANTE_MENTALE, []),
            ("Promotion de la santé environnementale", Theme.ENVIRONNEMENT, []),
        )
    ],
}


def load_diagnostics_demo(clss: dict[str, Cls]) -> list[Enjeu]:
    """Create or refresh the seed issues of the demo CLS; returns them."""
    indicators = {ind.code: ind for ind in Indicateur.objects.filter(code__in=["apl_mg"])}
    created = []
    for short_name, rows in ENJEUX.items():
        cls = clss.get(short_name)
        if cls is None:
            continue
        for title, description, theme, priority, source, codes in rows:
            enjeu, _ = Enjeu.objects.update_or_create(
                cls=cls,
                titre=title,
                defaults={"description": description, "theme": theme, "priorite": priority, "source": source},
            )
            wanted = [indicators[c] for c in codes if c in indicators]
            if set(enjeu.indicateurs.all()) != set(wanted):
                enjeu.indicateurs.set(wanted)
            created.append(enjeu)
    return created
