"""The `kg` command: a thin typer layer over the library (kg.extractor, kg.graph, kg.export, kg.eval).

Every failure the user can cause prints one line `kg: error: ...` on stderr and exits 2.
spaCy and networkx are imported inside the commands, so `kg --help` answers at once.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from .errors import KGError

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Rule-based knowledge graphs from technology news (Chinese and English).")
rules_app = typer.Typer(no_args_is_help=True, help="Check, test and grow the rule files.")
app.add_typer(rules_app, name="rules")


def _fail(msg: str, code: int = 2):
    typer.echo(f"kg: error: {msg}", err=True)
    raise typer.Exit(code)


def _warn(msg: str):
    typer.echo(f"kg: warning: {msg}", err=True)


def _version(value: bool):
    if value:
        from . import __version__

        typer.echo(f"kg {__version__}")
        raise typer.Exit()


@app.callback()
def main(version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                               help="Print the version and exit.")] = False):
    """Rule-based knowledge graphs from technology news (Chinese and English)."""


def _prepare_out(out: Path, inputs: list[Path]) -> Path:
    if out.exists() and not out.is_dir():
        _fail(f"{out}: --out is a file, not a folder")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        _fail(f"{out}: cannot create output folder ({e.strerror or e})")
    if not os.access(out, os.W_OK | os.X_OK):
        _fail(f"{out}: output folder is not writable")
    from .export import OUTPUT_NAMES

    targets = {(out / n).resolve() for n in OUTPUT_NAMES.values()}
    for p in inputs:
        if p.exists() and p.resolve() in targets:
            _fail(f"{p}: refusing to write over an input file")
    return out


@app.command()
def extract(
    inputs: Annotated[Optional[list[Path]], typer.Argument(help="Text files or folders; none: the bundled sample article.")] = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")] = Path("output"),
    rules: Annotated[Optional[Path], typer.Option("--rules", help="A rule folder merged over the built-in rules.")] = None,
    lang: Annotated[Optional[str], typer.Option("--lang", help="zh or en (default: detected per document).")] = None,
    encoding: Annotated[Optional[str], typer.Option("--encoding", help="Input encoding (default: detected).")] = None,
    max_nodes: Annotated[Optional[int], typer.Option("--max-nodes", help="Keep the N heaviest nodes in graph.html.")] = None,
):
    """Extract entities and relations; write graph.graphml, graph.json, graph.gexf and graph.html."""
    try:
        from . import sample_path
        from .export import write_outputs
        from .extractor import Extractor, merge
        from .graph import build_graph
        from .inputs import read_text
        from .rules import load_rules

        if lang not in (None, "zh", "en"):
            _fail(f"--lang must be zh or en, not {lang!r}")
        paths = list(inputs or [sample_path()])
        files: list[Path] = []
        for p in paths:
            if not p.exists():
                _fail(f"{p}: no such file or folder")
            if p.is_dir():
                found = sorted(f for f in p.rglob("*") if f.is_file() and not f.name.startswith("."))
                if not found:
                    _fail(f"{p}: folder holds no files")
                files.extend(found)
            else:
                files.append(p)
        _prepare_out(out, files)
        rs = load_rules(rules)
        ex = Extractor(rs)
        results = []
        for f in files:
            doc = read_text(f, encoding)
            results.append(ex.extract_doc(doc.text, doc_id=f.name, lang=lang))
        extraction = merge(results, rs)
        if not extraction.entities:
            _warn("no entities found")
        G = build_graph(extraction, rs)
        written = write_outputs(G, out, max_nodes=max_nodes)
        typer.echo(f"{len(files)} document(s): {G.number_of_nodes()} entities, {G.number_of_edges()} relations "
                   f"-> {', '.join(str(w) for w in written)}", err=True)
    except KGError as e:
        _fail(str(e))


@app.command("eval")
def eval_cmd(
    graph: Annotated[Path, typer.Argument(help="graph.graphml or graph.json")],
    gold: Annotated[Path, typer.Argument(help="gold annotation (.gold.yaml)")],
    text: Annotated[Optional[Path], typer.Option("--text", help="The input text: edges whose evidence is not in it count as wrong.")] = None,
    min_f1: Annotated[Optional[float], typer.Option("--min-f1", help="Exit 1 when entity or relation F1 is below this.")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only the scores, not the misses.")] = False,
):
    """Precision, recall and F1 of a graph against a gold file."""
    try:
        from .eval import evaluate, format_score, load_gold, load_graph
        from .inputs import read_text

        G = load_graph(graph)
        g = load_gold(gold)
        txt = read_text(text).text if text else None
        sc = evaluate(G, g, txt)
        typer.echo(format_score(sc, details=not quiet))
        if min_f1 is not None and min(sc.entity_prf[2], sc.relation_prf[2]) < min_f1:
            typer.echo(f"kg: F1 below {min_f1}", err=True)
            raise typer.Exit(1)
    except KGError as e:
        _fail(str(e))


@rules_app.command("check")
def rules_check(folder: Annotated[Optional[Path], typer.Argument(help="Rule folder (default: the built-in rules).")] = None):
    """Validate rule files against the schema; report every error without extracting."""
    from .rules import check_rules

    rs, errors = check_rules(folder)
    for e in errors:
        typer.echo(f"kg: error: {e}", err=True)
    if errors:
        raise typer.Exit(2)
    typer.echo(f"ok: {len(rs.gazetteer)} entities, {len(rs.lexicon)} word classes, "
               f"{len(rs.entity_patterns)} entity patterns, {len(rs.relation_rules)} relation rules")


@rules_app.command("test")
def rules_test(folder: Annotated[Optional[Path], typer.Argument(help="A rule folder merged over the built-in rules.")] = None):
    """Run every relation rule's examples and near-misses."""
    try:
        from .ruletest import run_examples
        from .rules import load_rules

        rs = load_rules(folder)
        failures, total = run_examples(rs)
        for f in failures:
            typer.echo(f"FAIL {f}", err=True)
        typer.echo(f"{total - len(failures)} passed, {len(failures)} failed")
        if failures:
            raise typer.Exit(1)
    except KGError as e:
        _fail(str(e))


def run():  # console entry point
    try:
        app()
    except KeyboardInterrupt:
        typer.echo("kg: interrupted", err=True)
        sys.exit(130)


if __name__ == "__main__":
    run()
