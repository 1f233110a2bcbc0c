"""Source contracts: which columns a delivery has and how each value is parsed.

A contract is declarative. `parsing.py` turns it into SQL that parses and
checks every row of a file in one pass.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Kind:
    """How one kind of value is parsed from the trimmed text `{v}` (a DuckDB
    expression that yields NULL for an invalid value), what a valid value looks
    like, and optionally a more specific reason for an invalid one.

    With a `lookup` (SQL selecting `key, value` from reference tables), the parsed
    text is the key and the value is looked up with a join: a key that is not
    there (or twice) is an invalid value."""

    sql_type: str
    parse: str
    expected: str
    reason: str | None = None
    lookup: str | None = None


# Years and dates outside this range are typing errors (2201, 1021), not history or plans.
FIRST_YEAR, LAST_YEAR = 1990, 2099
# Dates of birth go further back: clients of 100 and older are real.
FIRST_BIRTH_YEAR = 1900
# The longest value accepted in any column; longer is a damaged file or text pasted in the wrong place.
MAX_VALUE_CHARS = 1000


KINDS: dict[str, Kind] = {
    "text": Kind("VARCHAR", "{v}", "a non-empty text"),
    "gemeente_code": Kind(
        "VARCHAR",
        "CASE WHEN regexp_full_match(upper({v}), 'GM[0-9]{{4}}') THEN upper({v}) END",
        "a CBS gemeentecode of seeds/reference/gemeenten.csv, such as GM0637",
        reason="CASE WHEN regexp_full_match(upper({v}), 'GM[0-9]{{4}}')"
        " THEN 'unknown gemeente: ' || upper({v}) || ' is not in seeds/reference/gemeenten.csv'"
        " ELSE 'not a valid gemeente_code' END",
        lookup="SELECT upper(gemeente_code) AS key, upper(gemeente_code) AS value FROM ref_gemeenten",
    ),
    "jaar": Kind(
        "INTEGER",
        f"CASE WHEN regexp_full_match({{v}}, '[0-9]{{{{4}}}}')"
        f" AND CAST({{v}} AS INTEGER) BETWEEN {FIRST_YEAR} AND {LAST_YEAR} THEN CAST({{v}} AS INTEGER) END",
        f"a year of 4 digits from {FIRST_YEAR} to {LAST_YEAR}, such as 2021",
        reason=f"CASE WHEN regexp_full_match({{v}}, '[0-9]{{{{4}}}}')"
        f" THEN 'year ' || {{v}} || ' lies outside {FIRST_YEAR}-{LAST_YEAR} (a typing error?)'"
        " ELSE 'not a valid jaar' END",
    ),
    "fase": Kind(
        "VARCHAR",
        "CASE WHEN lower(regexp_replace({v}, '\\s+', ' ', 'g'))"
        " IN ('begroting primitief', 'begroting na wijziging', 'rekening')"
        " THEN lower(regexp_replace({v}, '\\s+', ' ', 'g')) END",
        "one of: begroting primitief, begroting na wijziging, rekening",
    ),
    "soort": Kind(
        "VARCHAR",
        "CASE WHEN lower({v}) IN ('baten', 'lasten') THEN lower({v}) END",
        "baten or lasten",
    ),
    "ja_nee": Kind(
        "BOOLEAN",
        "CASE WHEN lower({v}) IN ('ja', 'j', '1', 'true', 'waar') THEN true"
        " WHEN lower({v}) IN ('nee', 'n', '0', 'false', 'onwaar') THEN false END",
        "ja or nee",
    ),
    "bedrag": Kind(
        "DECIMAL(18,2)",
        "nl_bedrag({v})",
        "an amount in euros with decimal comma and optional thousands dots, such as -65.776.123,45",
        reason="CASE WHEN regexp_matches({v}, '[0-9][eE][+-]?[0-9]')"
        " THEN 'scientific notation is not accepted (a spreadsheet export artefact)'"
        " WHEN contains({v}, '%') THEN 'a percentage is not an amount'"
        " WHEN regexp_matches(nl_bedrag_text({v}), ',[0-9]{{3,}}$') THEN 'more than 2 decimals'"
        " ELSE 'not a valid amount' END",
    ),
    "getal": Kind(
        "DECIMAL(18,4)",
        "nl_getal({v})",
        "a Dutch number such as 4.923, 45,9%, € 1.234 or 7,5; or -, n.b. or empty for no value",
        reason="CASE WHEN regexp_matches({v}, '[0-9][eE][+-]?[0-9]')"
        " THEN 'scientific notation is not accepted (a spreadsheet export artefact)'"
        " ELSE 'not a valid number' END",
    ),
    "datum": Kind(
        "DATE",
        f"CASE WHEN year(nl_datum({{v}})) BETWEEN {FIRST_YEAR} AND {LAST_YEAR} THEN nl_datum({{v}}) END",
        f"a date such as 27-01-2022 or 2022-01-27, from {FIRST_YEAR} to {LAST_YEAR}",
        reason="CASE WHEN nl_datum({v}) IS NOT NULL"
        f" THEN 'the year of the date lies outside {FIRST_YEAR}-{LAST_YEAR} (a typing error?)'"
        " WHEN regexp_full_match({v}, '[0-9]{{1,2}}-[0-9]{{1,2}}-[0-9]{{4}}|[0-9]{{4}}-[0-9]{{1,2}}-[0-9]{{1,2}}')"
        " THEN 'no such date in the calendar (such as 31 February)'"
        " ELSE 'not a valid datum' END",
    ),
    "geboortedatum": Kind(
        "DATE",
        f"CASE WHEN year(nl_datum({{v}})) BETWEEN {FIRST_BIRTH_YEAR} AND {LAST_YEAR} THEN nl_datum({{v}}) END",
        f"a date of birth such as 14-03-2008 or 2008-03-14, from {FIRST_BIRTH_YEAR}",
        reason="CASE WHEN nl_datum({v}) IS NOT NULL"
        f" THEN 'the year of birth lies outside {FIRST_BIRTH_YEAR}-{LAST_YEAR} (a typing error?)'"
        " WHEN regexp_full_match({v}, '[0-9]{{1,2}}-[0-9]{{1,2}}-[0-9]{{4}}|[0-9]{{4}}-[0-9]{{1,2}}-[0-9]{{1,2}}')"
        " THEN 'no such date in the calendar (such as 31 February)'"
        " ELSE 'not a valid date of birth' END",
    ),
    "waardetype": Kind(
        "VARCHAR",
        "CASE WHEN lower({v}) IN ('realisatie', 'begroting', 'prognose') THEN lower({v}) END",
        "realisatie, begroting or prognose",
    ),
    "code": Kind("VARCHAR", "upper({v})", "a code"),
    "leeftijd": Kind(
        "INTEGER",
        "CASE WHEN regexp_full_match({v}, '[0-9]{{1,3}}') AND CAST({v} AS INTEGER) <= 120"
        " THEN CAST({v} AS INTEGER) END",
        "an age in whole years, 0 to 120",
    ),
    "onderzoek": Kind(
        "VARCHAR",
        "CASE WHEN lower({v}) IN ('inzet', 'mto') THEN lower({v}) END",
        "inzet or mto",
    ),
    # A client or respondent number: anything but a BSN (macro is_bsn, the elfproef).
    "pseudoniem": Kind(
        "VARCHAR",
        "CASE WHEN NOT is_bsn({v}) THEN {v} END",
        "a pseudonymised number that is not a BSN",
        reason="'a BSN (burgerservicenummer: ' || CASE WHEN length(bsn_digits({v})) = 8"
        " THEN '8 digits that pass the elfproef with a leading zero: a BSN whose first 0 was dropped'"
        " ELSE '9 digits that pass the elfproef' END || ') where a pseudonymised number belongs'",
    ),
    "maand": Kind(
        "DATE",
        "CAST(coalesce(try_strptime({v}, '%Y-%m'), try_strptime({v}, '%m-%Y')) AS DATE)",
        "a year and month such as 2008-03 or 03-2008",
    ),
    "agb_code": Kind(
        "VARCHAR",
        "CASE WHEN regexp_full_match({v}, '[0-9]{{8}}') THEN {v} END",
        "an AGB code of 8 digits such as 73012345",
    ),
}


def _code(table: str, column: str, expected: str) -> Kind:
    """A code of a codelist in seeds/reference/<table>.csv; two-digit codes also without the leading zero."""
    return Kind(
        "VARCHAR",
        # The codelist's column is renamed, so that {v} (a delivered column of the same name) is the outer one.
        f"(SELECT c.code FROM (SELECT {column} AS code FROM ref_{table}) c"
        f" WHERE length({{v}}) <= 2 AND c.code = lpad({{v}}, 2, '0'))",
        expected,
        reason=f"'not a code of seeds/reference/{table}.csv'",
    )


KINDS |= {
    "productcategorie_jeugdhulp": _code(
        "jeugdhulp_productcategorieen", "productcategorie", "an iJw productcategorie such as 45 (jeugdhulp ambulant)"),
    "productcategorie_wmo": _code(
        "wmo_productcategorieen", "productcategorie", "an iWmo productcategorie such as 02 (begeleiding)"),
}


def _answer(scale: str, expected: str) -> Kind:
    """A survey answer on one answer scale of the codebook: a code or one of its
    labels (seeds/reference/enquete_antwoord_labels.csv), case-insensitive."""
    return Kind(
        "INTEGER",
        "lower({v})",
        expected + "; empty = no answer",
        reason=f"'not a known answer on the scale {scale} (seeds/reference/enquete_antwoord_labels.csv)'",
        lookup="SELECT label AS key, CAST(antwoord_code AS INTEGER) AS value FROM ref_enquete_antwoord_labels"
        f" WHERE antwoordschaal = '{scale}'",
    )


KINDS |= {
    "antwoord_eens_oneens": _answer(
        "eens_oneens", "a code 1-6 or its label: helemaal mee eens, mee eens, neutraal, niet mee eens, "
        "helemaal niet mee eens, weet niet/n.v.t."),
    "antwoord_gezondheid": _answer(
        "gezondheid", "a code 1-5 or its label: zeer goed, goed, gaat wel, slecht, zeer slecht"),
    "antwoord_djg": _answer("djg", "a code 1-5 or its label: ja!, ja, min of meer, nee, nee!"),
    "antwoord_ja_nee": _answer("ja_nee", "1 (ja) or 2 (nee), or the label ja or nee"),
    "antwoord_geslacht": _answer("geslacht", "1 (man), 2 (vrouw), 3 (anders) or the label"),
}

# CBS StatLine open data (sources/cbs.py): codes and numbers as CBS writes them, not as people type them.
KINDS |= {
    "cbs_regio": Kind(
        "VARCHAR",
        "CASE WHEN regexp_full_match(upper({v}), '[A-Z]{{2}}[0-9]{{2,4}}') THEN upper({v}) END",
        "a CBS region code such as GM0637 (gemeente), PV28 (provincie) or NL01 (Nederland)",
    ),
    "cbs_periode": Kind(
        "VARCHAR",
        "CASE WHEN regexp_full_match(upper({v}), '[0-9]{{4}}(JJ00|HJ0[12]|KW0[1-4]|MM(0[1-9]|1[0-2]))')"
        f" AND CAST(left({{v}}, 4) AS INTEGER) BETWEEN {FIRST_YEAR} AND {LAST_YEAR} THEN upper({{v}}) END",
        "a CBS period code: a year 2021JJ00, a half year 2023HJ01, a quarter 2023KW02 or a month 2023MM07",
    ),
    # A figure as CBS's open data writes it: a decimal point, no thousands separator.
    "cbs_waarde": Kind(
        "DECIMAL(18,4)",
        "CASE WHEN regexp_full_match({v}, '-?[0-9]+(\\.[0-9]+)?') THEN TRY_CAST({v} AS DECIMAL(18,4)) END",
        "a number with a decimal point and no thousands separator, such as 1234 or 12.5; empty when"
        " ValueAttribute says why there is no figure",
        reason="CASE WHEN {v} IN ('.', 'x', '-') THEN 'a StatLine symbol in the value: CBS open data gives no"
        " Value and says why in ValueAttribute' WHEN contains({v}, ',') THEN 'a decimal comma: CBS open data"
        " writes a decimal point' ELSE 'not a valid number' END",
    ),
    "cbs_waardeattribuut": Kind(
        "VARCHAR",
        "CASE WHEN lower({v}) IN ('none', 'missing', 'confidential', 'impossible') THEN lower({v}) END",
        "None (a figure), Missing (. in StatLine: not available), Confidential (. in StatLine: secret)"
        " or Impossible (x: cannot occur)",
    ),
    "cbs_status": Kind(
        "VARCHAR",
        "CASE WHEN lower({v}) IN ('definitief', 'voorlopig', 'nader voorlopig', 'herzien') THEN lower({v}) END",
        "Definitief, Voorlopig, Nader voorlopig or Herzien",
    ),
}

# In an optional column these mean "no value": not zero and not an error.
NO_VALUE = ("", "-", "n.b.", "nb")


@dataclass(frozen=True)
class Column:
    name: str
    kind: str
    description: str
    required: bool = True
    # A column a file may leave out (then empty on every line): a dimension only some tables of a
    # source have, such as a CBS table's taakveld.
    in_every_file: bool = True

    @property
    def spec(self) -> Kind:
        return KINDS[self.kind]


@dataclass(frozen=True)
class Contract:
    """One source entity: a folder of delivered files that land in one raw table.

    Everything else is named after the domain and entity (docs/naming.md): the
    source and its Dagster asset `<domain>_<entity>`, the landing folder
    `<domain>/<entity>/`, the raw table `raw.<domain>_<entity>`, the dbt source
    `source('<domain>', '<entity>')` and the staging model `stg_<domain>__<entity>`.
    """

    domain: str  # e.g. financien
    entity: str  # e.g. grootboek
    description: str  # what a delivery holds, for the asset, the dbt source and the docs
    columns: tuple[Column, ...]
    # Extra row rules: SQL selecting (source_row, column_name, value, reason, expected)
    # from the temp table `parsed`; reference tables are available as ref_<name>.
    row_rules: tuple[str, ...] = field(default=())
    # A regular expression the whole file name must match (case-insensitive), with what it should
    # look like: for a source whose file name carries data, such as the CBS table and download date.
    file_name_pattern: str | None = None
    file_name_expected: str | None = None

    @property
    def source(self) -> str:
        return f"{self.domain}_{self.entity}"

    @property
    def folder(self) -> str:
        """Relative to the landing directory."""
        return f"{self.domain}/{self.entity}"

    @property
    def raw_table(self) -> str:
        return f"raw.{self.source}"

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def optional_column_names(self) -> tuple[str, ...]:
        """The columns a file may leave out."""
        return tuple(c.name for c in self.columns if not c.in_every_file)
