"""Corpus mode: many documents into one graph, streamed, on one process, N processes or a Dask cluster.

Documents stream through: each is read, extracted (here, in a worker process or on a Dask worker),
reduced to a small :class:`DocSummary` (no text) and folded into an :class:`Accumulator` as it
arrives. Memory is bounded by the graph (entities, edges with capped evidence, document ids), not
by the corpus. Results are folded in document order whatever the engine, so every engine writes
the same bytes.

The accumulator builds the same graph as ``build_graph(merge(results))`` (tests/test_corpus.py
checks it byte for byte), and can start from a graph written before (``--merge``).
"""

from __future__ import annotations

import glob
import gzip
import io
import json
import os
import stat
import sys
import threading
import time
import zlib
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .errors import InputError, KGError
from .inputs import BinaryInput, Document, decode_bytes, read_text

try:
    from .inputs import MAX_BYTES
except ImportError:  # pragma: no cover
    MAX_BYTES = 1 << 30

__all__ = ["Source", "expand_inputs", "iter_documents", "DocSummary", "summarize", "Accumulator",
           "run_corpus", "CorpusStats", "EngineError"]

GLOB_CHARS = set("*?[")
JSONL_SUFFIXES = (".jsonl", ".ndjson")
GZ_MAGIC = b"\x1f\x8b"
CHUNK_BYTES = 1 << 18  # documents are sent to workers in chunks of about this much text
CHUNK_DOCS = 64  # small chunks keep every worker busy to the end of the corpus
_WARN_LIMIT = 20  # per kind of warning; the rest are counted


class EngineError(KGError):
    """A worker pool or Dask cluster failed."""


def _clean_id(s: str) -> str:
    # `docs` on an edge is `|`-joined: a `|` inside an id would split it
    return s.replace("|", "¦").replace("\n", " ").strip() or "doc"


# ---------------------------------------------------------------------------------------- inputs

@dataclass(frozen=True)
class Source:
    """One input: a file (plain, .gz, JSON Lines) or standard input (path ``-``)."""

    path: str
    doc_id: str  # id of the document if the source holds one text; base name of JSON Lines ids
    size: int = 0  # bytes on disk (0: unknown)

    @property
    def is_stdin(self) -> bool:
        return self.path == "-"


def _base_name(p: Path) -> str:
    return p.name[:-3] if p.name.endswith(".gz") else p.name


def _check_file(p: Path) -> int:
    try:
        st = p.stat()
    except PermissionError:
        raise InputError(f"{p}: permission denied") from None
    except OSError as e:
        raise InputError(f"{p}: cannot read ({e.strerror or e})") from None
    if not stat.S_ISREG(st.st_mode):
        raise InputError(f"{p}: is not a regular file")
    if not os.access(p, os.R_OK):
        raise InputError(f"{p}: permission denied")
    return st.st_size


