"""Similar ideas while typing: folded words, stop words out, rare words weigh more."""

from __future__ import annotations

from cxgap.community.similar import fold, similar, words

BOARD = [
    (1, "Livraison le samedi"),
    (2, "Mode sombre dans l'application"),
    (3, "Saturday delivery slots"),
    (4, "Application crashes at checkout"),
    (5, "Réduction pour les fidèles"),
]


def test_accents_and_case_do_not_hide_a_match() -> None:
    assert fold("RÉDUCTION Fidèles") == "reduction fideles"
    assert [m.idea_id for m in similar("reduction fidele", BOARD)] == [5]


def test_plurals_match_their_singular() -> None:
    assert words("deliveries") == words("delivery") == {"delivery"}
    assert words("livraisons") == {"livraison"}
    assert words("address") == {"address"}  # a double s is not a plural


def test_a_rare_shared_word_outweighs_a_common_one() -> None:
    found = similar("application livraison", BOARD, threshold=0.0)
    # "livraison" is on one idea, "application" on two: idea 1 ranks first
    assert [m.idea_id for m in found][:1] == [1]
    assert {m.idea_id for m in found} == {1, 2, 4}


def test_stop_words_and_politeness_alone_find_nothing() -> None:
    assert similar("please, the a le la", BOARD) == []
    assert similar("", BOARD) == []


def test_the_limit_and_threshold_hold() -> None:
    found = similar("saturday delivery samedi livraison", BOARD, limit=1)
    assert len(found) == 1
    assert all(m.score >= 0.34 for m in similar("delivery", BOARD))
