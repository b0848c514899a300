"""Issue #6: bad input, faults and hostile text give clear errors; nothing is lost, nothing injected.

Every case runs the real CLI (typer's CliRunner on kg.cli.app, or a subprocess of ``python -m kg``)
and checks the exit code, that an error is ONE stderr line ``kg: error: ...`` naming the path, and
that no traceback ever shows.
"""

from __future__ import annotations

import errno
import io
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.export.json import read_json
from kg.inputs import BinaryInput, decode_bytes, read_text
from kg.errors import InputError

from conftest import ROOT, SAMPLE, SHARED


def _extract_with_mode(path, mode, restore, src, out):
    """`kg extract src -o out` while ``path`` has permission ``mode``; ``restore`` afterwards."""
    path.chmod(mode)
    try:
        return kg("extract", src, "-o", out)
    finally:
        path.chmod(restore)

runner = CliRunner()
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
OUTPUTS = ("graph.graphml", "graph.json", "graph.gexf", "graph.html")

# a short traditional-Chinese news paragraph (Big5 cannot encode simplified characters)
TRAD = ("輝達執行長黃仁勳今天表示，美國商務部的出口管制將影響公司在中國的業務。"
        "華為推出新晶片，與輝達競爭。台積電在美國亞利桑那州設廠。\n")
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" + bytes(range(256)) * 2
ZIP = b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(256)) * 4
HOSTILE = [
    "<img src=x onerror=alert(1)>",
    "</script><script>alert(2)</script>",
    "<svg onload=alert(3)>",
    '<a href="javascript:alert(4)">x</a>',
]


# ---------------------------------------------------------------- helpers

def kg(*args):
    """Run ``kg`` in-process: (exit code, stdout, stderr); never a traceback."""
    r = runner.invoke(app, [str(a) for a in args])
    assert r.exception is None or isinstance(r.exception, SystemExit), repr(r.exception)
    assert "Traceback" not in r.output and "Traceback" not in r.stderr
    return r.exit_code, r.stdout, r.stderr


def kg_proc(*args, timeout=120, **kw):
    r = subprocess.run([sys.executable, "-m", "kg", *map(str, args)], capture_output=True, timeout=timeout, **kw)
    err = r.stderr.decode("utf-8", "replace")
    assert "Traceback" not in err
    return r.returncode, r.stdout.decode("utf-8", "replace"), err


def one_line_error(err: str, *names):
    lines = err.strip().splitlines()
    assert len(lines) == 1, f"expected one stderr line, got:\n{err}"
    assert lines[0].startswith("kg: error: "), lines[0]
    for n in names:
        assert str(n) in lines[0], (n, lines[0])
    return lines[0]


def extract_ok(*args):
    code, out, err = kg("extract", *args)
    assert code == 0, err
    return err


def graph_data(folder: Path) -> dict:
    return json.loads((folder / "graph.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def graphml_schema():
    xsd = SHARED / "schemas" / "graphml" / "graphml.xsd"
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED} is absent on this machine (CI has it)")
    import xmlschema

    return xmlschema.XMLSchema(str(xsd))


def assert_outputs_valid(folder: Path, schema) -> nx.MultiDiGraph:
    """graph.graphml validates against graphml.xsd and reads back, graph.json parses, graph.gexf
    and graph.html exist; returns the JSON graph."""
    gm = folder / "graph.graphml"
    schema.validate(str(gm))
    nx.read_graphml(gm)
    ET.parse(folder / "graph.gexf")
    assert (folder / "graph.html").stat().st_size > 0
    return read_json(folder / "graph.json")


# ---------------------------------------------------------------- paths that cannot be read

def test_missing_path_is_one_line_error(tmp_path):
    code, _, err = kg("extract", tmp_path / "missing.txt", "-o", tmp_path / "o")
    assert code == 2
    one_line_error(err, "missing.txt")
    assert not (tmp_path / "o" / "graph.json").exists()


def test_unreadable_file_is_one_line_error(tmp_path, monkeypatch):
    """A file whose read fails (what chmod 000 does for a non-root user; CI runs as root)."""
    f = tmp_path / "secret.txt"
    f.write_text("英伟达发布了H100。", encoding="utf-8")
    import kg.inputs as inputs

    real_open = os.open

    def deny(path, *a, **k):
        if Path(path) == f:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, *a, **k)

    monkeypatch.setattr(inputs.os, "open", deny)
    code, _, err = kg("extract", f, "-o", tmp_path / "o")
    assert code == 2
    one_line_error(err, "secret.txt", "permission denied")


