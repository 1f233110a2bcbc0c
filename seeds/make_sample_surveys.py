"""Write the sample survey microdata in seeds/sample_landing/surveys/ (deterministic).

    python seeds/make_sample_surveys.py

Satisfaction surveys of inZet, 2022-2024 (inZet started in May 2021), a few
hundred respondents a year. The inZet client grades reproduce the percentages
satisfied of the sample indicator deliveries (78%, 81%, 82%); the MTO grades
are illustrative. The files carry the usual mess: grades typed as `7,5` and
`8`, missing answers, and the 2024 inZet survey as an SPSS file with value labels.
"""

import random
from pathlib import Path

FOLDER = Path(__file__).resolve().parent / "sample_landing" / "surveys" / "satisfaction"
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
    import pyreadstat

    values = grades(survey, year)
    frame = pd.DataFrame({
        "gemeente_code": [GEMEENTE] * len(values),
        "onderzoek": [1.0] * len(values),
        "jaar": [float(year)] * len(values),
        "respondent_id": [f"{survey[:2].upper()}{year}-{i:04d}" for i in range(1, len(values) + 1)],
        "cijfer": values,
    })
    pyreadstat.write_sav(frame, FOLDER / f"{survey}_{GEMEENTE}_{year}.sav",
                         variable_value_labels={"onderzoek": {1.0: "inzet", 2.0: "mto"}})


if __name__ == "__main__":
    FOLDER.mkdir(parents=True, exist_ok=True)
    for survey, year in SURVEYS:
        (write_sav if (survey, year) == ("inzet", 2024) else write_csv)(survey, year)
    for path in sorted(FOLDER.iterdir()):
        print(path.name)
