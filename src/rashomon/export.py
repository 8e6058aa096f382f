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
import itertools
import json
import textwrap
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

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
    Stance,
)

TABLE_FORMATS = ("json", "jsonl", "csv", "parquet")
FORMATS = TABLE_FORMATS + graph_export.FORMATS
TABLES = ("documents", "actors", "mentions", "places", "dates", "events", "claims",
          "relations", "duplicates", "incidents", "stances")


# The columns of each table, for the header of a table with no rows.
_EMPTY_ROWS = {
    "documents": lambda: Document(id="", text="").to_dict(),
    "actors": lambda: Actor(id="", name="", kind="").to_dict(),
    "duplicates": lambda: dict.fromkeys(("id", "duplicate_of", "kind", "source")),
}
_ROW_TYPES = {"mentions": Mention, "places": Place, "dates": DateMention, "events": Event,
              "claims": Claim, "relations": Relation, "incidents": Incident,
              "stances": Stance}

if TYPE_CHECKING:
    from .store import Store


class ExportError(Exception):
    pass


def export(analysis: Analysis, fmt: str, output: str | Path, raw_cells: bool = False) -> Path:
    """Write ``analysis`` as ``fmt`` to ``output`` (a folder for csv and parquet, else a file).

    ``raw_cells``: CSV and TSV cells are written as they are, formulas included.
    """
    if fmt in graph_export.FORMATS:
        return graph_export.export_graph(analysis, fmt, Path(output), raw_cells=raw_cells)
    data = analysis.to_dict()
    return write_tables(lambda table: iter(data[table]), fmt, output, raw_cells)


def export_store(store: Store, fmt: str, output: str | Path, raw_cells: bool = False) -> Path:
    """Write a store as ``fmt`` to ``output``, the same bytes :func:`export` writes for
    ``store.analysis()``. Table formats stream the store a batch of rows at a time, so
    memory stays flat whatever its size; the GDELT table reads a document's events at a
    time; graph formats read relations and actors, never the texts."""
    if fmt in graph_export.FORMATS:
        return graph_export.export_graph_from_store(store, fmt, Path(output), raw_cells)
    return write_tables(store.table_rows, fmt, output, raw_cells)


def write_tables(rows: Callable[[str], Iterator[dict[str, Any]]], fmt: str,
                 output: str | Path, raw_cells: bool = False) -> Path:
    """Write the tables ``rows(table)`` yields (one dict per row, as
    ``Analysis.to_dict`` gives them) as ``fmt``, one row at a time."""
    output = Path(output)

    def clean(table: str) -> Iterator[dict[str, Any]]:
        return (finite(row) for row in rows(table))

    if fmt == "json":
        _write_lines(output, _json_lines({table: clean(table) for table in TABLES}))
    elif fmt == "jsonl":
        _write_lines(output, (json.dumps({"table": table, **row}, ensure_ascii=False,
                                         allow_nan=False) + "\n"
                              for table in TABLES for row in clean(table)))
    elif fmt in ("csv", "parquet"):
        output.mkdir(parents=True, exist_ok=True)
        for table in TABLES:
            if fmt == "csv":
                _write_csv(output / f"{table}.csv", (_flatten(r) for r in clean(table)),
                           columns(table), raw_cells)
            else:
                _write_parquet(output / f"{table}.parquet", clean(table), columns(table))
    else:
        raise ExportError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return output


def _json_lines(tables: dict[str, Iterator[dict[str, Any]]]) -> Iterator[str]:
    """One JSON object of lists, a row at a time, laid out as ``json.dumps(indent=1)``
    lays out the whole."""
    yield "{"
    for n, (table, rows) in enumerate(tables.items()):
        yield "\n" if n == 0 else ",\n"
        yield f" {json.dumps(table)}: ["
        empty = True
        for row in rows:
            text = json.dumps(row, ensure_ascii=False, indent=1, allow_nan=False)
            yield ("\n" if empty else ",\n") + textwrap.indent(text, "  ")
            empty = False
        yield "]" if empty else "\n ]"
    yield "\n}"


def _write_lines(path: Path, chunks: Iterable[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    try:
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.writelines(chunks)
        tmp.replace(path)  # never leave a half-written export behind
    finally:
        tmp.unlink(missing_ok=True)


def columns(table: str) -> list[str]:
    """The columns a table has, rows or not."""
    if table in _EMPTY_ROWS:
        return list(_EMPTY_ROWS[table]())
    return [f.name for f in dataclasses.fields(_ROW_TYPES[table])]


def _flatten(row: dict[str, Any]) -> dict[str, Any]:
    return {k: json.dumps(v, ensure_ascii=False) if isinstance(v, (dict, list)) else v
            for k, v in row.items()}


def _write_csv(path: Path, rows: Iterator[dict[str, Any]], known: list[str],
               raw_cells: bool) -> None:
    """The header is the table's columns (rows are its dataclass's fields, so they agree)."""
    first = next(rows, None)
    fields = known + [k for k in first or () if k not in known]
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields)
        writer.writeheader()
        for row in itertools.chain([first] if first is not None else [], rows):
            writer.writerow(row if raw_cells else {k: safe_cell(v) for k, v in row.items()})


def _write_parquet(path: Path, rows: Iterator[dict[str, Any]], known: list[str]) -> None:
    """Nested values stay nested: DuckDB reads the rows as JSON, inferring structs and
    lists; a column whose values disagree in shape is kept as JSON text. The rows go
    through a JSON-lines file beside the output, so memory holds one at a time."""
    import duckdb

    con = duckdb.connect()
    fields = list(known)
    tmp = path.with_suffix(".jsonl.tmp")
    try:
        with open(tmp, "w", encoding="utf-8") as fh:
            for row in rows:
                fields += [k for k in row if k not in fields]
                fh.write(json.dumps(row, ensure_ascii=False, allow_nan=False) + "\n")
        if not tmp.stat().st_size:
            empty = ", ".join(f"NULL::VARCHAR AS {_sql_name(f)}" for f in fields)
            con.execute(f"COPY (SELECT {empty} WHERE false) TO {_sql_str(path)} "
                        "(FORMAT parquet)")
            return
        columns = ", ".join(_sql_name(f) for f in fields)
        source = f"read_json_auto({_sql_str(tmp)}, maximum_depth=-1, sample_size=-1)"
        try:
            con.execute(f"COPY (SELECT {columns} FROM {source}) TO {_sql_str(path)} "
                        "(FORMAT parquet)")
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