def _folder_files(folder: Path) -> list[Path]:
    out = []
    for root, dirs, files in os.walk(folder, onerror=None, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for f in sorted(files):
            if not f.startswith("."):
                out.append(Path(root) / f)
    return out


def expand_inputs(inputs: Iterable[str | os.PathLike]) -> list[Source]:
    """Paths, folders (recursive, hidden files skipped), globs and ``-`` -> sources, in order.

    A missing path, a glob matching nothing, an unreadable file or a folder without files
    raises InputError naming it. The same file named twice is read once."""
    sources: list[Source] = []
    seen: set[str] = set()
    stdin_seen = False

    def add(p: Path, doc_id: str):
        key = str(p.resolve())
        if key in seen:
            return
        seen.add(key)
        sources.append(Source(str(p), _clean_id(doc_id), _check_file(p)))

    for raw in inputs:
        s = os.fspath(raw)
        if s == "-":
            if not stdin_seen:
                stdin_seen = True
                sources.append(Source("-", "stdin"))
            continue
        p = Path(s)
        if not os.path.lexists(s) and GLOB_CHARS & set(s):
            matches = sorted(glob.glob(s, recursive=True))
            if not matches:
                raise InputError(f"{s}: no file matches")
            for m in matches:
                mp = Path(m)
                if mp.is_dir():
                    for f in _folder_files(mp):
                        add(f, f.relative_to(mp).as_posix().removesuffix(".gz"))
                elif mp.is_file():
                    add(mp, _base_name(mp))
            continue
        if not p.exists():
            raise InputError(f"{s}: no such file or folder")
        if p.is_dir():
            if not os.access(p, os.R_OK | os.X_OK):
                raise InputError(f"{s}: permission denied")
            found = _folder_files(p)
            if not found:
                raise InputError(f"{s}: folder holds no text files")
            for f in found:
                add(f, f.relative_to(p).as_posix().removesuffix(".gz"))
        else:
            add(p, _base_name(p))
    return sources


def _sniff_binary(head: bytes) -> str | None:
    try:
        from .inputs import sniff_binary
    except ImportError:  # pragma: no cover
        return "binary data" if b"\x00" in head[:4096] else None
    if head.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")):
        return None
    return sniff_binary(head)


def _is_jsonl_name(name: str) -> bool:
    n = name.lower().removesuffix(".gz")
    return n.endswith(JSONL_SUFFIXES)


def _lines(head: bytes, fh) -> Iterator[bytes]:
    *lines, buf = head.split(b"\n")
    yield from lines
    while True:
        chunk = fh.read(1 << 20)
        if not chunk:
            break
        if b"\n" not in chunk:
            buf += chunk
            continue
        *lines, rest = chunk.split(b"\n")
        lines[0] = buf + lines[0]
        buf = rest
        yield from lines
    if buf:
        yield buf


@dataclass
class _Reading:
    """What the reader saw besides documents: for warnings, errors and the summary."""

    binary: list[str] = field(default_factory=list)
    bad_lines: int = 0
    renamed: int = 0
    warnings: int = 0


class _Reader:
    def __init__(self, encoding: str | None, warn: Callable[[str], None]):
        self.encoding = encoding
        self.warn_cb = warn
        self.ids: set[str] = set()
        self.state = _Reading()
        # a binary file's "skipped" warning waits for the first text: with no text at all, the run
        # ends in one error line instead of a warning followed by the same message as an error
        self.pending: list[str] = []
        self.seen_text = False

    def binary(self, msg: str):
        self.state.binary.append(msg)
        if self.seen_text:
            self.warn(f"{msg}; skipped")
        else:
            self.pending.append(msg)

    def text_seen(self):
        if not self.seen_text:
            self.seen_text = True
            for msg in self.pending:
                self.warn(f"{msg}; skipped")
            self.pending.clear()

    def warn(self, msg: str):
        self.state.warnings += 1
        if self.state.warnings <= _WARN_LIMIT:
            self.warn_cb(msg)

    def unique(self, doc_id: str) -> str:
        doc_id = _clean_id(doc_id)
        if doc_id not in self.ids:
            self.ids.add(doc_id)
            return doc_id
        self.state.renamed += 1
        n = 2
        while f"{doc_id}#{n}" in self.ids:
            n += 1
        new = f"{doc_id}#{n}"
        self.ids.add(new)
        return new

    # -- one source -> documents with their size in bytes
    def read(self, src: Source) -> Iterator[tuple[Document, int]]:
        if src.is_stdin:
            yield from self._read_stream(sys.stdin.buffer, src, sniff=True)
            return
        p = Path(src.path)
        gz = False
        try:
            with open(p, "rb") as fh:
                gz = fh.read(2) == GZ_MAGIC
        except OSError as e:
            raise InputError(f"{src.path}: cannot read ({e.strerror or e})") from None
        if not gz and not _is_jsonl_name(p.name):
            try:
                doc = read_text(p, self.encoding)
            except BinaryInput as e:
                self.binary(str(e))
                return
            doc.id = self.unique(src.doc_id)
            yield doc, src.size
            return
        try:
            fh = open(p, "rb")
        except OSError as e:
            raise InputError(f"{src.path}: cannot read ({e.strerror or e})") from None
        with fh:
            yield from self._read_stream(fh, src, sniff=False, gz=gz)

    def _read_stream(self, fh, src: Source, *, sniff: bool, gz: bool | None = None) -> Iterator[tuple[Document, int]]:
        name = "standard input" if src.is_stdin else src.path
        try:
            head = fh.read(65536)
            if gz or (gz is None and head.startswith(GZ_MAGIC)):
                fh = gzip.GzipFile(fileobj=_Prefixed(head, fh), mode="rb")
                head = fh.read(65536)
            jsonl = _is_jsonl_name(src.path) if not sniff else head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")
            if not jsonl:
                data = head + fh.read(MAX_BYTES + 1)  # one text: a gzip bomb stops here
                if len(data) > MAX_BYTES:
                    raise InputError(f"{name}: more than {MAX_BYTES // (1 << 20)} MB of text in one document "
                                     "(use JSON Lines for many documents)")
                try:
                    text, enc = decode_bytes(data, name, self.encoding)
                except BinaryInput as e:
                    self.binary(str(e))
                    return
                yield Document(self.unique(src.doc_id), text, enc, src.path), len(data)
                return
            yield from self._read_jsonl(head, fh, src, name)
        except (OSError, EOFError, zlib.error) as e:  # truncated or corrupt gzip, read errors
            raise InputError(f"{name}: cannot read ({getattr(e, 'strerror', None) or e})") from None

    def _read_jsonl(self, head: bytes, fh, src: Source, name: str) -> Iterator[tuple[Document, int]]:
        what = _sniff_binary(head)
        if what:
            self.binary(f"{name}: is {what}, not text")
            return
        enc = self.encoding or "utf-8"
        base = src.doc_id
        for stem in (".jsonl", ".ndjson"):
            if base.lower().endswith(stem):
                base = base[: -len(stem)]
        good = bad = 0
        for n, raw in enumerate(_lines(head, fh), 1):
            if n == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            if not raw.strip():
                continue
            try:
                obj = json.loads(raw.decode(enc, errors="replace"))
            except (ValueError, LookupError) as e:
                if isinstance(e, LookupError):
                    raise InputError(f"unknown encoding {enc!r}") from None
                obj = None
            text = obj.get("text") if isinstance(obj, dict) else None
            if not isinstance(text, str):
                bad += 1
                self.state.bad_lines += 1
                self.warn(f"{name}:{n}: not a JSON object with a \"text\" string; skipped")
                continue
            good += 1
            did = obj.get("id")
            did = f"{base}:{n}" if did is None or did == "" else str(did)
            date = obj.get("date") or ""
            yield (Document(self.unique(did), text, enc, src.path, str(date),
                            str(obj.get("source") or ""), str(obj.get("url") or "")), len(raw) + 1)
        if good == 0 and bad:
            raise InputError(f"{name}: no line is a JSON object with a \"text\" string")


class _Prefixed(io.RawIOBase):
    """A binary stream that first returns ``head``, then the rest of ``fh`` (for sniffing)."""

    def __init__(self, head: bytes, fh):
        self.head, self.fh = head, fh

    def readable(self):
        return True

    def readinto(self, b):
        if self.head:
            n = min(len(b), len(self.head))
            b[:n] = self.head[:n]
            self.head = self.head[n:]
            return n
        data = self.fh.read(len(b))
        b[: len(data)] = data
        return len(data)


def iter_documents(sources: list[Source], encoding: str | None = None,
                   warn: Callable[[str], None] = lambda m: None, reading: _Reading | None = None
                   ) -> Iterator[tuple[Document, int]]:
    """Documents with their input size in bytes, one at a time, ids unique (``id#2`` on repeats)."""
    r = _Reader(encoding, warn)
    if reading is not None:
        r.state = reading
    for src in sources:
        for item in r.read(src):
            r.text_seen()
            yield item


# ---------------------------------------------------------------------------------------- extraction

@dataclass
class DocSummary:
    """What a document contributes to the graph: no text, so it is cheap to send between processes."""

    doc_id: str
    nbytes: int
    language: str
    mentions: dict  # entity id -> [count, surface forms in order of first appearance]
    new_entities: dict  # entity id -> Entity (pattern-found)
    relations: list  # kg.model.Relation


def summarize(res, nbytes: int = 0) -> DocSummary:
    mentions: dict[str, list] = {}
    for m in res.mentions:
        slot = mentions.get(m.entity)
        if slot is None:
            mentions[m.entity] = [1, [m.text]]
        else:
            slot[0] += 1
            if m.text not in slot[1]:
                slot[1].append(m.text)
    return DocSummary(res.doc_id, nbytes, res.language, mentions, dict(res.new_entities), list(res.relations))


_LOCAL = threading.local()


def _extractor(rules):
    """One Extractor per rule set per thread of a worker (built on first use, then reused)."""
    cache = getattr(_LOCAL, "cache", None)
    if cache is None:
        cache = _LOCAL.cache = {}
    fp = rules.fingerprint()
    ex = cache.get(fp)
    if ex is None:
        from .extractor import Extractor

        ex = cache[fp] = Extractor(rules)
    return ex


def extract_chunk(rules, lang, chunk) -> list[DocSummary]:
    """Extract a list of ``(doc_id, text, date, nbytes)``; the unit of work of every engine."""
    ex = _extractor(rules)
    return [summarize(ex.extract_doc(text, doc_id=did, lang=lang, date=date), nb)
            for did, text, date, nb in chunk]


# multiprocessing: the initializer builds the Extractor once per worker
_WORKER: dict = {}


def _pool_init(rules, lang):
    _WORKER["rules"], _WORKER["lang"] = rules, lang
    _extractor(rules)


def _pool_work(chunk):
    return extract_chunk(_WORKER["rules"], _WORKER["lang"], chunk)


def _chunks(docs: Iterator[tuple[Document, int]]) -> Iterator[list[tuple]]:
    chunk, size = [], 0
    for doc, nb in docs:
        chunk.append((doc.id, doc.text, doc.date, nb))
        size += len(doc.text)
        if size >= CHUNK_BYTES // 3 or len(chunk) >= CHUNK_DOCS:  # ~256 KB of UTF-8 Chinese
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def _ordered_window(submit, get, chunks, window: int) -> Iterator[list[DocSummary]]:
    """Submit chunks with at most ``window`` in flight; yield results in submission order.

    (Pool.imap would read the whole input ahead of the workers: this keeps memory bounded.)"""
    pending: deque = deque()
    for chunk in chunks:
        pending.append(submit(chunk))
        if len(pending) >= window:
            yield get(pending.popleft())
    while pending:
        yield get(pending.popleft())


def _serial(rules, lang, chunks):
    for chunk in chunks:
        yield extract_chunk(rules, lang, chunk)


def _processes(rules, lang, chunks, jobs: int):
    import multiprocessing as mp

    ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context()
    pool = ctx.Pool(jobs, initializer=_pool_init, initargs=(rules, lang))
    try:
        yield from _ordered_window(lambda c: pool.apply_async(_pool_work, (c,)), lambda f: f.get(),
                                   chunks, window=jobs * 3)
        pool.close()
    finally:
        pool.terminate()
        pool.join()


def _dask(rules, lang, chunks, scheduler: str | None, jobs: int, note: Callable[[str], None]):
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise EngineError("--engine dask needs dask.distributed: pip install 'kg[dask]'") from None
    cluster = None
    try:
        if scheduler:
            client = Client(scheduler, timeout=os.environ.get("KG_DASK_TIMEOUT", "20s"))
        else:
            cluster = LocalCluster(n_workers=max(1, jobs), threads_per_worker=1, processes=True,
                                   dashboard_address=None)
            client = Client(cluster)
            note(f"started a local Dask cluster with {max(1, jobs)} worker(s)")
    except (OSError, TimeoutError, ValueError) as e:
        raise EngineError(f"cannot reach the Dask scheduler at {scheduler}: {e}") from None
    try:
        threads = sum(client.nthreads().values()) or 1
        rf = client.scatter(rules, broadcast=True)

        def get(fut):
            try:
                return fut.result()
            except KGError:
                raise
            except Exception as e:  # a worker without kg, killed workers, ...
                raise EngineError(f"Dask task failed: {type(e).__name__}: {e}") from None

        yield from _ordered_window(lambda c: client.submit(extract_chunk, rf, lang, c, pure=False), get,
                                   chunks, window=max(4, threads * 3))
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


# ---------------------------------------------------------------------------------------- the graph

from .graph import DOCS_CAP  # noqa: E402


class _Edge:
    __slots__ = ("weight", "doc", "start", "end", "rule", "evidence", "docs", "prior_docs", "doc_count",
                 "first_date", "last_date", "confidence", "asserted", "qualifiers")

    def __init__(self):
        self.weight = 0
        self.doc = ""
        self.start = self.end = 0
        self.rule = ""
        self.evidence: list[str] = []
        self.docs: list[str] = []  # the first DOCS_CAP documents
        self.doc_count = 0
        self.prior_docs: set[str] | None = None
        self.first_date = self.last_date = ""
        self.confidence = 0.0
        self.asserted = False
        self.qualifiers: set[str] = set()


class Accumulator:
    """Folds documents (as :class:`DocSummary`) into one graph, in arrival order.

    Gives the graph ``build_graph(merge(all results), rules)`` gives, keeping per edge only what
    the graph shows: evidence capped at ``kg.graph.EVIDENCE_CAP`` sentences."""

    def __init__(self, rules, evidence_cap: int | None = None):
        from .graph import EVIDENCE_CAP

        self.rules = rules
        self.cap = EVIDENCE_CAP if evidence_cap is None else evidence_cap
        self.n_docs = 0
        self.n_bytes = 0
        self.counts: dict[str, int] = {}
        self.seen_alias: dict[str, list[str]] = {}
        self.patterns: dict = {}  # pattern-found entities (kg.model.Entity), first seen wins
        self.prior_nodes: dict[str, dict] = {}  # nodes of a graph merged in (--merge)
        self.edges: dict[tuple[str, str, str], _Edge] = {}

    # -- documents
    def add(self, s: DocSummary) -> None:
        from .model import Entity

        self.n_docs += 1
        self.n_bytes += s.nbytes
        counts, seen = self.counts, self.seen_alias
        for eid, (n, surfaces) in s.mentions.items():
            counts[eid] = counts.get(eid, 0) + n
            al = seen.get(eid)
            if al is None:
                seen[eid] = list(surfaces)
            else:
                al.extend(a for a in surfaces if a not in al)
        for eid, ent in s.new_entities.items():
            cur = self.patterns.get(eid)
            if cur is None:
                self.patterns[eid] = Entity(eid, ent.type, ent.label, ent.name_en, ent.name_zh, "", "pattern",
                                            list(ent.aliases))
            else:
                cur.aliases.extend(a for a in ent.aliases if a not in cur.aliases)
        if not s.relations:
            return
        groups: dict[tuple, list] = {}
        for r in s.relations:
            groups.setdefault((r.subject, r.relation, r.object), []).append(r)
        doc = s.doc_id
        for key, rels in groups.items():
            rels.sort(key=lambda r: (r.start, r.rule))  # stable, as build_graph sorts
            e = self.edges.get(key)
            if e is None:
                e = self.edges[key] = _Edge()
                f = rels[0]
                e.doc, e.start, e.end, e.rule = f.doc, f.start, f.end, f.rule
            starts = set()
            for r in rels:
                if r.start in starts:
                    continue
                starts.add(r.start)
                if len(e.evidence) < self.cap and r.evidence not in e.evidence:
                    e.evidence.append(r.evidence)
            e.weight += len(starts)
            if not (e.prior_docs and doc in e.prior_docs):
                e.doc_count += 1  # a document arrives once: its relations are grouped above
                if len(e.docs) < DOCS_CAP:
                    e.docs.append(doc)
            for r in rels:
                if r.date:
                    if not e.first_date or r.date < e.first_date:
                        e.first_date = r.date
                    if r.date > e.last_date:
                        e.last_date = r.date
                if r.confidence > e.confidence:
                    e.confidence = r.confidence
                if r.certainty == "asserted":
                    e.asserted = True
                if r.qualifier:
                    e.qualifiers.add(r.qualifier)

    # -- a graph written before (--merge): its documents count as read before this batch
    def add_graph(self, G) -> None:
        from .graph import SEP

        if self.n_docs or self.edges:
            raise ValueError("add_graph must come before any document")
        self.n_docs += int(G.graph.get("docs", 0) or 0)
        for n, d in G.nodes(data=True):
            n = str(n)
            p = self.prior_nodes.setdefault(n, {"aliases": [], "mentions": 0})
            for k in ("label", "type", "name_zh", "name_en", "wikidata", "source"):
                if k not in p and d.get(k) not in (None, ""):
                    p[k] = str(d[k])
            p["mentions"] += int(d.get("mentions", 0) or 0)
            for a in str(d.get("aliases", "") or "").split("|"):
                if a and a not in p["aliases"]:
                    p["aliases"].append(a)
        for u, v, d in sorted(G.edges(data=True), key=lambda t: (str(t[2].get("id", "")),)):
            key = (str(u), str(d.get("relation", "")), str(v))
            e = self.edges.get(key)
            if e is None:
                e = self.edges[key] = _Edge()
                e.doc, e.rule = str(d.get("doc", "")), str(d.get("rule", ""))
                e.start, e.end = int(d.get("start", 0) or 0), int(d.get("end", 0) or 0)
            e.weight += int(d.get("weight", 1) or 0)
            for ev in str(d.get("evidence", "") or "").split(SEP):
                if ev and len(e.evidence) < self.cap and ev not in e.evidence:
                    e.evidence.append(ev)
            listed = [x for x in str(d.get("docs", "") or "").split("|") if x]
            for doc in listed:
                if doc not in e.docs and len(e.docs) < DOCS_CAP:
                    e.docs.append(doc)
            e.doc_count += int(d.get("doc_count", len(listed)) or len(listed))
            e.prior_docs = set(listed)
            fd, ld = str(d.get("first_date", "") or ""), str(d.get("last_date", "") or "")
            if fd and (not e.first_date or fd < e.first_date):
                e.first_date = fd
            if ld and ld > e.last_date:
                e.last_date = ld
            e.confidence = max(e.confidence, float(d.get("confidence", 0) or 0))
            e.asserted = e.asserted or d.get("certainty", "asserted") != "reported"
            e.qualifiers.update(q for q in str(d.get("qualifier", "") or "").split(",") if q)

    # -- the result
    def entities(self) -> dict:
        """Entity id -> kg.model.Entity, as merge() makes them (plus the nodes of a merged graph)."""
        from .model import Entity

        gaz = self.rules.gazetteer
        out = {}
        for eid in sorted(set(self.counts) | set(self.prior_nodes)):
            prior = self.prior_nodes.get(eid)
            n = self.counts.get(eid, 0)
            if n <= 0 and prior is None:
                continue
            g = gaz.get(eid)
            if g is not None:
                ent = Entity(eid, g.type, g.label, g.name_en, g.name_zh, g.wikidata, "gazetteer")
                known = g.names()
            elif prior is not None:
                ent = Entity(eid, prior.get("type", "ORG"), prior.get("label", eid), prior.get("name_en", ""),
                             prior.get("name_zh", ""), prior.get("wikidata", ""), prior.get("source", "pattern"))
                pe = self.patterns.get(eid)
                known = [ent.label, *(pe.aliases if pe else [])]
            else:
                pe = self.patterns.get(eid)
                ent = (Entity(eid, pe.type, pe.label, pe.name_en, pe.name_zh, "", "pattern", list(pe.aliases))
                       if pe else Entity(eid, "ORG", eid, source="pattern"))
                known = [ent.label, *ent.aliases]
            seen = list(prior["aliases"]) if prior else []
            seen.extend(a for a in self.seen_alias.get(eid, ()) if a not in seen)
            ent.aliases = seen + [a for a in known if a not in seen]
            ent.mentions = n + (prior["mentions"] if prior else 0)
            out[eid] = ent
        return out

    def graph(self):
        """The networkx graph (docs/graph-spec.md), deterministic: same input, same bytes."""
        from .graph import add_edge, add_entity, new_graph, symmetric_relations

        symmetric = symmetric_relations(self.rules)
        ents = self.entities()
        G = new_graph(self.n_docs)
        for e in ents.values():  # sorted by id
            add_entity(G, e)
        keys = sorted(k for k in self.edges if k[0] in ents and k[2] in ents)
        for n, key in enumerate(keys, 1):
            e = self.edges[key]
            add_edge(G, n, key, symmetric=key[1] in symmetric, weight=e.weight, evidence=e.evidence,
                     doc=e.doc, docs=e.docs, doc_count=e.doc_count, start=e.start, end=e.end, rule=e.rule,
                     confidence=e.confidence, asserted=e.asserted, qualifiers=e.qualifiers,
                     first_date=e.first_date, last_date=e.last_date)
        return G


# ---------------------------------------------------------------------------------------- a run

@dataclass
class CorpusStats:
    documents: int = 0
    bytes: int = 0
    seconds: float = 0.0
    binary_skipped: int = 0
    bad_lines: int = 0
    renamed: int = 0
    warnings: int = 0

    @property
    def mb(self) -> float:
        return self.bytes / 1e6

    @property
    def mb_per_s(self) -> float:
        return self.mb / self.seconds if self.seconds > 0 else 0.0


def run_corpus(sources: list[Source], rules, *, lang: str | None = None, encoding: str | None = None,
               jobs: int = 1, engine: str = "local", scheduler: str | None = None, merge_graph=None,
               warn: Callable[[str], None] = lambda m: None, progress: bool | None = None,
               ) -> tuple[Accumulator, CorpusStats]:
    """Read, extract and fold every document of ``sources``; returns the accumulator and stats.

    Raises InputError when nothing but binary files was given."""
    t0 = time.perf_counter()
    acc = Accumulator(rules)
    if merge_graph is not None:
        acc.add_graph(merge_graph)
    prior_docs = acc.n_docs
    reading = _Reading()
    if progress is None:
        progress = sys.stderr.isatty()
    total = None
    if sources and not any(s.is_stdin or s.path.endswith(".gz") for s in sources):
        total = sum(s.size for s in sources) or None
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=total, unit="B", unit_scale=True, unit_divisor=1000, desc="kg", file=sys.stderr,
                   dynamic_ncols=True, smoothing=0.1, mininterval=0.5)

        def say(msg):
            bar.write(f"kg: warning: {msg}", file=sys.stderr)
    else:
        say = warn
    docs = iter_documents(sources, encoding, say, reading)
    chunks = _chunks(docs)
    if engine == "dask":
        results = _dask(rules, lang, chunks, scheduler, jobs,
                        (lambda m: bar.write(f"kg: {m}", file=sys.stderr)) if bar else
                        (lambda m: print(f"kg: {m}", file=sys.stderr)))
    elif jobs > 1:
        results = _processes(rules, lang, chunks, jobs)
    else:
        results = _serial(rules, lang, chunks)
    try:
        for batch in results:
            for s in batch:
                acc.add(s)
            if bar is not None:
                bar.update(sum(s.nbytes for s in batch))
                bar.set_postfix_str(f"{acc.n_docs - prior_docs} docs", refresh=False)
    finally:
        close = getattr(results, "close", None)
        if close:
            close()
        if bar is not None:
            bar.close()
    stats = CorpusStats(acc.n_docs - prior_docs, acc.n_bytes, time.perf_counter() - t0,
                        len(reading.binary), reading.bad_lines, reading.renamed, reading.warnings)
    if stats.documents == 0 and reading.binary:
        raise InputError(reading.binary[0] if len(reading.binary) == 1
                         else f"{reading.binary[0]} (and {len(reading.binary) - 1} more binary file(s)): no text to read")
    return acc, stats
