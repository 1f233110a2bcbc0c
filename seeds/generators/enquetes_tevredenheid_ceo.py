"""Write the sample survey microdata in seeds/sample_landing/enquetes/ (deterministic).

    python seeds/generators/enquetes_tevredenheid_ceo.py

Satisfaction surveys of inZet, 2022-2024 (inZet started in May 2021), a few
hundred respondents a year. The inZet client grades reproduce the percentages
satisfied of the sample indicator deliveries (78%, 81%, 82%); the MTO grades
are illustrative. The files carry the usual mess: grades typed as `7,5` and
`8`, missing answers, and the 2024 inZet survey as an SPSS file with value labels.

Wmo CEO 2019-2024: the nine standard statements per respondent. The statement
"past bij mijn hulpvraag" reproduces the published 78% for 2023 and, like
"kwaliteit goed", the sample's figures for the other years, including the low
response of 2021. Answers are codes 1-6, except 2022 (text labels in a CSV) and
2023 (an SPSS file with value labels); "weet niet/n.v.t." and blanks occur.
"""

import random
from pathlib import Path

import sample_files

FOLDER = Path(__file__).resolve().parent.parent / "sample_landing" / "enquetes" / "tevredenheid"
GEMEENTE = "GM0637"
HEADER = ("gemeente_code", "onderzoek", "jaar", "respondent_id", "cijfer")
# survey, year: (respondents with a grade, of whom satisfied, without an answer)
SURVEYS = {
    ("inzet", 2022): (300, 234, 12),
    ("inzet", 2023): (300, 243, 9),
    ("inzet", 2024): (250, 205, 7),
    ("mto", 2022): (220, 158, 10),
    ("mto", 2023): (240, 180, 6),
    ("mto", 2024): (260, 203, 8),
}
SATISFIED = [7.5, 8, 8, 8.5, 9, 9, 10, 7.8]  # 7,5 counts as satisfied
NOT_SATISFIED = [7.4, 7, 6, 6.5, 5, 4, 3, 1]  # 7,4 does not


def grades(survey: str, year: int) -> list[float | None]:
    answered, satisfied, missing = SURVEYS[(survey, year)]
    rng = random.Random(f"{survey}{year}")
    values = [rng.choice(SATISFIED) for _ in range(satisfied)]
    values += [rng.choice(NOT_SATISFIED) for _ in range(answered - satisfied)]
    values += [None] * missing
    rng.shuffle(values)
    return values


def typed(grade: float | None) -> str:
    if grade is None:
        return ""
    return str(int(grade)) if grade == int(grade) else str(grade).replace(".", ",")


def write_csv(survey: str, year: int) -> None:
    rows = [";".join(HEADER)] + [
        ";".join((GEMEENTE, survey, str(year), f"{survey[:2].upper()}{year}-{index:04d}", typed(grade)))
        for index, grade in enumerate(grades(survey, year), start=1)
    ]
    (FOLDER / f"{survey}_{GEMEENTE}_{year}.csv").write_text("\r\n".join(rows) + "\r\n", encoding="utf-8")


def write_sav(survey: str, year: int) -> None:
    import pandas as pd

    values = grades(survey, year)
    frame = pd.DataFrame({
        "gemeente_code": [GEMEENTE] * len(values),
        "onderzoek": [1.0] * len(values),
        "jaar": [float(year)] * len(values),
        "respondent_id": [f"{survey[:2].upper()}{year}-{i:04d}" for i in range(1, len(values) + 1)],
        "cijfer": values,
    })
    sample_files.write_sav(frame, FOLDER / f"{survey}_{GEMEENTE}_{year}.sav",
                           {"onderzoek": {1.0: "inzet", 2.0: "mto"}})


CEO_FOLDER = FOLDER.parent / "ceo"
STATEMENTS = ("wist_waar", "snel_geholpen", "serieus_genomen", "samen_oplossingen", "kwaliteit_goed",
              "past_bij_hulpvraag", "beter_dingen_doen", "beter_redden", "betere_kwaliteit_van_leven")
LABELS = {1: "helemaal mee eens", 2: "mee eens", 3: "neutraal", 4: "niet mee eens", 5: "helemaal niet mee eens",
          6: "weet niet/n.v.t."}
# year: (respondents, {statement: (valid answers, of which (helemaal) mee eens)}); the rest is weet niet or blank.
CEO = {
    2019: (320, {"past_bij_hulpvraag": (300, 246), "kwaliteit_goed": (300, 252)}),
    2020: (270, {"past_bij_hulpvraag": (250, 200), "kwaliteit_goed": (200, 166)}),
    2021: (60, {"past_bij_hulpvraag": (50, 37), "kwaliteit_goed": (50, 38)}),  # low response
    2022: (300, {"past_bij_hulpvraag": (250, 190), "kwaliteit_goed": (250, 195)}),
    2023: (320, {"past_bij_hulpvraag": (300, 234), "kwaliteit_goed": (300, 237)}),  # 78%: published
    2024: (310, {"past_bij_hulpvraag": (300, 237), "kwaliteit_goed": (300, 240)}),
}


def ceo_answers(year: int) -> dict[str, list[int | None]]:
    """Per statement a shuffled list of answer codes (None = blank), one per respondent."""
    respondents, targets = CEO[year]
    rng = random.Random(f"ceo{year}")
    answers = {}
    for statement in STATEMENTS:
        valid, agree = targets.get(statement, (respondents - respondents // 10, int(respondents * 0.63)))
        not_valid = respondents - valid
        codes = [rng.choice((1, 2, 2)) for _ in range(agree)] + [rng.choice((3, 4, 5)) for _ in range(valid - agree)]
        codes += [6] * (not_valid - not_valid // 3) + [None] * (not_valid // 3)
        rng.shuffle(codes)
        answers[statement] = codes
    return answers


def write_ceo(year: int) -> None:
    answers = ceo_answers(year)
    ids = [f"CEO{year}-{i:04d}" for i in range(1, CEO[year][0] + 1)]
    if year == 2023:  # SPSS with value labels
        import pandas as pd

        frame = pd.DataFrame({"gemeente_code": GEMEENTE, "jaar": float(year), "respondent_id": ids,
                              **{s: [float(c) if c else None for c in answers[s]] for s in STATEMENTS}})
        sample_files.write_sav(frame, CEO_FOLDER / f"ceo_{GEMEENTE}_{year}.sav",
                               {s: {float(k): v for k, v in LABELS.items()} for s in STATEMENTS})
        return
    as_text = LABELS.get if year == 2022 else str  # 2022 arrives with text labels
    header = ("gemeente_code", "jaar", "respondent_id", *STATEMENTS)
    rows = [";".join(header)] + [
        ";".join((GEMEENTE, str(year), ids[i], *("" if answers[s][i] is None else as_text(answers[s][i])
                                                 for s in STATEMENTS)))
        for i in range(len(ids))
    ]
    (CEO_FOLDER / f"ceo_{GEMEENTE}_{year}.csv").write_text("\r\n".join(rows) + "\r\n", encoding="utf-8")


if __name__ == "__main__":
    FOLDER.mkdir(parents=True, exist_ok=True)
    CEO_FOLDER.mkdir(parents=True, exist_ok=True)
    for survey, year in SURVEYS:
        (write_sav if (survey, year) == ("inzet", 2024) else write_csv)(survey, year)
    for year in CEO:
        write_ceo(year)
    for path in sorted(FOLDER.parent.rglob("*.*")):
        print(path.relative_to(FOLDER.parent))
