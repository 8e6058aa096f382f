"""Export an Analysis to open formats.

- json: one object following ``analysis.schema.json`` (documents, actors, mentions, places,
  events, claims, relations, incidents; plus dates and duplicates);
- jsonl: one record per line, each with a ``table`` field (documents, actors, mentions, ...);
- csv, parquet: a folder with one file per table, each with its header even when empty;
  nested values are JSON text in CSV and nested types (structs, lists) in Parquet;
- relations-csv, graphml, gexf (for Gephi), gdelt-tsv: see ``graph_export``.

Exports are safe to open: NaN and infinities (which JSON cannot hold) are written as null;
a CSV or TSV cell that a spreadsheet would evaluate as a formula gets a leading ``'``
unless ``raw_cells`` is set (``cells.py``); XML never holds a character XML 1.0 forbids.
"""

from __future__ import annotations

import csv
import dataclasses
import json
from pathlib import Path
from typing import Any

from . import graph_export
from .cells import finite, safe_cell
from .types import (
    Actor,
    Analysis,
    Claim,
    DateMention,
    Document,
    Event,
    Incident,
    Mention,
    Place,
    Relation,
)

TABLE_FORMATS = ("json", "jsonl", "csv", "parquet")
FORMATS = TABLE_FORMATS + graph_export.FORMATS
TABLES = ("documents", "actors", "mentions", "places", "dates", "events", "claims",
          "relations", "duplicates", "incidents")


# The columns of each table, for the header of a table with no rows.
_EMPTY_ROWS = {
    "documents": lambda: Document(id="", text="").to_dict(),
    "actors": lambda: Actor(id="", name="", kind="").to_dict(),
    "duplicates": lambda: dict.fromkeys(("id", "duplicate_of", "kind", "source")),
}
_ROW_TYPES = {"mentions": Mention, "places": Place, "dates": DateMention, "events": Event,
              "claims": Claim, "relations": Relation, "incidents": Incident}


class ExportError(Exception):
    pass


def export(analysis: Analysis, fmt: str, output: str | Path, raw_cells: bool = False) -> Path:
    """Write ``analysis`` as ``fmt`` to ``output`` (a folder for csv and parquet, else a file).

    ``raw_cells``: CSV and TSV cells are written as they are, formulas included.
    """
    output = Path(output)
    if fmt in graph_export.FORMATS:
        return graph_export.export_graph(analysis, fmt, output, raw_cells=raw_cells)
    data = finite(analysis.to_dict())
    if fmt == "json":
        _write_text(output, json.dumps(data, ensure_ascii=False, indent=1, allow_nan=False))
    elif fmt == "jsonl":
        lines = (json.dumps({"table": table, **row}, ensure_ascii=False, allow_nan=False)
                 for table in TABLES for row in data[table])
        _write_text(output, "".join(line + "\n" for line in lines))
    elif fmt in ("csv", "parquet"):
        output.mkdir(parents=True, exist_ok=True)
        for table in TABLES:
            if fmt == "csv":
                rows = [_flatten(r) for r in data[table]]
                _write_csv(output / f"{table}.csv", rows, columns(table), raw_cells)
            else:
                _write_parquet(output / f"{table}.parquet", data[table], columns(table))
    else:
        raise ExportError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return output


def _write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)  # never leave a half-written export behind


def columns(table: str) -> list[str]:
    """The columns a table has, rows or not."""
    if table in _EMPTY_ROWS:
        return list(_EMPTY_ROWS[table]())
    return [f.name for f in dataclasses.fields(_ROW_TYPES[table])]


def _flatten(row: dict[str, Any]) -> dict[str, Any]:
    return {k: json.dumps(v, ensure_ascii=False) if isinstance(v, (dict, list)) else v
            for k, v in row.items()}


def _fields(rows: list[dict[str, Any]], known: list[str]) -> list[str]:
    fields = list(known)
    for row in rows:
        fields += [k for k in row if k not in fields]
    return fields


def _write_csv(path: Path, rows: list[dict[str, Any]], known: list[str],
               raw_cells: bool) -> None:
    fields = _fields(rows, known)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields)
        writer.writeheader()
        for row in rows:
            writer.writerow(row if raw_cells else {k: safe_cell(v) for k, v in row.items()})


def _write_parquet(path: Path, rows: list[dict[str, Any]], known: list[str]) -> None:
    """Nested values stay nested: DuckDB reads the rows as JSON, inferring structs and
    lists; a column whose values disagree in shape is kept as JSON text."""
    import duckdb

    con = duckdb.connect()
    fields = _fields(rows, known)
    tmp = path.with_suffix(".jsonl.tmp")
    try:
        if not rows:
            empty = ", ".join(f"NULL::VARCHAR AS {_sql_name(f)}" for f in fields)
            con.execute(f"COPY (SELECT {empty} WHERE false) TO {_sql_str(path)} "
                        "(FORMAT parquet)")
            return
        tmp.write_text("".join(json.dumps({f: row.get(f) for f in fields}, ensure_ascii=False,
                                          allow_nan=False) + "\n" for row in rows),
                       encoding="utf-8")
        source = f"read_json_auto({_sql_str(tmp)}, maximum_depth=-1, sample_size=-1)"
        try:
            con.execute(f"COPY (SELECT * FROM {source}) TO {_sql_str(path)} (FORMAT parquet)")
        except duckdb.Error:  # shapes that do not unify: those columns as JSON text
            source = (f"read_json({_sql_str(tmp)}, columns={{"
                      + ", ".join(f"{_sql_str(f)}: 'JSON'" for f in fields) + "})")
            con.execute(f"COPY (SELECT * FROM {source}) TO {_sql_str(path)} (FORMAT parquet)")
    finally:
        tmp.unlink(missing_ok=True)
        con.close()


def _sql_name(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'



def _sql_str(path: Path | str) -> str:
    """A path or name as an SQL string literal (COPY takes no bound parameters)."""
    return "'" + str(path).replace("'", "''") + "'"