@pytest.mark.skipif(IS_ROOT, reason="root reads a chmod-000 file anyway; the monkeypatched test covers it")
def test_chmod_000_file_is_one_line_error(tmp_path):
    f = tmp_path / "secret.txt"
    f.write_text("英伟达发布了H100。", encoding="utf-8")
    code, _, err = _extract_with_mode(f, 0, 0o644, f, tmp_path / "o")
    assert code == 2
    one_line_error(err, "secret.txt")


def test_read_text_refuses_a_fifo_without_blocking(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="pipe.txt: is a named pipe"):
        read_text(fifo)


def test_fifo_input_is_one_line_error_not_a_hang(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    try:
        code, _, err = kg_proc("extract", fifo, "-o", tmp_path / "o", timeout=20)
    except subprocess.TimeoutExpired:
        pytest.fail("kg blocked reading a FIFO")
    assert code == 2
    one_line_error(err, "pipe.txt")


def test_folder_named_like_a_file_is_one_line_error(tmp_path):
    d = tmp_path / "news.txt"
    d.mkdir()
    code, _, err = kg("extract", d, "-o", tmp_path / "o")
    assert code == 2
    one_line_error(err, "news.txt")


def test_read_text_of_a_folder_names_it(tmp_path):
    with pytest.raises(InputError, match="is a folder"):
        read_text(tmp_path)


@pytest.mark.parametrize("content", ["none", "hidden"])
def test_folder_with_no_text_is_one_line_error(tmp_path, content):
    d = tmp_path / "in"
    d.mkdir()
    if content == "hidden":
        (d / ".notes.txt").write_text("英伟达", encoding="utf-8")
    code, _, err = kg("extract", d, "-o", tmp_path / "o")
    assert code == 2
    one_line_error(err, str(d))


def test_folder_of_binaries_only_is_an_error(tmp_path):
    d = tmp_path / "pics"
    d.mkdir()
    (d / "a.png").write_bytes(PNG)
    (d / "b.pdf").write_bytes(PDF)
    code, _, err = kg("extract", d, "-o", tmp_path / "o")
    assert code == 2
    assert err.strip().splitlines()[-1].startswith("kg: error: ")
    assert not (tmp_path / "o" / "graph.json").exists()


# ---------------------------------------------------------------- empty input

@pytest.mark.parametrize("content", [b"", b"   \n\t \r\n", "\u3000\n".encode()])
def test_empty_or_blank_file_writes_empty_graph_with_warning(tmp_path, content, graphml_schema):
    f = tmp_path / "blank.txt"
    f.write_bytes(content)
    err = extract_ok(f, "-o", tmp_path / "o")
    assert "warning" in err and "no entities" in err
    G = assert_outputs_valid(tmp_path / "o", graphml_schema)
    assert G.number_of_nodes() == 0 and G.number_of_edges() == 0


# ---------------------------------------------------------------- binary files

@pytest.mark.parametrize("name,data", [("logo.png", PNG), ("paper.pdf", PDF), ("bundle.zip", ZIP)])
def test_binary_among_text_is_skipped_with_a_warning(tmp_path, name, data):
    d = tmp_path / "in"
    d.mkdir()
    (d / "news.txt").write_text("英伟达CEO黄仁勋表示，英伟达推出了H100。", encoding="utf-8")
    (d / name).write_bytes(data)
    err = extract_ok(d, "-o", tmp_path / "o")
    warn = [line for line in err.splitlines() if line.startswith("kg: warning:") and name in line]
    assert warn, err
    assert "kg: error" not in err
    G = read_json(tmp_path / "o" / "graph.json")
    assert G.graph["docs"] == 1 and G.number_of_nodes() > 0


@pytest.mark.parametrize("name,data", [("logo.png", PNG), ("paper.pdf", PDF), ("bundle.zip", ZIP)])
def test_binary_only_input_is_an_error(tmp_path, name, data):
    f = tmp_path / name
    f.write_bytes(data)
    code, _, err = kg("extract", f, "-o", tmp_path / "o")
    assert code == 2
    last = err.strip().splitlines()[-1]
    assert last.startswith("kg: error: ") and name in last
    assert err.count("kg: error:") == 1
    assert not (tmp_path / "o" / "graph.json").exists()


def test_binary_only_input_is_exactly_one_stderr_line(tmp_path):
    f = tmp_path / "logo.png"
    f.write_bytes(PNG)
    code, _, err = kg("extract", f, "-o", tmp_path / "o")
    assert code == 2
    one_line_error(err, "logo.png")


@pytest.mark.parametrize("data,what", [(PNG, "PNG"), (PDF, "PDF"), (ZIP, "zip"),
                                       (b"\x7fELF\x02\x01\x01" + bytes(200), "executable"),
                                       (bytes(range(256)) * 8, "binary"),
                                       (b"\x1f\x8b\x08\x00" + bytes(100), "gzip")])
def test_decode_bytes_refuses_binary_and_names_it(data, what):
    with pytest.raises(BinaryInput) as e:
        decode_bytes(data, "in/file.bin")
    assert "in/file.bin" in str(e.value) and what in str(e.value)


# ---------------------------------------------------------------- encodings

@pytest.fixture(scope="module")
def utf8_graph(tmp_path_factory):
    base = tmp_path_factory.mktemp("utf8")
    (base / "in").mkdir()
    (base / "in" / SAMPLE.name).write_bytes(SAMPLE.read_bytes())
    extract_ok(base / "in" / SAMPLE.name, "-o", base / "o")
    data = graph_data(base / "o")
    assert data["edges"], "the sample must give edges"
    return data


@pytest.mark.parametrize("enc", ["utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "gb18030", "gbk"])
def test_sample_in_any_encoding_gives_the_utf8_graph(tmp_path, enc, utf8_graph):
    text = SAMPLE.read_text(encoding="utf-8")
    (tmp_path / "in").mkdir()
    f = tmp_path / "in" / SAMPLE.name
    f.write_bytes(text.encode(enc))
    extract_ok(f, "-o", tmp_path / "o")
    assert graph_data(tmp_path / "o") == utf8_graph


def test_big5_traditional_text_gives_the_utf8_graph(tmp_path):
    graphs = []
    for enc in ("utf-8", "big5"):
        d = tmp_path / enc / "in"
        d.mkdir(parents=True)
        (d / "trad.txt").write_bytes(TRAD.encode(enc))
        assert decode_bytes(TRAD.encode(enc), "trad.txt") == (TRAD, enc)
        extract_ok(d / "trad.txt", "-o", tmp_path / enc / "o")
        graphs.append(graph_data(tmp_path / enc / "o"))
    assert graphs[0] == graphs[1]
    labels = {n["id"] for n in graphs[0]["nodes"]}
    assert {"nvidia", "jensen_huang", "huawei"} <= labels, labels
    assert graphs[0]["edges"]


@pytest.mark.parametrize("text", ["英伟达发布新芯片", "华为", "美国商务部", "黄仁勋表示", "腾讯", "OpenAI解雇了CEO",
                                  "阿里巴巴和百度", "中国市场", "萨姆·奥尔特曼", "今天天气很好"])
def test_short_gbk_texts_are_detected(text):
    assert decode_bytes(text.encode("gbk"), "x") == (text, "gb18030")


@pytest.mark.parametrize("text", ["輝達", "華為", "黃仁勳", "美國商務部", "台積電", "臺灣"])
def test_short_big5_texts_are_detected(text):
    assert decode_bytes(text.encode("big5"), "x") == (text, "big5")


def test_encoding_option_overrides_detection(tmp_path, utf8_graph):
    text = SAMPLE.read_text(encoding="utf-8")
    (tmp_path / "in").mkdir()
    f = tmp_path / "in" / SAMPLE.name
    f.write_bytes(text.encode("gbk"))
    extract_ok(f, "--encoding", "gbk", "-o", tmp_path / "o")
    assert graph_data(tmp_path / "o") == utf8_graph
    # a wrong --encoding is obeyed: mojibake, but no crash and valid files
    extract_ok(f, "--encoding", "latin-1", "-o", tmp_path / "o2")
    assert (tmp_path / "o2" / "graph.json").is_file()


@pytest.mark.parametrize("enc", ["no-such-codec", "base64"])
def test_unknown_encoding_is_one_line_error(tmp_path, enc):
    f = tmp_path / "a.txt"
    f.write_text("英伟达", encoding="utf-8")
    code, _, err = kg("extract", f, "--encoding", enc, "-o", tmp_path / "o")
    assert code == 2
    one_line_error(err, enc)


def test_undecodable_bytes_never_crash(tmp_path):
    good = "英伟达CEO黄仁勋表示，英伟达推出了H100。\n".encode() * 20
    f = tmp_path / "broken.txt"
    f.write_bytes(good[:100] + b"\xff\xfe\xc3" + good[100:500] + b"\x80\x81" + good[500:])
    err = extract_ok(f, "-o", tmp_path / "o")
    G = read_json(tmp_path / "o" / "graph.json")
    assert "nvidia" in G and "jensen_huang" in G, err
    text, enc = decode_bytes(f.read_bytes(), "broken.txt")
    assert enc == "utf-8" and text.count("\ufffd") >= 2
    for data in (b"\xff" * 50, b"\x81\x30" * 40, bytes(range(128, 256)) * 3):
        try:
            decode_bytes(data, "x")
        except BinaryInput:
            pass


# ---------------------------------------------------------------- hostile and odd text

ODD_TEXT = (
    "英伟达CEO黄仁勋表示\x01，英伟达推出了H100\x0b芯片\x1f。\n"
    "OpenAI\u202e发布了\u200fChatGPT\u2066和\u2069GPT-4 😀🚀 \ufeff。\n"
    "微软\x00和OpenAI合作\x7f。\ufffe\uffff\n"
)


def test_control_chars_emoji_bidi_give_valid_graphml_json_html(tmp_path, graphml_schema):
    f = tmp_path / "odd.txt"
    f.write_text(ODD_TEXT, encoding="utf-8")
    extract_ok(f, "-o", tmp_path / "o")
    G = assert_outputs_valid(tmp_path / "o", graphml_schema)
    assert G.number_of_edges() > 0
    text = read_text(f).text
    for _, _, d in G.edges(data=True):  # JSON keeps the evidence exactly
        assert d["evidence"].startswith(text[d["start"]:d["end"]])
    html = (tmp_path / "o" / "graph.html").read_text(encoding="utf-8")
    assert "\x01" not in html and "\x00" not in html


def test_one_megabyte_line_gives_valid_outputs(tmp_path, graphml_schema):
    line = ("英伟达推出了H100。" + "x" * 1000) * 1000  # ~1 MB, no newline
    f = tmp_path / "long.txt"
    f.write_text(line, encoding="utf-8")
    extract_ok(f, "-o", tmp_path / "o")
    G = assert_outputs_valid(tmp_path / "o", graphml_schema)
    assert "nvidia" in G


def test_lone_surrogates_and_xml_forbidden_chars_are_written_safely(tmp_path, graphml_schema):
    """Lone surrogates cannot come from a decoded file, only from the library: all writers cope."""
    from kg.export import write_outputs
    from kg.extractor import extract
    from kg.graph import build_graph

    text = "英伟达CEO黄仁勋表示\ud800，英伟达\x02推出了H100\udfff。"
    G = build_graph(extract(text))
    assert G.number_of_edges() > 0
    out = tmp_path / "o"
    out.mkdir()
    write_outputs(G, out)
    H = assert_outputs_valid(out, graphml_schema)
    for u, v, d in G.edges(data=True):  # JSON carries the surrogate escaped: it reads back exactly
        assert any(h["evidence"] == d["evidence"] for _, _, h in H.edges(data=True))
    gm = nx.read_graphml(out / "graph.graphml")
    for _, _, d in gm.edges(data=True):  # GraphML: U+FFFD in place, same length
        assert "\ud800" not in d["evidence"] and "\x02" not in d["evidence"]
    (out / "graph.json").read_bytes().decode("utf-8")  # strict UTF-8


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    """Hostile markup as entity names (a user gazetteer) and in the evidence sentences."""
    base = tmp_path_factory.mktemp("hostile")
    rules = base / "rules" / "gazetteer"
    rules.mkdir(parents=True)
    names = {"evil_img": HOSTILE[0], "evil_svg": HOSTILE[2]}
    (rules / "evil.yaml").write_text(
        "entities:\n" + "".join(
            f"  - id: {eid}\n    type: ORG\n    name_en: {json.dumps(n)}\n" for eid, n in names.items()),
        encoding="utf-8")
    text = (f"{HOSTILE[0]}和英伟达合作。\n英伟达推出了H100 {HOSTILE[1]}。\n"
            f"{HOSTILE[2]}和{HOSTILE[0]}合作 {HOSTILE[3]}。\n")
    f = base / "evil.txt"
    f.write_text(text, encoding="utf-8")
    extract_ok(f, "--rules", base / "rules", "-o", base / "o")
    return base / "o", names, text


def _xml_texts(root) -> list[str]:
    return [t for el in root.iter() for t in (el.text, *el.attrib.values()) if t]


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_hostile_markup_is_escaped_in_xml(hostile_run, fmt):
    out, names, text = hostile_run
    raw = (out / f"graph.{fmt}").read_text(encoding="utf-8")
    root = ET.fromstring(raw.encode("utf-8"))
    tags = {el.tag.rsplit("}", 1)[-1].lower() for el in root.iter()}
    assert not tags & {"script", "img", "svg", "a", "iframe"}, tags
    texts = _xml_texts(root)
    for n in names.values():  # the name round-trips as text
        assert any(t == n for t in texts), n
    assert any(HOSTILE[1] in t for t in texts)  # and the evidence
    assert "<script>" not in raw and "<img" not in raw and "<svg" not in raw


def test_hostile_markup_round_trips_in_json_and_not_raw_in_html(hostile_run):
    out, names, text = hostile_run
    G = read_json(out / "graph.json")
    for eid, n in names.items():
        assert G.nodes[eid]["label"] == n
    assert any(HOSTILE[1] in d["evidence"] for _, _, d in G.edges(data=True))
    html = (out / "graph.html").read_text(encoding="utf-8")
    for payload in HOSTILE:
        assert payload not in html


def test_hostile_graphml_validates(hostile_run, graphml_schema):
    out, _, _ = hostile_run
    graphml_schema.validate(str(out / "graph.graphml"))


# ---------------------------------------------------------------- output problems

def test_out_that_is_a_file_is_one_line_error(tmp_path):
    (tmp_path / "o").write_text("keep me", encoding="utf-8")
    code, _, err = kg("extract", SAMPLE, "-o", tmp_path / "o")
    assert code == 2
    one_line_error(err, "o")
    assert (tmp_path / "o").read_text(encoding="utf-8") == "keep me"


def test_out_below_a_file_is_one_line_error(tmp_path):
    (tmp_path / "f").write_text("x", encoding="utf-8")
    code, _, err = kg("extract", SAMPLE, "-o", tmp_path / "f" / "o")
    assert code == 2
    one_line_error(err, "f")


def test_unwritable_out_folder_is_one_line_error(tmp_path, monkeypatch):
    """Simulated (root can write anywhere): creating the temporary file is refused."""
    import kg.fileio as fileio

    def refuse(*a, **k):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(fileio.tempfile, "mkstemp", refuse)
    out = tmp_path / "o"
    code, _, err = kg("extract", SAMPLE, "-o", out)
    assert code == 2
    one_line_error(err, "graph.", "permission denied")


@pytest.mark.skipif(IS_ROOT, reason="root writes into a read-only folder anyway; simulated above")
def test_read_only_out_folder_is_one_line_error(tmp_path):
    out = tmp_path / "o"
    out.mkdir()
    code, _, err = _extract_with_mode(out, 0o555, 0o755, SAMPLE, out)
    assert code == 2
    one_line_error(err, "o")


def test_refuses_to_write_over_its_own_input(tmp_path):
    out = tmp_path / "o"
    out.mkdir()
    own = out / "graph.html"
    own.write_text("英伟达CEO黄仁勋表示。", encoding="utf-8")
    code, _, err = kg("extract", own, "-o", out)
    assert code == 2
    one_line_error(err, "graph.html")
    assert own.read_text(encoding="utf-8") == "英伟达CEO黄仁勋表示。"
    assert sorted(p.name for p in out.iterdir()) == ["graph.html"]


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_a_write_failing_midway_leaves_the_previous_graph_whole(tmp_path, monkeypatch):
    out = tmp_path / "o"
    extract_ok(SAMPLE, "-o", out)
    before = _snapshot(out)
    import kg.fileio as fileio

    real_fdopen = os.fdopen

    class HalfWriter:
        def __init__(self, fh):
            self.fh = fh

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.fh.close()
            return False

        def write(self, data):
            self.fh.write(data[: len(data) // 2])
            self.fh.flush()
            raise OSError(errno.ENOSPC, "No space left on device")

    def fdopen(fd, mode="r", *a, **k):  # only writes fail; kg.inputs reads through os.fdopen too
        fh = real_fdopen(fd, mode, *a, **k)
        return HalfWriter(fh) if "w" in mode else fh

    monkeypatch.setattr(fileio.os, "fdopen", fdopen)
    f = tmp_path / "other.txt"
    f.write_text("微软和OpenAI合作。", encoding="utf-8")
    code, _, err = kg("extract", f, "-o", out)
    assert code == 2
    one_line_error(err, "graph.graphml", "no space left")
    assert _snapshot(out) == before  # old files whole, no temporary file left


KILLED_WRITER = textwrap.dedent("""
    import os, sys, time
    from pathlib import Path
    import kg.fileio as fileio
    real = os.fdopen
    class Slow:
        def __init__(self, fh): self.fh = fh
        def __enter__(self): return self
        def __exit__(self, *e): self.fh.close()
        def write(self, data):
            self.fh.write(data[: len(data) // 2]); self.fh.flush()
            Path(sys.argv[2]).write_text("mid-write")
            time.sleep(60)
    fileio.os.fdopen = lambda fd, mode="r", *a, **k: Slow(real(fd, mode, *a, **k)) if "w" in mode else real(fd, mode, *a, **k)
    fileio.atomic_write_bytes(sys.argv[1], b"NEW" * 100000)
""")


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT, signal.SIGTERM])
def test_a_run_killed_mid_write_leaves_the_previous_file_whole(tmp_path, sig):
    target = tmp_path / "graph.json"
    target.write_bytes(b"OLD GRAPH")
    flag = tmp_path / "flag"
    p = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, str(target), str(flag)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        for _ in range(300):
            if flag.exists() or p.poll() is not None:
                break
            time.sleep(0.05)
        assert flag.exists(), p.stderr.read().decode() if p.poll() is not None else "writer never started"
        p.send_signal(sig)
        p.wait(timeout=30)
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
    assert target.read_bytes() == b"OLD GRAPH"
    temps = [x for x in tmp_path.iterdir() if x.name.endswith(".tmp")]
    if sig == signal.SIGINT:
        assert temps == []  # KeyboardInterrupt: the writer removes its temporary file itself
    # the next write to the folder removes what a killed run left behind
    from kg.fileio import atomic_write_bytes, stale_temp_files

    assert stale_temp_files(tmp_path) == temps
    atomic_write_bytes(target, b"NEXT")
    assert target.read_bytes() == b"NEXT"
    assert [x for x in tmp_path.iterdir() if x.name.endswith(".tmp")] == []


def test_atomic_write_keeps_the_mode_and_names_the_path(tmp_path):
    from kg.errors import OutputError
    from kg.fileio import atomic_write_text

    f = tmp_path / "g.json"
    f.write_text("old", encoding="utf-8")
    f.chmod(0o640)
    atomic_write_text(f, "new \ud800")
    assert f.read_text(encoding="utf-8") == "new \ufffd" and (f.stat().st_mode & 0o777) == 0o640
    with pytest.raises(OutputError, match="is a folder"):
        atomic_write_text(tmp_path, "x")
    with pytest.raises(OutputError, match="missing"):
        atomic_write_text(tmp_path / "missing" / "g.json", "x")
