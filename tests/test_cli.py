"""The CLI: a thin layer; fast help; one-line errors with exit code 2."""

import subprocess
import sys

from typer.testing import CliRunner

from kg.cli import app

from conftest import SAMPLE, SAMPLE_GOLD

runner = CliRunner()


def test_help_does_not_import_spacy():
    code = "import sys, kg.cli; kg.cli.app; print('spacy' in sys.modules, 'networkx' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


def test_help_lists_commands():
    r = runner.invoke(app, ["--help"])
    assert r.exit_code == 0
    for cmd in ("extract", "eval", "rules"):
        assert cmd in r.output


def test_extract_and_eval(tmp_path):
    r = runner.invoke(app, ["extract", str(SAMPLE), "--out", str(tmp_path)])
    assert r.exit_code == 0, r.output
    assert (tmp_path / "graph.graphml").is_file() and (tmp_path / "graph.json").is_file()
    r = runner.invoke(app, ["eval", str(tmp_path / "graph.graphml"), str(SAMPLE_GOLD), "--min-f1", "0.8"])
    assert r.exit_code == 0, r.output
    assert "relations all:" in r.output
    r = runner.invoke(app, ["eval", str(tmp_path / "graph.json"), str(SAMPLE_GOLD), "--min-f1", "0.999"])
    assert r.exit_code == 1


def test_missing_input_is_one_line_error(tmp_path):
    r = subprocess.run([sys.executable, "-m", "kg", "extract", str(tmp_path / "nope.txt"), "--out", str(tmp_path)],
                       capture_output=True, text=True)
    assert r.returncode == 2
    assert r.stderr.strip().count("\n") == 0 and "nope.txt" in r.stderr
    assert "Traceback" not in r.stderr


def test_rules_check_builtin():
    r = runner.invoke(app, ["rules", "check"])
    assert r.exit_code == 0, r.output
    assert "ok:" in r.output
