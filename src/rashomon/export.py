"""Export an Analysis to open formats.

- json: one object following ``analysis.schema.json`` (documents, actors, mentions, places,
  events, claims, relations, incidents; plus dates and duplicates);
- jsonl: one record per line, each with a ``table`` field (documents, actors, mentions, ...);
- csv, parquet: a folder with one file per table; nested values are JSON text in CSV;
- relations-csv, graphml, gexf (for Gephi), gdelt-tsv: see ``graph_export``.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from . import graph_export
from .types import Analysis

TABLE_FORMATS = ("json", "jsonl", "csv", "parquet")
FORMATS = TABLE_FORMATS + graph_export.FORMATS
TABLES = ("documents", "actors", "mentions", "places", "dates", "events", "claims",
          "relations", "duplicates", "incidents")


class ExportError(Exception):
    pass


def export(analysis: Analysis, fmt: str, output: str | Path) -> Path:
    """Write ``analysis`` as ``fmt`` to ``output`` (a folder for csv and parquet, else a file)."""
    output = Path(output)
    if fmt in graph_export.FORMATS:
        return graph_export.export_graph(analysis, fmt, output)
    data = analysis.to_dict()
    if fmt == "json":
        _write_text(output, json.dumps(data, ensure_ascii=False, indent=1))
    elif fmt == "jsonl":
        lines = (json.dumps({"table": table, **row}, ensure_ascii=False)
                 for table in TABLES for row in data[table])
        _write_text(output, "".join(line + "\n" for line in lines))
    elif fmt in ("csv", "parquet"):
        output.mkdir(parents=True, exist_ok=True)
        for table in TABLES:
            rows = [_flatten(r) for r in data[table]]
            if fmt == "csv":
                _write_csv(output / f"{table}.csv", rows)
            else:
                _write_parquet(output / f"{table}.parquet", rows)
    else:
        raise ExportError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return output


def _write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)  # never leave a half-written export behind


def _flatten(row: dict[str, Any]) -> dict[str, Any]:
    return {k: json.dumps(v, ensure_ascii=False) if isinstance(v, (dict, list)) else v
            for k, v in row.items()}


def _write_csv(path: Path, rows: list[dict[str, Any]]) -> None:
    fields: list[str] = []
    for row in rows:
        fields += [k for k in row if k not in fields]
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)


def _write_parquet(path: Path, rows: list[dict[str, Any]]) -> None:
    import duckdb

    con = duckdb.connect()
    try:
        if not rows:
            con.execute(f"COPY (SELECT NULL::VARCHAR AS empty WHERE false) TO {_sql_str(path)} "
                        "(FORMAT parquet)")
            return
        fields: list[str] = []
        for row in rows:
            fields += [k for k in row if k not in fields]
        tmp = path.with_suffix(".jsonl.tmp")
        tmp.write_text("".join(json.dumps({f: row.get(f) for f in fields}, ensure_ascii=False)
                               + "\n" for row in rows), encoding="utf-8")
        con.execute(f"COPY (SELECT * FROM read_json_auto({_sql_str(tmp)})) "
                    f"TO {_sql_str(path)} (FORMAT parquet)")
        tmp.unlink()
    finally:
        con.close()


def _sql_str(path: Path) -> str:
    """A path as an SQL string literal (COPY takes no bound parameters)."""
    return "'" + str(path).replace("'", "''") + "'"
