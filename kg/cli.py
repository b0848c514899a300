"""The `kg` command: a thin typer layer over the library (kg.extractor, kg.graph, kg.export, kg.eval).

Every failure the user can cause prints one line `kg: error: ...` on stderr and exits 2.
spaCy and networkx are imported inside the commands, so `kg --help` answers at once.
"""

from __future__ import annotations

import os
import sys
import time
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
    inputs: Annotated[Optional[list[str]], typer.Argument(
        help="Text files, folders (recursive), globs, - for standard input, JSON Lines (.jsonl: one "
             "document a line with id, text and optional date, source, url) and .gz of any of these; "
             "none: the bundled sample article.")] = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")] = Path("output"),
    rules: Annotated[Optional[Path], typer.Option("--rules", help="A rule folder merged over the built-in rules.")] = None,
    lang: Annotated[Optional[str], typer.Option("--lang", help="zh or en (default: detected per document).")] = None,
    encoding: Annotated[Optional[str], typer.Option("--encoding", help="Input encoding (default: detected).")] = None,
    max_nodes: Annotated[Optional[int], typer.Option("--max-nodes", min=1, help="Keep the N heaviest nodes in graph.html (default: all, at most 2,000).")] = None,
    merge_with: Annotated[Optional[Path], typer.Option("--merge", help="Add this batch to a graph written before (graph.json).")] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="Worker processes (with --engine dask: workers of a local cluster).")] = 1,
    engine: Annotated[str, typer.Option("--engine", help="local (this machine, --jobs processes) or dask.")] = "local",
    scheduler: Annotated[Optional[str], typer.Option("--scheduler", help="Dask scheduler address, e.g. tcp://10.0.0.5:8786 "
                                                     "(default: a local cluster of --jobs workers).")] = None,
):
    """Extract entities and relations from one or many documents into one graph; write graph.graphml,
    graph.json, graph.gexf and graph.html."""
    t0 = time.perf_counter()
    try:
        from . import sample_path
        from .corpus import expand_inputs, run_corpus

        if lang not in (None, "zh", "en"):
            _fail(f"--lang must be zh or en, not {lang!r}")
        if engine not in ("local", "dask"):
            _fail(f"--engine must be local or dask, not {engine!r}")
        if scheduler and engine != "dask":
            _fail("--scheduler needs --engine dask")
        sources = expand_inputs(list(inputs or [str(sample_path())]))
        _prepare_out(out, [Path(s.path) for s in sources if not s.is_stdin])
        prior = None
        if merge_with is not None:
            prior = _read_graph(merge_with)

        from .export import write_outputs
        from .rules import load_rules

        rs = load_rules(rules)
        acc, st = run_corpus(sources, rs, lang=lang, encoding=encoding, jobs=jobs, engine=engine,
                             scheduler=scheduler, merge_graph=prior, warn=_warn)
        if st.renamed:
            _warn(f"{st.renamed} repeated document id(s) renamed to id#2, id#3, ...")
        if st.warnings > 20:
            _warn(f"{st.warnings - 20} more warning(s) not shown")
        G = acc.graph()
        if G.number_of_nodes() == 0:
            _warn("no entities found")
        written = write_outputs(G, out, max_nodes=max_nodes)
        secs = time.perf_counter() - t0  # end to end: reading, extracting, writing
        typer.echo(f"{st.documents} document(s), {st.mb:.2f} MB in {secs:.2f} s "
                   f"({st.mb / secs if secs > 0 else 0:.2f} MB/s)"
                   + (f" + {merge_with}" if merge_with is not None else "")
                   + f": {G.number_of_nodes()} entities, {G.number_of_edges()} relations "
                   f"-> {', '.join(str(w) for w in written)}", err=True)
    except KGError as e:
        _fail(str(e))


