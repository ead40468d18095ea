"""Bench of the territorial diagnostic, called from ``bench/run.py``:

    from bench.diagnostics_pages import bench_diagnostics
    bench_diagnostics(client, args.runs, timed)

Needs the territories imported and Django set up. Imports the shipped indicator extract
(``data/indicateurs``) if it is not there yet, builds two throwaway CLS, one on the communes of
the CU du Grand Reims (the largest real perimeter) and one on every commune of the Grand Est
(the largest perimeter the data allows), then measures their diagnostic page, the map of the
region-wide one, and the white zones of the region and of the Marne (server time, SQL queries):
the first view after the cache is emptied (as after an import), then the median of the next ones.

On PostgreSQL the tables are analysed first (``ANALYZE``): they have just been bulk-loaded, and
until autovacuum passes the planner has no statistics, which no running database lacks.
"""

from __future__ import annotations

import io
import time

TARGET_S = 0.300


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:7.0f} ms"


def bench_diagnostics(client, runs: int, timed) -> dict[str, tuple[float, int]]:
    from django.core.cache import cache
    from django.core.management import call_command

    from bench.run import analyze_postgres
    from contracts.models import Cls
    from diagnostics.models import Valeur
    from territories.models import Commune, Departement, Epci

    print("\n6. Territorial diagnostic")
    if not Valeur.objects.exists():
        start = time.perf_counter()
        call_command("import_indicators", verbosity=0, stdout=io.StringIO())
        print(f"   indicators import (shipped extract)  {time.perf_counter() - start:6.1f} s")
    region_communes = Commune.objects.filter(departement__region__code="44")
    marne = Departement.objects.get(code="51")
    grand_reims = Epci.objects.filter(nom__icontains="Grand Reims").first()
    bench_cls = {}
    for name, communes in (
        ("Banc d'essai : CU du Grand Reims", grand_reims.communes.all() if grand_reims else None),
        ("Banc d'essai : périmètre régional", region_communes),
    ):
        if communes is None:
            continue
        cls = Cls.objects.filter(nom=name).first()
        if cls is None:
            cls = Cls.objects.create(
                nom=name, departement=marne, porteur_commune=Commune.objects.get(code="51454"), generation="1"
            )
            cls.communes.set(communes)
        bench_cls[name] = cls
    largest = bench_cls["Banc d'essai : périmètre régional"]
    analyze_postgres()
    urls = {}
    epernay = Cls.objects.filter(nom__contains="Pays d'Épernay").first()
    if epernay is not None:
        urls[f"diagnostic, Épernay ({epernay.communes.count()} communes)"] = f"/cls/{epernay.pk}/diagnostic/"
    if "Banc d'essai : CU du Grand Reims" in bench_cls:
        reims = bench_cls["Banc d'essai : CU du Grand Reims"]
        urls[f"diagnostic, Grand Reims ({reims.communes.count()} communes)"] = f"/cls/{reims.pk}/diagnostic/"
    urls |= {
        f"diagnostic, {region_communes.count()} communes": f"/cls/{largest.pk}/diagnostic/",
        "diagnostic map (GeoJSON)": f"/cls/{largest.pk}/diagnostic/carte.geojson?indicateur=apl_mg",
        "white zones, region 44": "/regions/44/zones-blanches/?date=2023-12-31",
        "white zones, Marne": "/departements/51/zones-blanches/?date=2023-12-31",
        "white zones CSV, region 44": "/regions/44/zones-blanches/?date=2023-12-31&format=csv",
    }
    figures = {}
    for label, url in urls.items():

        def get(url=url):
            response = client.get(url)
            if response.status_code != 200:
                raise SystemExit(f"GET {url} answered {response.status_code}")
            return response

        cache.clear()
        start = time.perf_counter()
        get()
        first = time.perf_counter() - start
        seconds, queries, _response = timed(get, runs)
        figures[label] = (seconds, queries)
        ok = "OK" if seconds < TARGET_S else "OVER TARGET"
        print(
            f"   {label:38} {_ms(seconds)}  {queries:3} SQL queries   target < 300 ms: {ok}"
            f"   (first view after a cache reset: {_ms(first)})"
        )
    for cls in bench_cls.values():
        cls.delete()
    return figures
