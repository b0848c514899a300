"""Issue #5, start-up: validated rule sets are cached on disk (kg.rules), keyed on the bytes of every
rule file, the loader's code and the kg, spaCy and Python versions.

Each test loads a copy of the built-in rules (``base=``) with its own cache folder, through
``kg.rules._load_cached`` (what ``load_rules`` runs once per process, behind its in-memory cache),
so that a second call acts as a second run would.
"""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import kg.rules as R
from kg.errors import RuleError

from conftest import DATA, ROOT, SAMPLE


@pytest.fixture()
def cache(tmp_path, monkeypatch) -> Path:
    d = tmp_path / "cache"
    monkeypatch.setenv("KG_CACHE_DIR", str(d))
    monkeypatch.delenv("KG_NO_CACHE", raising=False)
    return d


@pytest.fixture()
def full_base(tmp_path) -> Path:
    b = tmp_path / "rules"
    shutil.copytree(R.default_rules_dir(), b)
    return b


@pytest.fixture()
def base(tmp_path) -> Path:
    """The built-in rules without the relation rules (they take most of a load's second)."""
    b = tmp_path / "rules"
    shutil.copytree(R.default_rules_dir(), b, ignore=shutil.ignore_patterns("relations"))
    return b


def folders(*dirs) -> tuple[str, ...]:
    return tuple(str(Path(d).resolve()) for d in dirs)


def load(*dirs):
    return R._load_cached(folders(*dirs))


class Counting:
    """Wraps kg.rules._load_all: how many real (uncached) loads happened."""

    def __init__(self, monkeypatch):
        self.calls = 0
        real = R._load_all

        def counted(*a, **k):
            self.calls += 1
            return real(*a, **k)

        monkeypatch.setattr(R, "_load_all", counted)


def cache_files(d: Path) -> list[Path]:
    return sorted(d.glob("rules-*.pickle")) if d.is_dir() else []


def test_second_load_is_a_hit_with_identical_rules(cache, full_base, monkeypatch):
    base = full_base
    n = Counting(monkeypatch)
    first = load(base)
    assert n.calls == 1 and len(cache_files(cache)) == 1
    second = load(base)
    assert n.calls == 1, "the second load parsed the rules again"
    assert second is not first
    assert second == first  # every gazetteer entry, class, pattern, rule, prefix rule and source
    assert repr(second) == repr(first)  # also the order of every dict and list (== ignores dict order)
    assert second.fingerprint() == first.fingerprint()
    monkeypatch.setenv("KG_NO_CACHE", "1")
    assert load(base) == second  # the same as a load without any cache
    assert n.calls == 2


