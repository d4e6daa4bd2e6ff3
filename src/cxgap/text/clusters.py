"""Emerging topics: group the clauses no topic covers, and say what each group is about.

Clauses are clustered on their normalised embeddings by average-linkage agglomerative
clustering on cosine distance; the tree is cut at the distance whose clusters have the best
silhouette (so nobody has to guess how many topics there are), clusters smaller than
``min_size`` are dropped as noise and the ``max_clusters`` largest are kept. Everything is
deterministic: the same clauses in the same order give the same clusters.

Each cluster is described by keywords scored class-based TF-IDF style (c-TF-IDF, as in
BERTopic): a word's share of the cluster's words times ``log(1 + A / f)``, where ``A`` is the
average number of words per cluster and ``f`` the word's frequency over all clusters, so words
frequent in one cluster and rare elsewhere win. French and English stop words (pronouns and
negations included) and the words in ``exclude`` (the workspace's name, the corpus's most
frequent words) are left out.
The representative verbatims are the members nearest to the cluster's centroid.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from cxgap.text.protocols import Matrix

_STOP_WORDS_TEXT = """
    a about above after again all also am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers him his how i if in into is it its itself
    just me more most my myself no nor not now of off on once only or other our ours out over
    own same she should so some such than that the their theirs them then there these they
    this those through to too under until up very was we were what when where which while who
    whom why will with would you your yours yourself get got really still even one two
    ai aie aient ainsi alors as au aucun aussi autre aux avaient avais avait avant avec avoir
    bah beaucoup bien bon ça car ce ceci cela celle celles celui cependant ces cet cette ceux
    chaque chez comme comment dans de des donc dont du elle elles en encore est et étaient
    étais était été être eu eux fait faire fois font il ils je jusqu la le les leur leurs lui
    ma mais me même mes moi mon ne ni nos notre nous on ont ou où par parce pas peu peut plus
    pour pourquoi qu quand que quel quelle quelles quels qui sa sans se sera ses si sien son
    sont sous suis sur ta te tes toi ton toujours tous tout toute toutes très trop tu un une
    vos votre vous vu y été déjà lors après avant ici là
    nobody anybody anyone anything everybody everyone everything nothing someone something
    never none neither ever yes don didn doesn isn wasn aren weren won couldn wouldn shouldn
    haven hasn hadn can cannot let lot lots thing things said told say says went come came
    make made want wanted need needed like also well much many always back since
    personne rien jamais aucune aucun nul nulle quelqu quelque quelques chose choses celui
    cela ceci ceux oui non avez avons ai suis était étaient sommes êtes serait seront
    fais faut dit dire vais va vont allé mettre mis tous toutes vraiment assez autant
    depuis pendant moins puis donc voilà enfin leur leurs eux elle elles lui
