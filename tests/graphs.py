"""Synthetic graphs that follow docs/graph-spec.md, for the exporters' tests and benchmarks.

They do not depend on the extractor: every exporter must work on any graph that follows
the spec, so the tests build such graphs by hand.

- :func:`sample_graph` looks like what ``kg extract`` makes of the sample article
  (kg/data/000_43f3dd9206b315b4.txt): Chinese and English names, aliases, symmetric and
  hedged relations, two relations between the same pair.
- :func:`hostile_graph` carries script-injection payloads in every text field. Each payload,
  if it ever ran, would set ``window.__pwned = 1`` and open a dialog.
- :func:`random_graph` makes a graph of ``n_nodes`` nodes and ``n_edges`` edges, the same for
  the same seed.
"""

from __future__ import annotations

import copy
import random

import networkx as nx

__all__ = [
    "TYPE_COLORS",
    "SYMMETRIC",
    "HOSTILE_PAYLOADS",
    "add_entity",
    "add_relation",
    "readable",
    "sample_graph",
    "hostile_graph",
    "random_graph",
    "snapshot",
]

TYPE_COLORS = {
    "PERSON": "#e15759",
    "ORG": "#4e79a7",
    "PRODUCT": "#59a14f",
    "LOCATION": "#f28e2b",
    "PROJECT": "#b07aa1",
}

SYMMETRIC = {"ALLY_OF", "RIVAL_OF", "COMPETES_WITH", "PARTNER_OF"}

RELATIONS = [
    "CEO_OF", "PRESIDENT_OF", "CHAIRMAN_OF", "FOUNDER_OF", "EMPLOYED_BY", "LEFT", "FIRED",
    "ALLY_OF", "RIVAL_OF", "LAUNCHED", "PRODUCES", "USES", "VARIANT_OF", "PARTNER_OF",
    "INVESTOR_IN", "COMPETES_WITH", "BASED_IN", "EXPORT_CONTROLS", "REGULATES", "PART_OF",
]


def readable(relation: str) -> str:
    """``CEO_OF`` -> ``CEO of``, ``EXPORT_CONTROLS`` -> ``export controls``."""
    words = relation.split("_")
    out = []
    for w in words:
        out.append(w if w in {"CEO", "CTO", "US"} else w.lower())
    return " ".join(out)


def _new_graph(docs: int = 1) -> nx.MultiDiGraph:
    return nx.MultiDiGraph(name="kg", kg_version="0.0.test", docs=docs)


def add_entity(G, node_id, label, type_, *, aliases=(), name_zh="", name_en="", mentions=1,
               wikidata="", source="gazetteer", color=None):
    """Add a node with every attribute the spec names."""
    forms = [label, *aliases]
    seen: list[str] = []
    for f in forms:
        if f and f not in seen:
            seen.append(f)
    G.add_node(
        node_id,
        label=label,
        type=type_,
        aliases="|".join(seen),
        name_zh=name_zh,
        name_en=name_en,
        wikidata=wikidata,
        mentions=int(mentions),
        color=color if color is not None else TYPE_COLORS.get(type_, "#888888"),
        source=source,
    )


def add_relation(G, u, v, relation, evidence, *, doc="doc0", docs=None, weight=None,
                 label=None, confidence=0.9, certainty="asserted", qualifier="", rule=None,
                 start=0, edge_id=None):
    """Add an edge with every attribute the spec names; ``evidence`` is a list of sentences."""
    if isinstance(evidence, str):
        evidence = [evidence]
    eid = edge_id or f"e{G.number_of_edges() + 1:04d}"
    first = evidence[0] if evidence else ""
    G.add_edge(
        u,
        v,
        key=eid,
        id=eid,
        relation=relation,
        label=label if label is not None else readable(relation),
        symmetric=relation in SYMMETRIC,
        weight=int(weight if weight is not None else max(1, len(evidence))),
        evidence=" | ".join(evidence),
        doc=doc,
        docs=docs if docs is not None else doc,
        start=int(start),
        end=int(start) + len(first),
        rule=rule or f"{relation.lower()}_1",
        confidence=float(confidence),
        certainty=certainty,
        qualifier=qualifier,
    )
    return eid


