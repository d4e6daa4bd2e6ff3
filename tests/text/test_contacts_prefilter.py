"""The masker's prefilter (no ``@``: no e-mail pattern; no run of 8 digits: no number
pattern) changes nothing: the masker gives what every pattern run on every text gives."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from cxgap.text import contacts
from cxgap.text.contacts import mask_contacts

# Pieces of contact details and of the ordinary text around them, glued at random.
PIECES = st.sampled_from(
    [
        "06 12 34 56 78",
        "+33 6 12 34 56 78",
        "+33 (0)6 12 34 56 78",
        "(020) 7946 0958",
        "+44 7700 900123",
        "555-123-4567",
        "+1 (555) 123-4567",
        "4111 1111 1111 1111",
        "3782 822463 10005",
        "FR76 3000 6000 0112 3456 7890 189",
        "1 85 05 2A 006 084 91",
        "1 85 05 78 006 084 91",
        "marie.dupont@exemple.fr",
        "a@b.c",
        "@",
        "+",
        "(",
        ")",
        "-",
        ".",
        " ",
        "0",
        "7",
        "12",
        "123456789",
        "03/05/2024",
        "1 234,50 €",
        "Lyon 69003",
        "commande",
        "é",
        "\n",
        "x",
    ]
)
TEXTS = st.one_of(
    st.lists(PIECES, max_size=12).map("".join),
    st.text(alphabet="0123456789 +().-@abcxé\n", max_size=60),
)


def _every_pattern(text: str) -> str:
    for kind in contacts._KINDS:
        text = kind.pattern.sub(kind.replacement, text)
    return text


@settings(max_examples=1500, deadline=None)
@given(TEXTS)
@example("appelez le 06 12 34 56 78 ou écrivez à marie@exemple.fr")
@example("1 85 05 2A 006 084 91")
@example("0612345678")  # ASCII, digits only
@example("appel 0")  # ASCII, one digit: no run of them, no scan
@example("٠٦١٢٣٤٥٦٧٨ et 06 12 34 56 78")  # digits outside ASCII: the scan
def test_the_prefilter_masks_what_every_pattern_masks(text: str) -> None:
    assert mask_contacts(text) == _every_pattern(text)