def _read_graph(path: Path):
    """A graph written before, for --merge (graph.json; graph.graphml also works)."""
    from .errors import InputError

    if not path.is_file():
        raise InputError(f"{path}: no such file" if not path.exists() else f"{path}: is not a file")
    try:
        if path.suffix.lower() == ".graphml":
            from .export.graphml import read_graphml

            return read_graphml(path)
        from .export.json import read_json

        return read_json(path)
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise InputError(f"{path}: not a kg graph ({type(e).__name__}: {e})".splitlines()[0]) from None
    except Exception as e:  # XML parse errors and the like
        raise InputError(f"{path}: not a kg graph ({type(e).__name__})") from None


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
def rules_check(
    folder: Annotated[Optional[Path], typer.Argument(help="Rule folder (default: the built-in rules).")] = None,
    rules: Annotated[Optional[Path], typer.Option("--rules", help="The same folder, as extract takes it.")] = None,
):
    """Validate rule files against the schema; report every error without extracting."""
    from .rules import check_rules

    rs, errors = check_rules(folder or rules)
    for e in errors:
        typer.echo(f"kg: error: {e}", err=True)
    if errors:
        raise typer.Exit(2)
    from .rules import shadowed_words

    for w in shadowed_words(rs):
        typer.echo(f"kg: warning: {w}", err=True)
    typer.echo(f"ok: {len(rs.gazetteer)} entities, {len(rs.lexicon)} word classes, "
               f"{len(rs.entity_patterns)} entity patterns, {len(rs.relation_rules)} relation rules")


@rules_app.command("test")
def rules_test(
    folder: Annotated[Optional[Path], typer.Argument(help="A rule folder merged over the built-in rules.")] = None,
    rules: Annotated[Optional[Path], typer.Option("--rules", help="The same folder, as extract takes it.")] = None,
):
    """Run every relation rule's examples and near-misses."""
    try:
        from .ruletest import run_examples
        from .rules import load_rules

        rs = load_rules(folder or rules)
        failures, total = run_examples(rs)
        for f in failures:
            typer.echo(f"FAIL {f}", err=True)
        typer.echo(f"{total - len(failures)} passed, {len(failures)} failed")
        if failures:
            raise typer.Exit(1)
    except KGError as e:
        _fail(str(e))


@rules_app.command("suggest")
def rules_suggest(
    corpus: Annotated[list[Path], typer.Argument(help="Text files or folders to read.")],
    rules: Annotated[Optional[Path], typer.Option("--rules", help="A rule folder merged over the built-in rules.")] = None,
    min_count: Annotated[int, typer.Option("--min-count", min=1, help="Only names seen at least this often.")] = 2,
    as_json: Annotated[bool, typer.Option("--json", help="JSON records instead of YAML snippets.")] = False,
):
    """List the frequent names entity patterns found, each with a ready gazetteer entry."""
    try:
        import json as _json

        from .rules import load_rules
        from .suggest import format_suggestions, suggest

        items = suggest(corpus, load_rules(rules), min_count=min_count)
        if as_json:
            typer.echo(_json.dumps([s.as_dict() for s in items], ensure_ascii=False, indent=2))
        else:
            typer.echo(format_suggestions(items))
    except KGError as e:
        _fail(str(e))


@app.command()
def view(
    graph: Annotated[Path, typer.Argument(help="A saved graph: graph.graphml or graph.json.")],
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="HTML file to write (default: beside the graph).")] = None,
    max_nodes: Annotated[Optional[int], typer.Option("--max-nodes", min=1, help="Keep the N heaviest nodes; the page says how many it left out.")] = None,
):
    """Render a saved graph as one offline HTML page."""
    try:
        from .eval import load_graph
        from .export.html import write_html

        G = load_graph(graph)
        target = out or graph.with_suffix(".html")
        if target.resolve() == graph.resolve():
            _fail(f"{target}: refusing to write over the input graph")
        if target.parent and not target.parent.is_dir():
            _fail(f"{target.parent}: output folder does not exist")
        stats = write_html(G, target, max_nodes=max_nodes)
        typer.echo(f"{target}: {stats}", err=True)
    except KGError as e:
        _fail(str(e))
    except OSError as e:
        _fail(f"{out or graph}: cannot write ({e.strerror or e})")


def run():  # console entry point
    try:
        app()
    except KeyboardInterrupt:
        typer.echo("kg: interrupted", err=True)
        sys.exit(130)


if __name__ == "__main__":
    run()
