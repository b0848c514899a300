"""How long the graph page takes to settle in headless Chromium.

Generates a synthetic graph (default 2,000 nodes and 5,000 edges, tests/graphs.py), writes
it with kg.export.html.write_html, opens it from a file:// URL in Debian's chromium
(/usr/bin/chromium, driven by Playwright) and measures, for each run:

- ``render_s``: Python time to build and write the page;
- ``settle_s``: from the start of navigation to the moment the page reports that its layout
  has stopped (``window.kgSettled``: vis-network's ``stabilized`` event, or the first drawing
  when the page laid the graph out itself and physics is off), read from the page's own
  clock (``performance.now()`` at that moment);
- ``wall_s``: the same seen from Python (goto until the flag is seen).

Prints one line per run and a summary line ``settle_s median=... max=...``. The target for
2,000 nodes and 5,000 edges is under 15 s. Any request leaving the file fails the run.

    python benchmarks/bench_page.py [--nodes 2000] [--edges 5000] [--runs 3] [--max-nodes N]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for p in (ROOT, ROOT / "tests"):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))

from graphs import random_graph  # noqa: E402

from kg.export.html import write_html  # noqa: E402

CHROMIUM = os.environ.get("KG_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
TARGET_S = 15.0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--nodes", type=int, default=2000)
    ap.add_argument("--edges", type=int, default=5000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--max-nodes", type=int, default=None)
    ap.add_argument("--timeout", type=float, default=120.0, help="seconds per run")
    ap.add_argument("--json", action="store_true", help="also print the results as JSON")
    args = ap.parse_args(argv)

    if not Path(CHROMIUM).is_file():
        print(f"{CHROMIUM} not found (apt-get install -y chromium)", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    work = ROOT / "benchmarks" / "_work"
    work.mkdir(parents=True, exist_ok=True)
    page_path = work / f"page_{args.nodes}_{args.edges}.html"

    t = time.perf_counter()
    G = random_graph(args.nodes, args.edges, seed=args.seed)
    gen_s = time.perf_counter() - t
    print(f"graph: {G.number_of_nodes()} nodes, {G.number_of_edges()} edges "
          f"(generated in {gen_s:.2f} s)")

    results = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for run in range(1, args.runs + 1):
                t = time.perf_counter()
                stats = write_html(G, page_path, max_nodes=args.max_nodes)
                render_s = time.perf_counter() - t
                url = page_path.resolve().as_uri()
                leaks: list[str] = []
                ctx = browser.new_context(viewport={"width": 1400, "height": 860})
                ctx.on("request", lambda r: None if r.url.split("#")[0] == url
                       or r.url.startswith("data:") else leaks.append(r.url))
                page = ctx.new_page()
                t = time.perf_counter()
                page.goto(url)
                page.wait_for_function("() => window.kgSettled === true",
                                       timeout=args.timeout * 1000)
                wall_s = time.perf_counter() - t
                settle_ms = page.evaluate("() => window.kgSettleMs")
                layout_steps = page.evaluate("() => window.kgLayoutSteps")
                counts = page.evaluate("() => [nodes.length, edges.length]")
                ctx.close()
                if leaks:
                    print(f"requests left the file: {leaks}", file=sys.stderr)
                    return 1
                r = {
                    "run": run,
                    "nodes": counts[0],
                    "edges": counts[1],
                    "nodes_left_out": stats["nodes_left_out"],
                    "render_s": round(render_s, 3),
                    "settle_s": round(settle_ms / 1000, 3),
                    "wall_s": round(wall_s, 3),
                    "layout": "kg" if layout_steps else "vis physics",
                    "layout_steps": layout_steps,
                    "page_mb": round(page_path.stat().st_size / 2**20, 2),
                }
                results.append(r)
                print(f"run {run}: settle_s={r['settle_s']:.2f} wall_s={r['wall_s']:.2f} "
                      f"render_s={r['render_s']:.2f} nodes={r['nodes']} edges={r['edges']} "
                      f"layout={r['layout']} steps={layout_steps} page={r['page_mb']} MiB")
        finally:
            browser.close()

    settle = [r["settle_s"] for r in results]
    med = statistics.median(settle)
    print(f"settle_s median={med:.2f} max={max(settle):.2f} "
          f"(target < {TARGET_S:.0f} s for 2,000 nodes / 5,000 edges; {os.cpu_count()} CPUs)")
    if args.json:
        print(json.dumps({"results": results, "settle_s_median": med}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