def sample_graph() -> nx.MultiDiGraph:
    """A graph like the one the sample article gives (names and sentences from its gold file)."""
    G = _new_graph(docs=1)
    D = "000_43f3dd9206b315b4"
    E = add_entity
    E(G, "nvidia", "Nvidia", "ORG", aliases=["英伟达", "NVIDIA", "輝達"], name_zh="英伟达",
      name_en="Nvidia", mentions=24, wikidata="Q182477")
    E(G, "openai", "OpenAI", "ORG", aliases=["CloseAI"], name_zh="", name_en="OpenAI",
      mentions=21, wikidata="Q21708200")
    E(G, "sam_altman", "Sam Altman", "PERSON",
      aliases=["Samaltman", "萨马尔特曼", "阿尔特曼", "Altman", "奥特曼"], name_zh="萨姆·奥尔特曼",
      name_en="Sam Altman", mentions=12, wikidata="Q7407093")
    E(G, "greg_brockman", "Greg Brockman", "PERSON", aliases=["格雷格布罗克曼", "Brockman"],
      name_zh="格雷格·布罗克曼", name_en="Greg Brockman", mentions=4)
    E(G, "ilya_sutskever", "Ilya Sutskever", "PERSON", aliases=["伊利亚苏茨克弗", "Sutskever"],
      name_zh="伊利亚·苏茨克维", name_en="Ilya Sutskever", mentions=3)
    E(G, "jensen_huang", "Jensen Huang", "PERSON", aliases=["黄仁勋", "老黄"], name_zh="黄仁勋",
      name_en="Jensen Huang", mentions=3)
    E(G, "sega_cheng", "Sega Cheng", "PERSON", aliases=["程世佳"], name_zh="程世佳",
      name_en="Sega Cheng", mentions=2)
    E(G, "microsoft", "Microsoft", "ORG", aliases=["微软"], name_zh="微软", name_en="Microsoft",
      mentions=8)
    E(G, "google", "Google", "ORG", aliases=["谷歌"], name_zh="谷歌", name_en="Google", mentions=3)
    E(G, "ikala", "iKala", "ORG", aliases=["Ikala"], name_en="iKala", mentions=2)
    E(G, "biren", "Biren Technology", "ORG", aliases=["碧琪", "壁仞"], name_zh="壁仞科技",
      name_en="Biren Technology", mentions=1)
    E(G, "moore_threads", "Moore Threads", "ORG", aliases=["摩尔线程"], name_zh="摩尔线程",
      name_en="Moore Threads", mentions=1)
    E(G, "us_commerce", "US Department of Commerce", "ORG", aliases=["美国商务部", "商务部"],
      name_zh="美国商务部", name_en="US Department of Commerce", mentions=2)
    E(G, "united_states", "United States", "LOCATION", aliases=["美国", "US"], name_zh="美国",
      name_en="United States", mentions=9)
    E(G, "china", "China", "LOCATION", aliases=["中国"], name_zh="中国", name_en="China",
      mentions=10)
    for pid, name, m in [("h100", "H100", 5), ("a100", "A100", 4), ("h800", "H800", 3),
                         ("a800", "A800", 3), ("l40s", "L40S", 1), ("rtx4090", "RTX 4090", 1)]:
        E(G, pid, name, "PRODUCT", aliases=[f"NVIDIA {name}"], name_en=name, mentions=m)
    E(G, "ascend_910b", "Ascend 910B", "PRODUCT", aliases=["910B", "昇腾910B"],
      name_zh="昇腾910B", name_en="Ascend 910B", mentions=2)
    E(G, "chatgpt", "ChatGPT", "PRODUCT", name_en="ChatGPT", mentions=5)
    E(G, "copilot", "Copilot", "PRODUCT", name_en="Copilot", mentions=1)
    E(G, "bard", "Bard", "PRODUCT", aliases=["Google Bard"], name_en="Bard", mentions=1)
    E(G, "tigris", "底格里斯", "PROJECT", aliases=["Tigris"], name_zh="底格里斯", name_en="Tigris",
      mentions=2, source="pattern")
    E(G, "bsfcc", "BSFCC", "PROJECT", aliases=["蓝海前沿计算集群"], name_zh="蓝海前沿计算集群",
      name_en="Blue Sea Frontier Compute Cluster", mentions=2, source="pattern")

    R = add_relation
    R(G, "sam_altman", "openai", "CEO_OF", "OpenAI CEO Samaltman 上周末被董事会解雇,整个全球 AI 圈“炸开了锅”。",
      doc=D, start=120, confidence=0.95)
    R(G, "openai", "sam_altman", "FIRED", ["在萨马尔特曼被OpenAI解雇的几周前", "OpenAI CEO Samaltman 上周末被董事会解雇"],
      doc=D, start=640)
    R(G, "openai", "chatgpt", "LAUNCHED", "OpenAI推出改变世界的ChatGPT才不到一年。", doc=D, start=230)
    R(G, "united_states", "nvidia", "EXPORT_CONTROLS",
      "2022 年 9 月,美国首次在没有任何警告的情况下对英伟达发布出口管制。", doc=D, start=500)
    for p in ("h800", "a800"):
        R(G, "nvidia", p, "LAUNCHED", "英伟达立即针对中国市场推出了 H800 和 A800 的降级版本。", doc=D, start=560)
        R(G, p, "china", "TARGETS_MARKET", "针对中国市场推出了 H800 和 A800。", doc=D, start=566,
          confidence=0.7)
    R(G, "h800", "h100", "VARIANT_OF", "英伟达立即针对中国市场推出了 H800 和 A800 的降级版本。", doc=D)
    R(G, "a800", "a100", "VARIANT_OF", "英伟达立即针对中国市场推出了 H800 和 A800 的降级版本。", doc=D)
    for p in ("h100", "a100", "l40s", "rtx4090"):
        R(G, "united_states", p, "EXPORT_CONTROLS",
          "A800、H800、L40、L40S、显卡RTX4090降级版也被纳入管制。", doc=D, start=700)
    R(G, "nvidia", "h100", "PRODUCES", "能够携带多达10,000个NVIDIA H100GPU。", doc=D)
    R(G, "bsfcc", "h100", "USES", "“蓝海前沿计算集群”(BSFCC)……能够携带多达10,000个NVIDIA H100GPU。", doc=D)
    R(G, "ascend_910b", "a100", "BENCHMARKED_AGAINST", "910B,即将出台的性能可以对标A100。", doc=D)
    R(G, "jensen_huang", "nvidia", "EMPLOYED_BY", "英伟达黄仁勋曾表示,中国客户不会放弃。", doc=D)
    R(G, "greg_brockman", "sam_altman", "ALLY_OF", "阿尔特曼在OpenAI的盟友是总裁兼前董事长格雷格布罗克曼。", doc=D)
    R(G, "greg_brockman", "openai", "PRESIDENT_OF", "阿尔特曼在OpenAI的盟友是总裁兼前董事长格雷格布罗克曼。", doc=D)
    R(G, "greg_brockman", "openai", "CHAIRMAN_OF", "阿尔特曼在OpenAI的盟友是总裁兼前董事长格雷格布罗克曼。",
      doc=D, qualifier="former")
    R(G, "greg_brockman", "openai", "LEFT",
      "他的盟友格雷格布罗克曼以及OpenAI的三名高级研究人员也被传出已经离开了OpenAI。", doc=D,
      certainty="reported", confidence=0.6)
    R(G, "ilya_sutskever", "sam_altman", "RIVAL_OF", "而对手是OpenAI的首席科学家伊利亚苏茨克弗。", doc=D)
    R(G, "ilya_sutskever", "openai", "CHIEF_SCIENTIST_OF", "OpenAI的首席科学家伊利亚苏茨克弗。", doc=D)
    R(G, "microsoft", "openai", "INVESTOR_IN", "OpenAI最大的融资方Microsoft带头“施压”董事会。", doc=D)
    R(G, "microsoft", "openai", "PRESSURED", "OpenAI最大的融资方Microsoft带头“施压”董事会。", doc=D)
    R(G, "sega_cheng", "ikala", "FOUNDER_OF", "AI创业公司Ikala联合创始人兼CEO程世佳表示。", doc=D)
    R(G, "sega_cheng", "ikala", "CEO_OF", "AI创业公司Ikala联合创始人兼CEO程世佳表示。", doc=D)
    R(G, "microsoft", "copilot", "INTEGRATES", "Microsoft可以将Copilot集成到Microsoft的所有产品线中。", doc=D)
    R(G, "google", "bard", "PRODUCES", "Google Bard可以集成到搜索引擎和广告产品中。", doc=D)
    R(G, "united_states", "biren", "EXPORT_CONTROLS", "中国本土GPU设计公司碧琪和摩尔线程也在控制名单上。", doc=D)
    R(G, "united_states", "moore_threads", "EXPORT_CONTROLS", "中国本土GPU设计公司碧琪和摩尔线程也在控制名单上。", doc=D)
    R(G, "biren", "china", "BASED_IN", "中国本土GPU设计公司碧琪和摩尔线程。", doc=D)
    R(G, "moore_threads", "china", "BASED_IN", "中国本土GPU设计公司碧琪和摩尔线程。", doc=D)
    R(G, "sam_altman", "tigris", "FOUNDER_OF",
      "据传他正在筹集数十亿美元,成立一家拥有AI芯片的公司,代号为底格里斯。", doc=D, certainty="reported",
      confidence=0.55)
    R(G, "tigris", "nvidia", "COMPETES_WITH", "可以生产可以与英伟达竞争的产品,代号为底格里斯。", doc=D)
    R(G, "us_commerce", "united_states", "PART_OF", "美国商务部周二表示。", doc=D)
    R(G, "us_commerce", "microsoft", "REGULATES", "亚马逊云和Microsoft等云服务提供商需要申请牌照。", doc=D)
    R(G, "openai", "microsoft", "PARTNER_OF", "OpenAI and Microsoft extended their partnership.",
      doc="en_001", docs=f"en_001|{D}")
    return G


