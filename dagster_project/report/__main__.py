"""Rebuild the report from the current published marts: `python -m dagster_project.report` (make report)."""

from __future__ import annotations

import sys

from ..settings import WarehousePaths, report_gemeenten
from . import build_report


def main() -> int:
    paths = WarehousePaths.from_env()
    try:
        report = build_report(paths.published_db, paths.loads_db, paths.report_dir, report_gemeenten())
    except FileNotFoundError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"Report: {report.index} ({report.pages} pages, {report.charts} charts, "
          f"publication of run {report.publicatie.run_id})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
