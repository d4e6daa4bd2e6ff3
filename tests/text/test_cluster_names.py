"""Emerging topics get names a person would give: phrases, no stop word, no negation or
pronoun, no brand, no word the whole corpus uses, never "emerging-N"."""

from __future__ import annotations

from cxgap.text.cluster_names import cluster_names, frequent_words, name_words, phrases
from cxgap.text.clusters import cluster_texts, words_of
from tests.text.fakes import HashedTrigramEmbedder

NOBODY = [
    "Personne ne répond au téléphone",
    "Personne ne décroche le téléphone du magasin",
    "Nobody answers the phone",
    "Personne au téléphone, jamais",
    "Nobody ever picks up the phone",
]
PARKING = [
    "Impossible de trouver une place de parking",
    "Aucune place de parking le samedi",
    "Plus de place de parking après 10h",
    "Parking full again",
]
BRAND = [
    "Lumen Maison ne livre pas le samedi",
    "Chez Lumen Maison pas de livraison le samedi",
    "Lumen maison: no Saturday delivery",
    "Samedi, livraison impossible chez Lumen",
]


def test_negations_and_pronouns_are_stop_words_in_both_languages() -> None:
    for word in ("personne", "nobody", "rien", "nothing", "jamais", "never", "aucune", "didn"):
        assert words_of(f"{word} colis") == ["colis"], word


def test_a_shared_phrase_names_the_cluster() -> None:
    names = cluster_names([PARKING, NOBODY], [["parking", "place"], ["téléphone", "phone"]])
    assert names[0] == "Place de parking"
    # No phrase said twice here: the keywords, never "Personne" or "Nobody".
    assert names[1] == "Téléphone / phone"


def test_the_brand_and_background_words_never_name_a_topic() -> None:
    brand = name_words("Lumen Maison")
    assert brand == {"lumen", "maison"}
    (name,) = cluster_names([BRAND], [["lumen", "maison", "samedi", "livraison"]], exclude=brand)
    assert "lumen" not in name.lower() and "maison" not in name.lower()
    assert name in ("Samedi / livraison", "Livraison", "Samedi")
    corpus = ["le produit est cassé"] * 10 + [f"autre remarque {i}" for i in range(30)]
    assert "produit" not in frequent_words(corpus[:20])  # too small a corpus to tell
    assert "remarque" in frequent_words(corpus) and "produit" not in frequent_words(corpus)


def test_without_keywords_the_representative_clause_gives_the_name() -> None:
    (name,) = cluster_names([["Délai de rétractation non respecté", "rétractation"]], [[]])
    assert name == "Délai de rétractation"
    (last,) = cluster_names([["Oui oui oui", "non non"]], [[]])
    assert last == "Oui oui oui" and not last.startswith("emerging")


def test_phrases_keep_connectors_but_not_stop_words_at_the_ends() -> None:
    assert phrases("temps d'attente interminable au SAV") == [
        "temps d'attente",
        "attente interminable",
        "interminable au sav",
    ]
    assert phrases("nobody answers the phone") == ["answers the phone"]


def test_clusters_found_on_embeddings_are_named_without_the_brand() -> None:
    texts = NOBODY + PARKING + BRAND
    exclude = name_words("Lumen Maison")
    clusters = cluster_texts(
        texts, HashedTrigramEmbedder(dimension=512).embed(texts), min_size=3, exclude=exclude
    )
    assert clusters and all(not {"lumen", "maison"} & set(c.keywords) for c in clusters)
    names = cluster_names(
        [[texts[i] for i in c.members] for c in clusters],
        [c.keywords for c in clusters],
        exclude=exclude,
    )
    for name in names:
        lowered = name.lower()
        assert name and not lowered.startswith(("personne", "nobody", "emerging"))
        assert "lumen" not in lowered and "maison" not in lowered
