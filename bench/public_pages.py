"""Bench of a very large action plan, called from ``bench/run.py``:

    from bench.public_pages import bench_large_plan
    bench_large_plan(runs, timed)

Needs the territories imported and Django set up. Builds one throwaway CLS in force with
2,000 fiches actions (``bulk_create``: 10 axes, a carrier, two partners, a public and a theme per
fiche), then times, as an anonymous visitor with the Django test client, every public page that
shows it (the CLS page, first and last page of its actions, its map and flyer; the region page and
map; every open-data file: whole file, and when its first bytes come, as it is streamed), then
the contract document for one of its editors: refused at 2,000 fiches, and produced once (DOCX
and PDF) at the cap, ``reports.contrat.CONTRACT_MAX_FICHES``. Prints the median server time, the SQL query count and
the ratio to the 300 ms target. The CLS is deleted at the end.

Run this section alone (a few tens of seconds): ``.venv/bin/python bench/run.py --only public``.
"""

from __future__ import annotations

import datetime
import statistics
import time

TARGET_S = 0.300
FICHES = 2000
AXES = 10
NAME = "Banc d'essai : plan de 2 000 fiches"


def build_large_plan(*, fiches: int = FICHES, axes: int = AXES, departement=None):
    """A CLS in force with ``fiches`` fiches over ``axes`` axes, written with ``bulk_create``; returns it."""
    from actions.models import Etat, FicheAction, Public, Theme
    from contracts.models import Axe, Cls, Organisation, OrganisationType
    from contracts.services import refresh_derived_dates
    from territories.models import Commune, Departement

    departement = departement or Departement.objects.get(code="51")
    communes = list(Commune.objects.filter(departement=departement).order_by("code")[:40])
    cls = Cls.objects.create(
        nom=NAME,
        departement=departement,
        porteur_commune=communes[0],
        generation="1",
        date_signature=datetime.date(2024, 6, 1),
        date_debut=datetime.date(2024, 6, 1),
        date_fin=datetime.date(2029, 5, 31),
    )
    refresh_derived_dates(cls)
    cls.communes.set(communes)
    organisations = [
        Organisation.objects.get_or_create(nom=f"Banc d'essai : partenaire {n}", type=OrganisationType.ASSOCIATION)[0]
        for n in range(20)
    ]
    public = Public.objects.get_or_create(nom="Banc d'essai : public")[0]
    theme = Theme.objects.get_or_create(nom="Banc d'essai : thème")[0]
    axe_rows = Axe.objects.bulk_create(
        [Axe(cls=cls, numero=n + 1, intitule=f"Axe d'essai {n + 1}") for n in range(axes)]
    )
    per_axe = -(-fiches // axes)
    states = [choice for choice, _label in Etat.choices]
    rows = []
    for number in range(fiches):
        axe, rang = axe_rows[number // per_axe], number % per_axe + 1
        rows.append(
            FicheAction(
                cls=cls,
                axe=axe,
                rang=rang,
                numero=f"{axe.numero}.{rang}",
                titre=f"Action d'essai {number + 1}",
                objectif_general="Réduire les inégalités sociales et territoriales de santé.",
                description="Une action écrite pour le banc d'essai.\nSur deux lignes.",
                porteur=organisations[number % len(organisations)],
                etat=states[number % len(states)],
                debut_prevu=datetime.date(2024, 9, 1),
                fin_prevue=datetime.date(2026, 6, 30),
            )
        )
    created = FicheAction.objects.bulk_create(rows, batch_size=500)
    if created[0].pk is None:  # databases that do not return ids from a bulk insert
        created = list(FicheAction.objects.filter(cls=cls).order_by("pk"))
    links = (
        (FicheAction.partenaires.through, "organisation_id", [o.pk for o in organisations[:2]]),
        (FicheAction.publics.through, "public_id", [public.pk]),
        (FicheAction.themes.through, "theme_id", [theme.pk]),
    )
    for through, column, targets in links:
        through.objects.bulk_create(
            [through(ficheaction_id=fiche.pk, **{column: target}) for fiche in created for target in targets],
            batch_size=2000,
        )
    return cls


def bench_large_plan(runs: int, timed) -> dict[str, tuple[float, int]]:
    from django.test import Client

    from bench.run import analyze_postgres
    from contracts.models import Cls
    from core.models import Role, User
    from reports.contrat import CONTRACT_MAX_FICHES

    print(f"\n7. Public pages of a CLS with {FICHES:,} fiches actions (anonymous visitor)".replace(",", " "))
    cls = Cls.objects.filter(nom=NAME).first() or build_large_plan()
    analyze_postgres()
    region = cls.departement.region.code
    pages = {
        "public CLS page": f"/public/cls/{cls.pk}/",
        "public CLS page, last page of actions": f"/public/cls/{cls.pk}/?page=last",
        "public region page": f"/public/regions/{region}/",
        "region map (GeoJSON)": f"/public/regions/{region}/carte.geojson",
        "CLS perimeter (GeoJSON)": f"/public/cls/{cls.pk}/perimetre.geojson",
        "CLS flyer (PDF)": f"/public/cls/{cls.pk}/affiche.pdf",
        "open data page": "/public/donnees/",
        "open data actions.json": "/public/donnees/actions.json",
        "open data actions.csv": "/public/donnees/actions.csv",
        "open data actions.csv, Excel variant": "/public/donnees/actions.csv?variante=excel",
        "open data actions.schema.json": "/public/donnees/actions.schema.json",
        "open data contrats.json": "/public/donnees/contrats.json",
        "open data contrats.csv": "/public/donnees/contrats.csv",
        "open data structures.csv": "/public/donnees/structures.csv",
        "open data perimetres.geojson": "/public/donnees/perimetres.geojson",
    }
    anonymous = Client()
    figures = _measure(anonymous, pages, runs, timed, target=True)

    editor = User.objects.filter(username="banc.coordination").first() or User.objects.create_user(
        username="banc.coordination", password="x-password-x", role=Role.COORDINATEUR
    )
    cls.coordinateurs.add(editor)
    coordination = Client()
    coordination.force_login(editor)
    print(f"   contract document, for an editor, refused over {CONTRACT_MAX_FICHES} fiches:")
    figures |= _measure(
        coordination,
        {
            f"contract page, {FICHES} fiches (refusal)": f"/cls/{cls.pk}/contrat/",
            f"contract PDF, {FICHES} fiches (refusal)": f"/cls/{cls.pk}/contrat/contrat.pdf",
        },
        runs,
        timed,
        target=False,
        expected=(200, 302),
    )
    keep = list(cls.fiches.order_by("pk").values_list("pk", flat=True)[:CONTRACT_MAX_FICHES])
    cls.fiches.exclude(pk__in=keep).delete()
    for fmt in ("docx", "pdf"):  # one run each: the largest document still produced
        start = time.perf_counter()
        response = coordination.get(f"/cls/{cls.pk}/contrat/contrat.{fmt}")
        seconds = time.perf_counter() - start
        size = len(response.content) / 1024
        print(
            f"   contract {fmt.upper():4}, {CONTRACT_MAX_FICHES} fiches (the cap)  {seconds:7.1f} s   {size:6.0f} KiB"
        )
        figures[f"contract {fmt}, cap"] = (seconds, 0)
    cls.fiches.all().delete()
    cls.delete()
    editor.delete()
    return figures


def _measure(client, pages: dict[str, str], runs: int, timed, *, target: bool, expected=(200,)) -> dict:
    figures = {}
    for label, url in pages.items():
        first_bytes = []

        def get(url=url, first_bytes=first_bytes):
            start = time.perf_counter()
            response = client.get(url)
            if response.status_code not in expected:
                raise SystemExit(f"GET {url} answered {response.status_code}")
            if response.streaming:  # the whole file, as a download reads it; and when its first bytes came
                chunks = iter(response.streaming_content)
                body = [next(chunks, b"")]
                first_bytes.append(time.perf_counter() - start)
                body.extend(chunks)
            return response

        seconds, queries, response = timed(get, runs)
        figures[label] = (seconds, queries)
        line = f"   {label:40} {seconds * 1000:7.0f} ms  {queries:3} SQL queries"
        if first_bytes:
            line += f" (first bytes after {statistics.median(first_bytes) * 1000:4.0f} ms)"
        if target:
            ratio = seconds / TARGET_S
            line += f"   {ratio:4.0%} of the 300 ms target: {'OK' if ratio < 1 else 'OVER TARGET'}"
        else:
            line += f"   (answer {response.status_code})"
        print(line)
    return figures