def test_extra_folder_is_part_of_the_key(cache, base, tmp_path, monkeypatch):
    extra = tmp_path / "user"
    shutil.copytree(DATA / "bad_rules" / "good", extra)
    n = Counting(monkeypatch)
    merged = load(base, extra)
    plain = load(base)
    assert n.calls == 2 and len(cache_files(cache)) == 2
    assert merged != plain
    assert load(base, extra) == merged and load(base) == plain and n.calls == 2
    # editing the user's folder invalidates the merged set only
    f = next(p for p in sorted(extra.rglob("*.yaml")))
    f.write_text(f.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    load(base, extra)
    assert n.calls == 3
    load(base)
    assert n.calls == 3


def test_editing_a_rule_file_invalidates(cache, base, monkeypatch):
    n = Counting(monkeypatch)
    before = load(base)
    gaz = base / "gazetteer" / "orgs.yaml"
    text = gaz.read_text(encoding="utf-8")
    assert "name_en: Nvidia" in text
    st = gaz.stat()
    # the same length and modification time: only the bytes differ
    gaz.write_text(text.replace("name_en: Nvidia", "name_en: NVidia", 1), encoding="utf-8")
    os.utime(gaz, ns=(st.st_atime_ns, st.st_mtime_ns))
    after = load(base)
    assert n.calls == 2
    assert before.gazetteer["nvidia"].name_en == "Nvidia"
    assert after.gazetteer["nvidia"].name_en == "NVidia"
    assert load(base) == after and n.calls == 2  # the rewritten cache is used
    assert len(cache_files(cache)) == 1  # one file per set of folders, replaced


def test_adding_or_removing_a_rule_file_invalidates(cache, base, monkeypatch):
    n = Counting(monkeypatch)
    load(base)
    (base / "relations").mkdir()
    extra = base / "relations" / "zz_extra.yaml"
    extra.write_text("rules: []\n", encoding="utf-8")
    load(base)
    assert n.calls == 2
    extra.unlink()
    load(base)
    assert n.calls == 3


def test_a_new_kg_or_spacy_version_invalidates(cache, base, monkeypatch):
    import kg

    n = Counting(monkeypatch)
    load(base)
    monkeypatch.setattr(kg, "__version__", kg.__version__ + ".post1")
    load(base)
    assert n.calls == 2
    monkeypatch.setattr(R, "_spacy_version", lambda: "0.0.0")
    load(base)
    assert n.calls == 3


@pytest.fixture(scope="module")
def cached_once(tmp_path_factory):
    """One copy of the rules, loaded once: its rule set and its cache file's name and bytes."""
    base = tmp_path_factory.mktemp("shared") / "rules"
    shutil.copytree(R.default_rules_dir(), base, ignore=shutil.ignore_patterns("relations"))
    d = tmp_path_factory.mktemp("cache")
    mp = pytest.MonkeyPatch()
    mp.setenv("KG_CACHE_DIR", str(d))
    mp.delenv("KG_NO_CACHE", raising=False)
    try:
        rs = load(base)
    finally:
        mp.undo()
    (f,) = cache_files(d)
    return base, rs, f.name, f.read_bytes()


@pytest.mark.parametrize("damage", ["garbage", "empty", "truncated", "flipped_byte", "bad_pickle", "not_a_ruleset"])
def test_corrupt_cache_is_ignored_and_rewritten(cache, cached_once, monkeypatch, damage):
    base, good, name, blob = cached_once
    cache.mkdir()
    f = cache / name
    f.write_bytes(blob)
    assert load(base) == good  # a hit, to begin with
    head, _, payload = blob.partition(b"\n\n")
    key = head.split(b"\n")[1].decode()
    if damage == "garbage":
        f.write_bytes(os.urandom(5000))
    elif damage == "empty":
        f.write_bytes(b"")
    elif damage == "truncated":
        f.write_bytes(blob[: len(blob) // 2])
    elif damage == "flipped_byte":
        i = len(head) + 2 + len(payload) // 2
        f.write_bytes(blob[:i] + bytes([blob[i] ^ 0xFF]) + blob[i + 1:])
    elif damage == "bad_pickle":  # a well-formed header over bytes that are no pickle
        R._cache_write(f, key, good)
        f.write_bytes(f.read_bytes().replace(payload[:50], b"\x00" * 50))
    else:  # a checksummed pickle of the right key that holds something else
        import hashlib

        other = pickle.dumps({"not": "a rule set"})
        f.write_bytes(R._CACHE_MAGIC + key.encode() + b"\n" + hashlib.sha256(other).hexdigest().encode()
                      + b"\n\n" + other)
    n = Counting(monkeypatch)
    again = load(base)
    assert n.calls == 1 and again == good
    assert f.read_bytes().partition(b"\n\n")[0] == head  # written anew
    assert load(base) == good and n.calls == 1


def test_kg_no_cache_neither_reads_nor_writes(cache, base, monkeypatch):
    monkeypatch.setenv("KG_NO_CACHE", "1")
    n = Counting(monkeypatch)
    rs = load(base)
    load(base)
    assert n.calls == 2 and not cache.exists()
    monkeypatch.setenv("KG_NO_CACHE", "0")  # 0 or empty: the cache is on
    assert load(base) == rs and cache_files(cache)


def test_unwritable_cache_folder_just_loads(tmp_path, base, monkeypatch):
    blocker = tmp_path / "a_file"
    blocker.write_text("x")
    monkeypatch.setenv("KG_CACHE_DIR", str(blocker / "kg"))  # under a file: cannot be created
    monkeypatch.delenv("KG_NO_CACHE", raising=False)
    n = Counting(monkeypatch)
    a, b = load(base), load(base)
    assert a == b and n.calls == 2
    assert not list(tmp_path.glob("**/.rules-*.tmp"))


def test_cache_folder_location(tmp_path, monkeypatch):
    monkeypatch.delenv("KG_NO_CACHE", raising=False)
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "explicit"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert R.cache_dir() == tmp_path / "explicit"
    monkeypatch.delenv("KG_CACHE_DIR")
    assert R.cache_dir() == tmp_path / "xdg" / "kg"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/path")  # ignored, as the XDG spec says
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert R.cache_dir() == tmp_path / "home" / ".cache" / "kg"
    monkeypatch.setenv("KG_NO_CACHE", "1")
    assert R.cache_dir() is None


@pytest.mark.parametrize("case", ["bad_yaml", "invalid_pattern", "alias_clash", "bad_jsonl"])
def test_errors_are_reported_as_without_cache_and_never_cached(cache, base, monkeypatch, case):
    bad = DATA / "bad_rules" / case
    monkeypatch.setenv("KG_NO_CACHE", "1")
    with pytest.raises(RuleError) as plain:
        load(base, bad)
    monkeypatch.delenv("KG_NO_CACHE")
    for _ in range(2):
        with pytest.raises(RuleError) as e:
            load(base, bad)
        assert str(e.value) == str(plain.value)
    assert cache_files(cache) == []


def test_a_cached_folder_broken_later_reports_the_error(cache, base, tmp_path, monkeypatch):
    extra = tmp_path / "user"
    shutil.copytree(DATA / "bad_rules" / "good", extra)
    first = load(base, extra)
    (extra / "relations").mkdir(exist_ok=True)
    shutil.copy(DATA / "bad_rules" / "bad_yaml" / "relations" / "x.yaml", extra / "relations" / "zz_bad.yaml")
    with pytest.raises(RuleError, match="invalid YAML"):
        load(base, extra)
    (extra / "relations" / "zz_bad.yaml").unlink()
    n = Counting(monkeypatch)
    assert load(base, extra) == first and n.calls == 0  # fixed again: the cached set is still good


def run_kg(out: Path, env: dict, *args) -> dict[str, bytes]:
    r = subprocess.run([sys.executable, "-m", "kg", "extract", str(SAMPLE), *map(str, args), "-o", str(out)],
                       capture_output=True, text=True, env=env, cwd=ROOT, timeout=300)
    assert r.returncode == 0, r.stderr
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.suffix in (".json", ".graphml", ".gexf")}


def test_cold_and_warm_runs_write_the_same_bytes(tmp_path):
    env = {**os.environ, "KG_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("KG_NO_CACHE", None)
    cold = run_kg(tmp_path / "cold", env)
    assert len(cache_files(tmp_path / "cache")) == 1
    warm = run_kg(tmp_path / "warm", env)
    none = run_kg(tmp_path / "none", {**env, "KG_NO_CACHE": "1"})
    assert set(cold) == {"graph.json", "graph.graphml", "graph.gexf"}
    assert cold == warm == none
