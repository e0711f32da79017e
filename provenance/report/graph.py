"""Layout of the derivation graph: one force-directed layout per story cluster, clusters packed in a grid.

networkx's spring layout (Fruchterman–Reingold) is a maintained, seeded implementation;
laying out each connected component on its own keeps clusters of one story together
and keeps the cost linear in the number of clusters rather than quadratic in documents.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import networkx as nx


def layout(edges: Iterable[tuple[str, str, float]], lone: Iterable[str] = ()) -> dict[str, tuple[float, float]]:
    """Positions in [0, 1]² for every node of an edge (source, target, weight) and every `lone` node."""
    graph = nx.DiGraph()
    graph.add_nodes_from(lone)
    for source, target, weight in edges:
        graph.add_edge(source, target, weight=weight)
    components = sorted((sorted(c) for c in nx.weakly_connected_components(graph)), key=lambda c: (-len(c), c[0]))
    if not components:
        return {}
    columns = math.ceil(math.sqrt(len(components)))
    positions: dict[str, tuple[float, float]] = {}
    for k, nodes in enumerate(components):
        row, col = divmod(k, columns)
        sub = graph.subgraph(nodes).to_undirected()
        local = nx.spring_layout(sub, seed=0, weight="weight") if len(nodes) > 1 else {nodes[0]: (0.0, 0.0)}
        for node in nodes:
            x, y = local[node]
            positions[node] = ((col + 0.5 + 0.4 * float(x)) / columns, (row + 0.5 + 0.4 * float(y)) / columns)
    return positions
