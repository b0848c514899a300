import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
SAMPLE = ROOT / "kg" / "data" / "000_43f3dd9206b315b4.txt"
SAMPLE_GOLD = DATA / "000_43f3dd9206b315b4.gold.yaml"
SHARED = ROOT.parent / "shared"

# kg keeps validated rule sets in a user cache folder (kg.rules): the suite uses a folder of its
# own, set before anything loads rules and inherited by the kg subprocesses tests start, so no
# test reads or writes ~/.cache or depends on what an earlier run left there
_TEST_CACHE = tempfile.mkdtemp(prefix="kg-test-cache-")
os.environ["KG_CACHE_DIR"] = _TEST_CACHE
atexit.register(shutil.rmtree, _TEST_CACHE, True)


def shared_or_skip(*parts) -> Path:
    """A file under ../shared; tests needing it skip only when ../shared is absent (never in CI)."""
    p = SHARED.joinpath(*parts)
    if not SHARED.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"{SHARED} is missing in CI")
        pytest.skip(f"{SHARED} is absent on this machine")
    assert p.exists(), f"{p} missing from ../shared"
    return p


def user_gazetteer(folder: Path, yaml_text: str):
    """Built-in rules plus a user folder holding one gazetteer file with ``yaml_text``."""
    from kg.rules import load_rules

    (folder / "gazetteer").mkdir()
    (folder / "gazetteer" / "user.yaml").write_text(yaml_text, encoding="utf-8")
    return load_rules(folder)


@pytest.fixture(scope="session")
def extractor():
    from kg.extractor import Extractor

    return Extractor()


@pytest.fixture(scope="session")
def sample_text():
    return SAMPLE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def sample_graph(extractor, sample_text):
    from kg.graph import build_graph

    ex = extractor.extract(sample_text, doc_id=SAMPLE.name)
    return build_graph(ex, extractor.rules)
