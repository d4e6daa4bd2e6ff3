"""The fast row mapper gives exactly what ``map_response`` gives, problems included."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxgap.ingest import PRESETS, rowmapper
from cxgap.ingest.mapping import map_response
from cxgap.ingest.pipeline import collect_feedback
from cxgap.ingest.resolve import ResolvedMapping, resolve_mapping
from cxgap.ingest.rowmapper import RowMapper
from cxgap.ingest.spec import FieldMap, MappingSpec
from cxgap.ingest.tables import ReadOptions, RowValues, open_table
from tests.ingest.test_parallel import _spec
from tests.varied_feedback import write_varied_csv

HEADER = [
    "id", "type", "canal", "date", "commentaire", "nps", "csat", "client", "magasin",
    "note interne",
]  # fmt: skip
# Values that each parser accepts or refuses, with spaces, case, translations and contacts.
VALUES = st.one_of(
    st.none(),
    st.sampled_from(
        [
            "",
            " ",
            "survey",
            " Review ",
            "sondage",
            "SONDAGE",
            "chat",
            "nope",
            "0",
            "10",
            " 9 ",
            "11",
            "9,0",
            "4",
            "6",
            "neuf",
            "10 - Extremely likely",
            "2024-03-05",
            "2024-03-05T10:00:00+01:00",
            "2024-02-30",
            "05/03/2024",
            "hier",
            "Web",
            "web",
            "x" * 201,
            "jean@exemple.com",
            "06 12 34 56 78",
            "Très bien",
            "a\r\nb",
            "p_5c78acc287736ed738178646",
            "\ud800",
            "nul\x00",
            "=1+1",
            "fr",
            "Français",
        ]
    ),
    st.text(max_size=12),
)


def _spaced(values: list[str]) -> st.SearchStrategy[str | None]:
    """A valid value of a column, as exports write it: padded, or left empty."""
    return st.one_of(
        st.none(),
        st.builds(
            lambda v, left, right: left + v + right,
            st.sampled_from(values),
            st.sampled_from(["", " ", "\t"]),
            st.sampled_from(["", " ", "  "]),
        ),
    )


# Rows most of which map without a problem: the fast path's own work, not its fallback.
VALID_ROWS = st.tuples(
    _spaced(["R-1", "a b", "p_5c78acc287736ed738178646", "x" * 200]),
    _spaced(["survey", "Review", "sondage", "agent note"]),
    _spaced(["Web", "web", "?", "Magasin  Lyon"]),
    _spaced(["2024-03-05", "2024-03-05T10:00:00+01:00", "2024-12-31 23:59"]),
    _spaced(["Très bien", "ligne\r\ndeux", "mail jean@exemple.com", "?"]),
    _spaced(["0", "9", "10", "9,0", "7 - likely"]),
    _spaced(["1", "5", "4"]),
    _spaced(["C-1", "c 2"]),
    _spaced(["Lyon", "06 12 34 56 78", "x" * 5001]),
    _spaced(["note", "jean@exemple.com"]),
)


def _translating_spec() -> MappingSpec:
    spec = _spec()
    fields = dict(spec.fields)
    fields["channel"] = FieldMap(columns=("canal",), values={"web": "online", "?": None})
    fields["touchpoint"] = FieldMap(default="boutique")
    fields["csat"] = FieldMap(columns=("csat",), default="")  # a value, though empty
    fields["text"] = FieldMap(columns=("commentaire", "magasin"), separator=" / ")
    return MappingSpec(name="t", fields=fields, keep=("magasin",), keep_contacts=("magasin",))


def _resolved(spec: MappingSpec, key: str | None = "k") -> ResolvedMapping:
    return resolve_mapping(spec, HEADER, source="f.csv", pseudonym_key=key)


def _same(mapping: ResolvedMapping, number: int, cells: RowValues) -> None:
    fast, general = RowMapper(mapping)(number, cells), map_response(mapping, number, cells)
    assert fast == general
    assert [p.as_dict() for p in fast.problems] == [p.as_dict() for p in general.problems]


@settings(max_examples=300, deadline=None)
@given(st.lists(VALUES, min_size=len(HEADER), max_size=len(HEADER)), st.booleans())
def test_random_rows_map_the_same(cells: list[str | None], translating: bool) -> None:
    spec = _translating_spec() if translating else PRESETS["generic"]
    header = HEADER if translating else list(PRESETS["generic"].fields)
    mapping = (
        _resolved(spec)
        if translating
        else resolve_mapping(spec, header, source="f.csv", pseudonym_key="k")
    )
    row = RowValues(zip(header, cells, strict=False))
    _same(mapping, 7, row)


@settings(max_examples=400, deadline=None)
@given(VALID_ROWS, st.booleans())
def test_mostly_valid_rows_map_the_same(cells: tuple[str | None, ...], translating: bool) -> None:
    mapping = _resolved(_translating_spec() if translating else _dated(_spec()))
    _same(mapping, 4, RowValues(zip(HEADER, cells, strict=True)))


_WARM: dict[bool, RowMapper] = {}


@settings(max_examples=400, deadline=None)
@given(st.lists(VALID_ROWS, min_size=1, max_size=20), st.booleans())
def test_a_mapper_that_met_other_rows_maps_the_same(
    rows: list[tuple[str | None, ...]], translating: bool
) -> None:
    """One mapper for every example, as for a file: each field's value remembered by the
    cell as read, the rows met before (hundreds) change nothing."""
    if translating not in _WARM:
        _WARM[translating] = RowMapper(
            _resolved(_translating_spec() if translating else _dated(_spec()))
        )
    mapper = _WARM[translating]
    for number, cells in enumerate(rows, start=2):
        row = RowValues(zip(HEADER, cells, strict=True))
        assert mapper(number, row) == map_response(mapper.mapping, number, row)


def test_a_valid_row_does_not_fall_back(monkeypatch: pytest.MonkeyPatch) -> None:
    def refused(*args: object) -> None:
        raise AssertionError("the general path mapped a valid row")

    mapping = _resolved(_dated(_spec()))
    mapper = RowMapper(mapping)
    cells = ["R-1", " survey", "Web", "2024-03-05", " Bien ", "9 ", "4", "C-1", "Lyon", "n"]
    expected = map_response(mapping, 2, RowValues(zip(HEADER, cells, strict=True)))
    monkeypatch.setattr(rowmapper, "map_response", refused)
    assert mapper(2, RowValues(zip(HEADER, cells, strict=True))) == expected
    assert expected.records[0].text == "Bien" and expected.records[0].channel == "web"


def test_a_varied_file_maps_the_same_row_by_row(tmp_path: Path) -> None:
    path = write_varied_csv(tmp_path / "varied.csv", 800)
    spec = _spec()
    with open_table(path, spec.read) as table:
        rows = list(table)
        mapping = resolve_mapping(
            _dated(spec), table.header, source="varied.csv", pseudonym_key="k"
        )
    mapper = RowMapper(mapping)  # one mapper for the file: its memos fill as it goes
    outcomes = [(mapper(n, c), map_response(mapping, n, c)) for n, c in rows]
    assert all(fast == general for fast, general in outcomes)
    assert sum(bool(g.problems) for _, g in outcomes) > 50  # refusals went through both
    assert sum(bool(g.records) for _, g in outcomes) > 400


def test_a_row_marked_unreadable_is_reported_as_before() -> None:
    row = RowValues(dict.fromkeys(HEADER, "1"))
    row.mark("ragged", "has 3 cells but the header has 9 columns", reason="ragged_more")
    _same(_resolved(_spec()), 3, row)
    assert RowMapper(_resolved(_spec()))(3, row).problems[0].code == "ragged"


def test_one_verbatim_per_column_takes_the_general_path() -> None:
    spec = _spec()
    fields = dict(spec.fields) | {"text": FieldMap(columns=("commentaire", "magasin"), each=True)}
    mapping = _resolved(MappingSpec(name="each", fields=fields))
    cells = RowValues(
        zip(HEADER, ["1", "survey", "", "2024-03-05", "a", "", "", "", "b", ""], strict=True)
    )
    assert not RowMapper(mapping).fast
    _same(mapping, 2, cells)
    assert len(RowMapper(mapping)(2, cells).records) == 2


def _dated(spec: MappingSpec) -> MappingSpec:
    """The spec with its date column read as ISO (what detection picks for this file)."""
    fields = dict(spec.fields) | {"collected_at": FieldMap(columns=("date",))}
    return MappingSpec(name=spec.name, fields=fields, keep=spec.keep)


# One mapper for every example: its memo of contact-looking values fills as they go by.
_KEEPING = MappingSpec(
    name="keeping",
    fields=_dated(_spec()).fields,
    keep=("magasin", "note interne", "client"),
    keep_contacts=("note interne",),
)
_KEEPING_MAPPER: list[RowMapper] = []


@settings(max_examples=300, deadline=None)
@given(VALID_ROWS)
def test_kept_columns_drop_contacts_as_before(cells: tuple[str | None, ...]) -> None:
    """Kept columns: a contact value dropped (``magasin``: "06 12 34 56 78"), a column kept
    whatever it holds (``note interne``), both remembered per value by one mapper."""
    mapping = _resolved(_KEEPING)
    if not _KEEPING_MAPPER:
        _KEEPING_MAPPER.append(RowMapper(mapping))
    row = RowValues(zip(HEADER, cells, strict=True))
    fast, general = _KEEPING_MAPPER[0](4, row), map_response(mapping, 4, row)
    assert fast == general


def test_a_contact_named_kept_column_is_dropped_as_before() -> None:
    header = [*HEADER, "Email client"]
    spec = MappingSpec(name="e", fields=_dated(_spec()).fields, keep=("magasin", "Email client"))
    mapping = resolve_mapping(spec, header, source="f.csv", pseudonym_key="k")
    mapper = RowMapper(mapping)
    for shop in ("Lyon", "06 12 34 56 78", "Lyon", "jean@exemple.com", "06 12 34 56 78"):
        cells = ["R-1", "survey", "web", "2024-03-05", "Bien", "9", "", "", shop, "", "x"]
        row = RowValues(zip(header, cells, strict=True))
        fast, general = mapper(2, row), map_response(mapping, 2, row)
        assert fast == general and "Email client" not in fast.records[0].attributes
        assert ("magasin" in fast.records[0].attributes) is (shop == "Lyon")


def _utf7_file(tmp_path: Path) -> Path:
    """A CSV in UTF-7, whose "+2AA-" decodes to a lone surrogate (``"\\ud800"``)."""
    path = tmp_path / "utf7.csv"
    path.write_bytes(
        b"source_id,source_type,collected_at,text\r\n"
        b"a1,survey,2024-03-05,Bien\r\n"
        b"a2,survey,2024-03-05,Mal +2AA-\r\n"
    )
    return path


def test_a_codec_that_gives_lone_surrogates_keeps_the_mappers_look(tmp_path: Path) -> None:
    """Text decoded strictly from UTF-8 or a code page cannot hold a lone surrogate, and
    the fast mapper skips its look for one; a file in a codec that can (UTF-7, named by the
    user) is still looked at, and the row refused as before."""
    spec = MappingSpec(
        name="utf7", fields=PRESETS["generic"].fields, read=ReadOptions(encoding="utf-7")
    )
    records, report = collect_feedback(_utf7_file(tmp_path), spec)
    assert not records and [(p.row, p.field, p.code) for p in report.problems] == [
        (3, "text", "surrogate")
    ]
    with open_table(_utf7_file(tmp_path), spec.read) as table:
        assert not table.surrogate_free
    utf8 = tmp_path / "utf8.csv"
    utf8.write_text("source_id,source_type,collected_at,text\na1,survey,2024-03-05,Bien\n")
    with open_table(utf8, PRESETS["generic"].read) as table:
        assert table.surrogate_free
        fields = dict(PRESETS["generic"].fields)
        fields["collected_at"] = FieldMap(columns=("collected_at",))
        generic = MappingSpec(name="g", fields=fields)
        mapping = resolve_mapping(generic, table.header, surrogate_free=table.surrogate_free)
    assert not RowMapper(mapping).surrogates and RowMapper(_resolved(_spec())).surrogates
