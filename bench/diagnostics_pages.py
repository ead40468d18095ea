"""Bench of the territorial diagnostic, called from ``bench/run.py``:

    from bench.diagnostics import bench_diagnostics
    bench_diagnostics(client, args.runs, timed)

Needs the territories imported and Django set up. Imports the shipped indicator extract
(``data/indicateurs``) if it is not there yet, builds a throwaway CLS whose perimeter is every
commune of the Grand Est (the largest perimeter the data allows), then measures its diagnostic
page and map, and the white zones of the region and of the Marne (server time, SQL queries).
"""

from __future__ import annotations

import time

TARGET_S = 0.300


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:7.0f} ms"


def bench_diagnostics(client, runs: int, timed) -> dict[str, tuple[float, int]]:
    from django.core.management import call_command

    from contracts.models import Cls
    from diagnostics.models import Valeur
    from territories.models import Commune, Departement

    print("\n6. Territorial diagnostic")
    if not Valeur.objects.exists():
        start = time.perf_counter()
        call_command("import_indicators", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
        print(f"   indicators import (shipped extract)  {time.perf_counter() - start:6.1f} s")
    region_communes = Commune.objects.filter(departement__region__code="44")
    largest = Cls.objects.filter(nom="Banc d'essai : périmètre régional").first()
    if largest is None:
        marne = Departement.objects.get(code="51")
        largest = Cls.objects.create(
            nom="Banc d'essai : périmètre régional",
            departement=marne,
            porteur_commune=Commune.objects.get(code="51454"),
            generation="1",
        )
        largest.communes.set(region_communes)
    urls = {}
    epernay = Cls.objects.filter(nom__contains="Pays d'Épernay").first()
    if epernay is not None:
        urls[f"diagnostic, Épernay ({epernay.communes.count()} communes)"] = f"/cls/{epernay.pk}/diagnostic/"
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

        seconds, queries, _response = timed(get, runs)
        figures[label] = (seconds, queries)
        ok = "OK" if seconds < TARGET_S else "OVER TARGET"
        print(f"   {label:38} {_ms(seconds)}  {queries:3} SQL queries   target < 300 ms: {ok}")
    largest.delete()
    return figures