"""
STOP_WORDS = frozenset(re.findall(r"\S+", _STOP_WORDS_TEXT))
# Cosine distances at which the tree may be cut (the best by silhouette wins).
CUTS = tuple(round(0.1 + 0.05 * i, 2) for i in range(15))  # 0.10 … 0.80
_WORD = re.compile(r"[^\W\d_]{3,}", re.UNICODE)
Floats = NDArray[np.float64]


@dataclass(frozen=True)
class Cluster:
    """A group of similar clauses: indices into the input, nearest to the centroid first."""

    members: tuple[int, ...]
    keywords: tuple[str, ...]
    cohesion: float  # mean cosine similarity of the members to the centroid

    @property
    def size(self) -> int:
        return len(self.members)

    def representatives(self, count: int = 3) -> tuple[int, ...]:
        return self.members[:count]


def words_of(text: str) -> list[str]:
    """Lower-case words of three letters or more, stop words left out.

    >>> words_of("The parcel was left at the neighbour's, encore une fois !")
    ['parcel', 'left', 'neighbour']
    """
    folded = unicodedata.normalize("NFC", text.lower())
    return [word for word in _WORD.findall(folded) if word not in STOP_WORDS]


def cluster_texts(
    texts: Sequence[str],
    vectors: Matrix,
    *,
    min_size: int = 3,
    max_clusters: int = 12,
    max_keywords: int = 5,
    exclude: frozenset[str] = frozenset(),
) -> list[Cluster]:
    """Clusters of at least ``min_size`` texts, largest first.

    >>> import numpy as np
    >>> vectors = np.array([[1, 0.1], [1, 0], [0.9, 0.1], [0, 1], [0.1, 1], [0, 0.9]])
    >>> texts = ["late parcel", "parcel late again", "parcel lost", "rude agent",
    ...          "agent was rude", "rude support agent"]
    >>> [(c.size, c.keywords) for c in cluster_texts(texts, vectors.astype("float32"))]
    [(3, ('agent', 'rude')), (3, ('parcel', 'late'))]
    """
    if len(texts) != len(vectors):
        raise ValueError(f"{len(texts)} texts but {len(vectors)} vectors")
    unit = _normalised(np.asarray(vectors, dtype=np.float64))
    usable = np.flatnonzero(np.linalg.norm(unit, axis=1) > 0)
    if len(usable) < 2 * min_size:
        return []
    labels = _best_labels(unit[usable], min_size=min_size, max_clusters=max_clusters)
    groups = [usable[labels == label] for label in np.unique(labels)]
    groups = sorted((g for g in groups if len(g) >= min_size), key=lambda g: (-len(g), g[0]))
    groups = groups[:max_clusters]
    keywords = _keywords([[texts[i] for i in g] for g in groups], max_keywords, exclude)
    clusters = [_cluster(unit, group, words) for group, words in zip(groups, keywords, strict=True)]
    return sorted(clusters, key=lambda c: (-c.size, -c.cohesion, c.members))


def _normalised(vectors: Floats) -> Floats:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms == 0, 1.0, norms)


def _best_labels(unit: Floats, *, min_size: int, max_clusters: int) -> NDArray[np.int64]:
    """Average-linkage clusters, the tree cut at the cosine distance with the best silhouette.

    Cutting at a distance rather than at a number of clusters lets real feedback fall into
    as many groups as it has, plus many singletons (clauses like no other), which are noise.
    """
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import pdist, squareform

    condensed = np.clip(pdist(unit, metric="cosine"), 0.0, 2.0)
    tree = linkage(condensed, method="average")
    distances = squareform(condensed)
    best: tuple[float, NDArray[np.int64]] | None = None
    for cut in CUTS:
        labels = np.asarray(fcluster(tree, cut, criterion="distance"), dtype=np.int64)
        sizes = np.bincount(labels)
        if len(np.unique(labels)) < 2 or not (sizes >= min_size).any():
            continue
        score = silhouette(distances, labels)
        if best is None or score > best[0] + 1e-9:
            best = (score, labels)
    return best[1] if best is not None else np.ones(len(unit), dtype=np.int64)


def silhouette(distances: Floats, labels: NDArray[np.int64]) -> float:
    """Mean silhouette of a labelling, from a square distance matrix (Rousseeuw 1987).

    >>> import numpy as np
    >>> d = np.array([[0, 1, 4, 4], [1, 0, 4, 4], [4, 4, 0, 1], [4, 4, 1, 0]], dtype=float)
    >>> round(silhouette(d, np.array([1, 1, 2, 2])), 3)
    0.75
    """
    names, index = np.unique(labels, return_inverse=True)
    members = np.eye(len(names))[index]  # n x k one-hot
    counts = members.sum(axis=0)
    sums = distances @ members  # n x k: total distance to each cluster
    own = counts[index]
    a = np.where(own > 1, sums[np.arange(len(index)), index] / np.maximum(own - 1, 1), 0.0)
    mean_other = sums / counts
    mean_other[np.arange(len(index)), index] = np.inf
    b = mean_other.min(axis=1)
    widths = np.maximum(a, b)
    scores = np.where((own > 1) & (widths > 0), (b - a) / np.where(widths > 0, widths, 1), 0.0)
    return float(scores.mean())


def _keywords(
    groups: list[list[str]], count: int, exclude: frozenset[str] = frozenset()
) -> list[tuple[str, ...]]:
    """The ``count`` best c-TF-IDF words of each group (ties broken alphabetically)."""

    def words(text: str) -> list[str]:
        return [w for w in words_of(text) if w not in exclude]

    bags = [Counter(word for text in group for word in words(text)) for group in groups]
    documents = [Counter(w for text in group for w in set(words(text))) for group in groups]
    overall: Counter[str] = Counter()
    for bag in bags:
        overall.update(bag)
    average = sum(overall.values()) / max(len(bags), 1)
    out: list[tuple[str, ...]] = []
    for bag, docs, group in zip(bags, documents, groups, strict=True):
        total = sum(bag.values()) or 1
        # A keyword should describe several members, not one long verbatim.
        needed = 2 if len(group) >= 2 else 1
        scored = [
            (-(n / total) * math.log(1 + average / overall[word]), word)
            for word, n in bag.items()
            if docs[word] >= needed
        ]
        out.append(tuple(word for _, word in sorted(scored)[:count]))
    return out


def _cluster(unit: Floats, group: NDArray[np.int64], keywords: tuple[str, ...]) -> Cluster:
    centroid = unit[group].mean(axis=0)
    centroid /= np.linalg.norm(centroid) or 1.0
    similarity = unit[group] @ centroid
    order = np.lexsort((group, -similarity))  # nearest first, then input order
    return Cluster(
        members=tuple(int(group[i]) for i in order),
        keywords=keywords,
        cohesion=float(similarity.mean()),
    )