# Every payload would set window.__pwned and open a dialog if it ever ran.
HOSTILE_PAYLOADS = [
    '<img src=x onerror="window.__pwned=1;alert(1)">',
    "</script><script>window.__pwned=1;alert(2)</script>",
    '<svg onload="window.__pwned=1;alert(3)"></svg>',
    "javascript:window.__pwned=1;alert(4)",
    "\"'><iframe src=\"javascript:window.top.__pwned=1\"></iframe>",
    "</style><style>body{background:url(https://evil.example/x.png)}</style>",
    "<!--<script>window.__pwned=1</script>-->",
    "{{ 7*7 }} {% raw %} ${window.__pwned=1} `x`",
    "line\u2028sep\u2029para & &amp; &lt;b&gt; \\u003c",
    '<a href="javascript:window.__pwned=1;alert(5)">click me</a>',
    "<link rel=stylesheet href=https://evil.example/a.css>",
    "ctl\x00\x01\x0b\x1f chars and \ufffe \ud800 lone surrogate",
]


def hostile_graph() -> nx.MultiDiGraph:
    """Every text field carries a payload; ids and colours are hostile too."""
    G = _new_graph(docs=2)
    P = HOSTILE_PAYLOADS
    add_entity(G, "evil_img", P[0], "PERSON", aliases=[P[3], "Evil Person", "恶意"],
               name_zh="恶意<b>人物</b>", name_en=P[0], mentions=9)
    add_entity(G, "evil_script", P[1], "ORG", aliases=[P[4], P[6]], name_zh=P[1], name_en=P[1],
               mentions=7, wikidata=P[9])
    add_entity(G, "evil_svg", P[2], "PRODUCT", aliases=[P[5], P[7]], name_zh=P[8], name_en=P[2],
               mentions=5, color="red;background:url(https://evil.example/c.png)")
    add_entity(G, 'p_<img_src=x_onerror="window.__pwned=1">', P[9], "PROJECT",
               aliases=[P[10], P[11]], name_zh="", name_en="", mentions=3, source="pattern")
    add_entity(G, "plain", "Plain Company", "ORG", aliases=["普通公司"], name_zh="普通公司",
               name_en="Plain Company", mentions=2)
    add_relation(G, "evil_img", "evil_script", "CEO_OF", [P[0], P[1], P[2]], doc=P[1],
                 docs="|".join([P[1], P[0]]), qualifier=P[2], rule=P[3], certainty="reported")
    add_relation(G, "evil_script", "evil_svg", "LAUNCHED", [P[5], P[6], P[9]], doc=P[0],
                 label=P[0])
    add_relation(G, "evil_svg", 'p_<img_src=x_onerror="window.__pwned=1">', "RIVAL_OF",
                 [P[7], P[8], P[11]], doc="d2")
    add_relation(G, 'p_<img_src=x_onerror="window.__pwned=1">', "plain", P[1], [P[10], P[4]],
                 doc="d3", label=P[2])
    add_relation(G, "plain", "evil_img", "EMPLOYED_BY", ["普通的一句话。", P[3]], doc="d4")
    return G


