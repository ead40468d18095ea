"""SantéLoc reports bench: time and size of the departmental and regional reports.

On a throwaway database (temporary SQLite file, or ``--postgres [URL]`` as ``bench/run.py``):
migrations, the shipped Grand Est territories, the whole Marne demo (``load_demo``); then

- the Marne report at 2023-12-31 and the Grand Est report at the same date: time to gather the
  content (and its SQL queries), to write the DOCX and the PDF, and the download as a user gets
  it (the HTTP request, logged in); size of each file;
- targets: Marne under 5 s, region under 30 s (content + file, per format).

Run: ``.venv/bin/python bench/reports.py`` (``make bench`` runs it after ``bench/run.py``).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.run import DAY, PG_DEFAULT_URL, create_postgres, run_measured, timed, verdict  # noqa: E402

TARGETS = {"departement": 5.0, "region": 30.0}


def kib(size: int) -> str:
    return f"{size / 1024:7.0f} KiB"


def bench_report(client, kind: str, territory, runs: int) -> None:
    from reports.views import RENDERERS

    build, docx, pdf = RENDERERS[kind]
    writers = {"docx": docx, "pdf": pdf}
    target = TARGETS[kind]
    start = time.perf_counter()
    report = build(territory, DAY)
    cold = time.perf_counter() - start
    content_s, queries, report = timed(lambda: build(territory, DAY), runs)
    print(f"   content       {content_s:6.2f} s (median of {runs}; first run {cold:.2f} s), {queries} SQL queries")
    for fmt, write in writers.items():
        write_s, _q, body = timed(lambda write=write: write(report), runs)
        url = f"/rapports/{'departements' if kind == 'departement' else 'regions'}/{territory.code}/rapport.{fmt}"
        url += f"?date={DAY.isoformat()}"

        def download(url=url):
            response = client.get(url)
            if response.status_code != 200:
                sys.exit(f"GET {url} answered {response.status_code}")
            return response

        request_s, _q, response = timed(download, runs)
        total = content_s + write_s
        print(
            f"   {fmt.upper():4} file     {write_s:6.2f} s to write, {kib(len(body))};  "
            f"download {request_s:6.2f} s  target < {target:.0f} s  {verdict(request_s < target and total < target)}"
        )
        if len(response.content) < 1024:
            sys.exit(f"{url}: suspiciously small file ({len(response.content)} bytes)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", nargs="?", const=PG_DEFAULT_URL, metavar="URL", help="run on PostgreSQL")
    parser.add_argument("--runs", type=int, default=3, help="measured runs of each step (default 3)")
    args = parser.parse_args()
    bench_start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="santeloc-bench-reports-") as tmp:
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
        print(f"SantéLoc reports bench — database {db_url} (throwaway), reference date {DAY.isoformat()}\n")
        try:
            for command in (["migrate", "--no-input"], ["import_territories"], ["load_demo"]):
                run_measured(command, env, Path(tmp))
            os.environ.update(env)
            import django

            django.setup()
            from django.test import Client

            from contracts.models import Cls
            from core.models import User
            from territories.models import Departement, Region

            client = Client()
            client.force_login(User.objects.get(username="admin"))
            marne, grand_est = Departement.objects.get(code="51"), Region.objects.get(code="44")
            print(f"   data          Grand Est territories, Marne demo ({Cls.objects.count()} CLS)")
            print(f"\n1. Marne report at {DAY.isoformat()}")
            bench_report(client, "departement", marne, args.runs)
            print(f"\n2. Grand Est report at {DAY.isoformat()} ({grand_est.departements.count()} departments)")
            bench_report(client, "region", grand_est, args.runs)
        finally:
            if "django" in sys.modules:
                from django.db import connections

                connections.close_all()
            drop()
    print(f"\nTotal reports bench time: {time.perf_counter() - bench_start:.1f} s (temporary database removed)")


if __name__ == "__main__":
    main()
