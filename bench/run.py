"""SantéLoc performance bench (``make bench``).

Everything runs on a throwaway database, deleted at the end: a temporary SQLite
file by default, or a PostgreSQL database ``…_bench`` with ``--postgres [URL]``
(created and dropped by the bench). The ambient ``DATABASE_URL`` is ignored on
purpose: the bench writes 1,000 synthetic CLS and drops its database.

1. Whole-France territories import (``manage.py import_territories``, run as a
   subprocess): wall time and peak RSS.
2. ``coverage_by_departement`` for every department at one date, with the
   synthetic national dataset: wall time and SQL query count.
3. Department page and CLS list: server time (median) and SQL query count,
   (a) with the Marne demo only, (b) with the synthetic national dataset.
4. The synthetic national dataset: 1,000 CLS over all departments, perimeters
   of real communes, a seeded mix of milestones.
5. Action plans: import of a 500-action workbook (with funding and indicator
   sheets) and its export (time, peak Python memory via tracemalloc); server
   time and query count of the action-plan page of a CLS with 30 then 300 actions.
6. Territorial diagnostic (``bench/diagnostics_pages.py``): profile of the Grand
   Reims and of a region-wide perimeter, its map, white zones of the region.
7. A CLS with 2,000 fiches actions (``bench/public_pages.py``): its public pages and
   the open data as an anonymous visitor (target 300 ms), and its contract document.

On PostgreSQL the tables are analysed (``ANALYZE``) after each bulk load, before
pages are measured.

Run one section alone with ``--only``: ``.venv/bin/python bench/run.py --only public`` migrates a
throwaway database, imports the same territories as part 1 (whole France when its data is found,
else the shipped Grand Est subset), the Marne demo and the synthetic national dataset (``--cls``),
then runs section 7 only: under a minute instead of the whole bench.

The French COG data is read from ``../shared/data`` (or ``$SANTELOC_SHARED_DATA``);
without it, part 1 is skipped and the rest runs on the shipped Grand Est subset.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).resolve().parent.parent
DAY = datetime.date(2023, 12, 31)
PAGE_RUNS = 5
PG_DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/santeloc_bench"
TARGET_IMPORT_S, TARGET_IMPORT_BYTES = 60, 1024**3
TARGET_COVERAGE_S, TARGET_PAGE_S = 1.0, 0.150
TARGET_PLAN_IMPORT_S = 10.0


def verdict(ok: bool) -> str:
    return "OK" if ok else "OVER TARGET"


def shared_data_dir() -> Path | None:
    for candidate in (REPO.parent / "shared" / "data", os.environ.get("SANTELOC_SHARED_DATA")):
        if candidate and (Path(candidate) / "cog" / "communes.json").is_file():
            return Path(candidate)
    return None


# ---------------------------------------------------------------------------
# Throwaway database


def create_postgres(url: str) -> Callable[[], None]:
    """(Re)create the database of ``url``; return a function that drops it."""
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    if not name.endswith("_bench"):
        sys.exit(f"Refusing to drop and recreate « {name} »: the bench database name must end with _bench.")
    admin_url = urlunsplit(urlsplit(url)._replace(path="/postgres"))

    def run(sql: str) -> None:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(sql)

    run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    run(f'CREATE DATABASE "{name}"')
    return lambda: run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run_measured(args: list[str], env: dict, log_dir: Path) -> tuple[float, int]:
    """Run ``manage.py *args``; return its wall seconds and peak RSS in bytes (that child alone, via wait4)."""
    log = log_dir / f"{args[0]}.log"
    with log.open("w+") as out:
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "manage.py", *args], cwd=REPO, env=env, stdout=out, stderr=out)
        _pid, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed ({proc.returncode}):\n{log.read_text()}")
    return elapsed, usage.ru_maxrss * 1024  # Linux reports KiB


# ---------------------------------------------------------------------------
# 4. Synthetic national dataset


def synthetic_milestones(rng: random.Random) -> dict:
    """Milestones of one CLS; the kind is drawn so that all states occur at DAY."""

    def between(first: datetime.date, last: datetime.date) -> datetime.date:
        return first + datetime.timedelta(days=rng.randint(0, (last - first).days))

    def years_later(start: datetime.date, years: int) -> datetime.date:
        return datetime.date(start.year + years, start.month, min(start.day, 28)) - datetime.timedelta(days=1)

    D, days = datetime.date, datetime.timedelta
    kind = rng.choices(
        ["in_force", "ended", "preparation", "signed", "intention", "abandoned", "future"],
        weights=[45, 15, 20, 5, 7, 5, 3],
    )[0]
    if kind == "in_force":
        debut = between(DAY - days(3 * 365), DAY - days(30))
        return {
            "date_signature": debut - days(rng.randint(0, 90)),
            "date_debut": debut,
            "date_fin": years_later(debut, rng.choice([3, 4, 5])),
        }
    if kind == "ended":
        debut = between(D(2012, 1, 1), D(2018, 6, 30))
        return {
            "date_signature": debut - days(rng.randint(0, 90)),
            "date_debut": debut,
            "date_fin": years_later(debut, rng.choice([3, 4, 5])),
        }
    if kind == "preparation":
        prefiguration = between(DAY - days(2 * 365), DAY - days(1))
        return {
            "date_engagement": prefiguration - days(rng.randint(30, 300)),
            "date_prefiguration": prefiguration,
            "date_elaboration": rng.choice([None, between(prefiguration, DAY)]),
        }
    if kind == "signed":
        signature = between(DAY - days(90), DAY - days(1))
        return {
            "date_prefiguration": signature - days(rng.randint(200, 700)),
            "date_signature": signature,
            "date_debut": DAY + days(rng.randint(1, 180)),
        }
    if kind == "intention":
        return {"date_engagement": between(D(2020, 1, 1), DAY)}
    if kind == "abandoned":
        prefiguration = between(D(2019, 1, 1), D(2022, 6, 30))
        return {"date_prefiguration": prefiguration, "date_abandon": between(prefiguration + days(60), DAY)}
    return {"date_prefiguration": between(DAY + days(1), DAY + days(400))}  # future


def create_synthetic_dataset(count: int, seed: int = 2023) -> int:
    """Bulk-create ``count`` synthetic CLS spread over all departments; return the commune links made."""
    from django.db import transaction

    from contracts.lifecycle import derived_dates
    from contracts.models import Cls, PerimetreElement
    from territories.models import Commune, Departement

    rng = random.Random(seed)
    departements = list(Departement.objects.order_by("code").values_list("id", flat=True))
    communes_of_dep = defaultdict(list)
    for commune_id, dep_id in Commune.objects.order_by("code").values_list("id", "departement_id"):
        communes_of_dep[dep_id].append(commune_id)
    members, epcis_of_dep = defaultdict(list), defaultdict(set)
    links = Commune.epcis.through.objects.order_by("epci_id", "commune_id")
    for epci_id, commune_id, dep_id in links.values_list("epci_id", "commune_id", "commune__departement_id"):
        members[epci_id].append(commune_id)
        epcis_of_dep[dep_id].add(epci_id)

    clss, perimeters = [], []
    for number in range(1, count + 1):
        dep_id = departements[(number - 1) % len(departements)]
        epcis = sorted(epcis_of_dep[dep_id])
        if epcis and rng.random() < 0.7:
            epci_id = rng.choice(epcis)
            porteur, elements, communes = {"porteur_epci_id": epci_id}, [{"epci_id": epci_id}], members[epci_id]
        else:
            communes = rng.sample(communes_of_dep[dep_id], k=min(rng.randint(1, 4), len(communes_of_dep[dep_id])))
            porteur, elements = {"porteur_commune_id": communes[0]}, [{"commune_id": c} for c in communes]
        cls = Cls(
            nom=f"CLS synthétique n°{number}",
            departement_id=dep_id,
            generation=rng.choice(["1", "2", "2+", "3"]),
            **porteur,
            **synthetic_milestones(rng),
        )
        for name, value in derived_dates(cls).items():  # no query: an unsaved CLS has no avenant nor successor
            setattr(cls, name, value)
        clss.append(cls)
        perimeters.append((elements, communes))

    through = Cls.communes.through
    with transaction.atomic():
        Cls.objects.bulk_create(clss, batch_size=500)
        ids = dict(Cls.objects.filter(nom__startswith="CLS synthétique n°").values_list("nom", "id"))
        pairs = [(ids[cls.nom], elements, communes) for cls, (elements, communes) in zip(clss, perimeters, strict=True)]
        PerimetreElement.objects.bulk_create(
            [PerimetreElement(cls_id=cls_id, **element) for cls_id, elements, _c in pairs for element in elements],
            batch_size=2000,
        )
        rows = [through(cls_id=cls_id, commune_id=c) for cls_id, _e, communes in pairs for c in set(communes)]
        through.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


# ---------------------------------------------------------------------------
# Measures


def timed(function, runs: int) -> tuple[float, int, object]:
    """Warm up once, then (median seconds, max SQL query count, last result) over ``runs`` calls."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    function()
    seconds, counts = [], []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            result = function()
            seconds.append(time.perf_counter() - start)
        counts.append(len(queries.captured_queries))
    return statistics.median(seconds), max(counts), result