def random_graph(n_nodes: int, n_edges: int, seed: int = 0) -> nx.MultiDiGraph:
    """``n_nodes`` nodes, ``n_edges`` edges; hubs get more edges (preferential, by mentions)."""
    rng = random.Random(seed)
    G = _new_graph(docs=max(1, n_edges // 50))
    types = list(TYPE_COLORS)
    ids = []
    weights = []
    for i in range(n_nodes):
        t = types[i % len(types)]
        mentions = max(1, int(rng.paretovariate(1.3)))
        nid = f"n{i:05d}"
        add_entity(G, nid, f"Entity {i}", t, aliases=[f"实体{i}", f"E{i}"], name_zh=f"实体{i}",
                   name_en=f"Entity {i}", mentions=mentions,
                   source="gazetteer" if i % 3 else "pattern")
        ids.append(nid)
        weights.append(mentions)
    for j in range(n_edges):
        u, v = rng.choices(ids, weights=weights, k=2) if n_nodes > 1 else (ids[0], ids[0])
        if u == v and n_nodes > 1:
            v = ids[(ids.index(u) + 1 + rng.randrange(n_nodes - 1)) % n_nodes]
        rel = rng.choice(RELATIONS)
        add_relation(G, u, v, rel, [f"Sentence {j} says {u} {rel} {v}.", f"另一句 {j}。"],
                     doc=f"doc{j % 97}", start=j * 10, confidence=round(rng.random(), 3),
                     certainty="reported" if j % 11 == 0 else "asserted",
                     edge_id=f"e{j:05d}")
    return G


def snapshot(G) -> tuple:
    """A deep copy of everything in ``G`` (graph, node and edge attributes, order), for
    checking that an exporter changed nothing."""
    return (
        copy.deepcopy(dict(G.graph)),
        [(n, copy.deepcopy(dict(d))) for n, d in G.nodes(data=True)],
        [(u, v, k, copy.deepcopy(dict(d))) for u, v, k, d in G.edges(keys=True, data=True)],
    )