def measure_pages(client, runs: int) -> dict[str, tuple[float, int]]:
    figures = {}
    for label, url in (("department page", "/departements/51/?date=2023-12-31"), ("CLS list", "/cls/")):

        def get(url=url):
            response = client.get(url)
            if response.status_code != 200:
                sys.exit(f"GET {url} answered {response.status_code}")
            return response

        seconds, queries, _response = timed(get, runs)
        figures[f"{label} {url}"] = (seconds, queries)
    return figures


def analyze_postgres() -> None:
    """On PostgreSQL, give the planner statistics on the tables just bulk-loaded: a running database has
    them (autovacuum), a throwaway one measured right after loading has not, and gets plans no user sees."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--postgres",
        nargs="?",
        const=PG_DEFAULT_URL,
        metavar="URL",
        help=f"run on PostgreSQL (default {PG_DEFAULT_URL}); dropped and recreated",
    )
    parser.add_argument("--cls", type=int, default=1000, help="number of synthetic CLS (default 1000)")
    parser.add_argument("--runs", type=int, default=PAGE_RUNS, help=f"measured runs per page (default {PAGE_RUNS})")
    parser.add_argument(
        "--only",
        choices=sorted(SECTIONS),
        help="run one section alone, after the territories, the Marne demo and the synthetic CLS only "
        "(public: section 7, the public pages of a 2,000-action CLS)",
    )
    args = parser.parse_args()
    bench_start = time.perf_counter()

    with tempfile.TemporaryDirectory(prefix="santeloc-bench-") as tmp:
        if args.postgres:
            db_url, drop = args.postgres, create_postgres(args.postgres)
        else:
            db_url, drop = f"sqlite:///{tmp}/bench.sqlite3", lambda: None
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "santeloc.settings",
            "DEBUG": "true",
            "DATABASE_URL": db_url,
            "ALLOWED_HOSTS": "testserver,localhost,127.0.0.1",
        }
        print(f"SantéLoc bench — database {db_url} (throwaway), reference date {DAY.isoformat()}\n")
        try:
            (SECTIONS[args.only] if args.only else run_bench)(args, env, Path(tmp))
        finally:
            if "django" in sys.modules:
                from django.db import connections

                connections.close_all()
            drop()
    print(f"\nTotal bench time: {time.perf_counter() - bench_start:.1f} s (temporary database removed)")


def setup_django(env: dict) -> None:
    os.environ.update(env)
    sys.path.insert(0, str(REPO))
    import django

    django.setup()


def run_public_section(args, env: dict, tmp: Path) -> None:
    """Section 7 alone: shipped territories, the Marne demo, then the public pages of a 2,000-action CLS."""
    run_measured(["migrate", "--no-input"], env, tmp)
    source = shared_data_dir()
    seconds, _rss = run_measured(["import_territories", *([str(source)] if source else [])], env, tmp)
    print(f"Territories: {source or 'shipped Grand Est subset'} (imported in {seconds:.0f} s)")
    setup_django(env)
    from bench.public_pages import bench_large_plan
    from demo.marne import create_demo_accounts, load_marne_demo

    create_demo_accounts(load_marne_demo())
    create_synthetic_dataset(args.cls)
    analyze_postgres()
    bench_large_plan(args.runs, timed)


SECTIONS = {"public": run_public_section}


def run_bench(args, env: dict, tmp: Path) -> None:
    run_measured(["migrate", "--no-input"], env, tmp)
    source = shared_data_dir()
    print("1. Territories import")
    if source is None:
        print("   SKIPPED: no whole-France data (../shared/data or $SANTELOC_SHARED_DATA with cog/communes.json).")
        print("   Parts 2-3 run on the shipped Grand Est territories instead (not national scale).")
        run_measured(["import_territories"], env, tmp)
    else:
        seconds, rss = run_measured(["import_territories", str(source)], env, tmp)
        print(f"   source       {source}")
        print(f"   wall time    {seconds:7.1f} s    target < 60 s    {verdict(seconds < TARGET_IMPORT_S)}")
        print(f"   peak RSS     {rss / 1024**2:7.0f} MiB  target < 1 GiB   {verdict(rss < TARGET_IMPORT_BYTES)}")

    setup_django(env)
    from django.test import Client

    from contracts.coverage import coverage_by_departement
    from contracts.lifecycle import etat_at
    from contracts.models import Cls
    from core.models import User
    from demo.marne import create_demo_accounts, load_marne_demo
    from territories.models import Commune, Departement, Epci

    print(
        f"   imported     {Departement.objects.count()} departments, {Epci.objects.count()} EPCI, "
        f"{Commune.objects.count()} communes"
    )

    create_demo_accounts(load_marne_demo())
    client = Client()
    client.force_login(User.objects.get(username="admin"))
    demo_count = Cls.objects.count()
    demo_pages = measure_pages(client, args.runs)

    print(f"\n4. Synthetic national dataset ({args.cls} CLS)")
    start = time.perf_counter()
    links = create_synthetic_dataset(args.cls)
    print(f"   created in   {time.perf_counter() - start:7.2f} s  ({links} commune links)")
    states = Counter(etat_at(cls, DAY) for cls in Cls.objects.filter(nom__startswith="CLS synthétique"))
    states = {(etat.label if etat else "no milestone reached yet"): n for etat, n in states.most_common()}
    print(f"   states at {DAY.isoformat()}: " + ", ".join(f"{label} {n}" for label, n in states.items()))

    print(f"\n2. Coverage of every department at {DAY.isoformat()} ({Cls.objects.count()} CLS)")
    seconds, queries, rows = timed(lambda: coverage_by_departement(DAY), args.runs)
    covered = sum(row.population_couverte_en_vigueur for row in rows)
    total = sum(row.population_totale for row in rows) or 1
    print(f"   {len(rows)} departments, {covered / total:.1%} of the population covered by a CLS in force")
    print(
        f"   wall time    {ms(seconds)}  (median of {args.runs})  target < 1 s   {verdict(seconds < TARGET_COVERAGE_S)}"
    )
    print(f"   SQL queries  {queries}")

    national_count = Cls.objects.count()
    analyze_postgres()
    national_pages = measure_pages(client, args.runs)
    print(f"\n3. Pages, logged in as superuser (median of {args.runs} runs after one warm-up)")
    print(f"   {'':44} {'(a) demo':>10} {'(b) national':>13}")
    print(f"   {'CLS in database':44} {demo_count:>10} {national_count:>13}")
    for page, (demo_s, demo_q) in demo_pages.items():
        nat_s, nat_q = national_pages[page]
        constant = "constant" if demo_q == nat_q else "GROWS WITH DATA"
        print(f"   {page}")
        print(f"   {'  SQL queries':44} {demo_q:>10} {nat_q:>13}   {constant}")
        print(
            f"   {'  server time':44} {ms(demo_s):>10} {ms(nat_s):>13}   "
            f"target < 150 ms: {verdict(nat_s < TARGET_PAGE_S)}"
        )

    bench_action_plans(client, args.runs)
    from bench.diagnostics_pages import bench_diagnostics

    bench_diagnostics(client, args.runs, timed)
    from bench.public_pages import bench_large_plan

    bench_large_plan(args.runs, timed)


# ---------------------------------------------------------------------------
# 5. Action plans


def synthetic_plan_workbook(cls, count: int, seed: int = 2024):
    """A workbook in the import format: ``count`` actions spread over the axes of ``cls``."""
    import io

    from openpyxl import load_workbook

    from actions import spreadsheet
    from actions.models import axe_prefix

    rng = random.Random(seed)
    book = load_workbook(io.BytesIO(spreadsheet.blank_workbook()))
    prefixes = [axe_prefix(axe) for axe in cls.axes.all()]
    funders = ["ARS Grand Est", "CPAM de la Marne", "Région Grand Est", "CAF de la Marne"]
    states = ["À lancer", "En cours", "En retard", "En pause", "Réalisée", ""]
    for number in range(count):
        numero = f"{prefixes[number % len(prefixes)]}.{number // len(prefixes) + 1}"
        start = datetime.date(2023, 1, 1) + datetime.timedelta(days=rng.randint(0, 700))
        row = {
            "Numéro": numero,
            "Intitulé": f"Action synthétique {number + 1}",
            "Objectif général": "Réduire les inégalités de santé.",
            "Porteur": rng.choice(funders),
            "Partenaires": " ; ".join(rng.sample(funders, 2)),
            "Publics": "Population générale ; Personnes âgées",
            "Thèmes": "Prévention et promotion de la santé",
            "État": rng.choice(states),
            "Début prévu": start,
            "Fin prévue": start + datetime.timedelta(days=rng.randint(30, 900)),
        }
        headers = [cell.value for cell in book["Actions"][1]]
        book["Actions"].append([row.get(header) for header in headers])
        for year in (2023, 2024):
            amount = f"{rng.randint(500, 90000)},{rng.randint(0, 99):02d}"
            book["Financements"].append([numero, rng.choice(funders), year, amount, "Fonctionnement", "Acquis"])
        book["Indicateurs — mesures"].append(
            [numero, "Personnes touchées", "Résultat", "personnes", "non", 0, 100, None, 2024, "", rng.randint(0, 120)]
        )
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


def bench_action_plans(client, runs: int) -> None:
    import io
    import tracemalloc

    from actions import spreadsheet
    from contracts.models import Cls

    argonne = Cls.objects.get(nom="Contrat local de santé de l'Argonne Champenoise")
    chalons = Cls.objects.get(nom="Contrat local de santé de Châlons-en-Champagne", generation="1")
    epernay = Cls.objects.get(nom="Contrat local de santé du Pays d'Épernay Terres de Champagne")
    print("\n5. Action plans (500 actions, 1,000 funding lines, 500 indicators with a measure)")

    def measured(function, cls):
        """Wall time of a first run on ``cls``; then peak Python memory of the same run on a twin CLS."""
        start = time.perf_counter()
        result = function(argonne)
        seconds = time.perf_counter() - start
        tracemalloc.start()
        function(cls)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return seconds, peak, result

    def do_import(cls):
        result = spreadsheet.import_workbook(cls, synthetic_plan_workbook(cls, 500))
        if result.errors:
            sys.exit("Synthetic workbook refused:\n" + "\n".join(result.errors[:20]))
        return result

    seconds, peak, result = measured(do_import, chalons)
    print(
        f"   import       {seconds:7.2f} s   peak {peak / 1024**2:5.1f} MiB (tracemalloc)   "
        f"target < 10 s  {verdict(seconds < TARGET_PLAN_IMPORT_S)}"
    )
    print(f"   {result.summary()}")
    seconds, peak, data = measured(spreadsheet.export_workbook, chalons)
    print(f"   export       {seconds:7.2f} s   peak {peak / 1024**2:5.1f} MiB   ({len(data) / 1024:.0f} KiB)")
    start = time.perf_counter()
    again = spreadsheet.import_workbook(argonne, io.BytesIO(spreadsheet.export_workbook(argonne)))
    print(f"   re-import of the export {time.perf_counter() - start:5.2f} s   {again.summary()}")

    figures = []
    for count in (30, 300):
        spreadsheet.import_workbook(epernay, synthetic_plan_workbook(epernay, count))
        analyze_postgres()
        url = f"/cls/{epernay.pk}/plan/"

        def get(url=url):
            response = client.get(url)
            if response.status_code != 200:
                sys.exit(f"GET {url} answered {response.status_code}")
            return response

        page_s, queries, _response = timed(get, runs)
        figures.append((count, page_s, queries))
    url = f"/cls/{epernay.pk}/plan/?vue=calendrier"
    calendar_s, calendar_q, _response = timed(lambda: client.get(url), runs)
    constant = "constant" if figures[0][2] == figures[1][2] else "GROWS WITH DATA"
    for count, page_s, queries in figures:
        print(
            f"   plan page, {count:3} actions  {ms(page_s)}   {queries} SQL queries   "
            f"target < 150 ms: {verdict(page_s < TARGET_PAGE_S)}"
        )
    print(f"   calendar view, 300 actions {ms(calendar_s)}   {calendar_q} SQL queries")
    print(f"   query count {constant}")


if __name__ == "__main__":
    main()
