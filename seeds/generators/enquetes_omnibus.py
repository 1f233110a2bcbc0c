"""Write the sample omnibus survey microdata in seeds/sample_landing/enquetes/omnibus/ (deterministic).

    python seeds/generators/enquetes_omnibus.py

The municipal omnibus survey of Zoetermeer (GM0637), 2019-2024, 1,500-2,500
respondents a year, one file a year: age, sex, wijk, a post-stratification
weight, self-rated health, the eleven De Jong Gierveld loneliness items and
volunteering. The weighted figures reproduce the sample indicator deliveries
(TARGETS): % (zeer) goede gezondheid, % vrijwilligers and the mean loneliness
score of those aged 18 or older. Each figure is hit by shifting a latent
variable by bisection until the weighted figure is as close to the target as a
single respondent allows; the __main__ block recomputes the figures from the
written files with pandas and asserts them.

The files carry the usual mess: blank answers everywhere, a few respondents
with two or more blank loneliness items (no score), very few 16- and
17-year-olds (an age band below the disclosure minimum), the 2021 interview
version of the loneliness items without `ja!` and `nee!`, numeric codes instead
of labels in 2022, and 2023 as an SPSS file with value labels. Loneliness is
higher among 18-39 in 2020-2021 (COVID) and volunteering lower among 70+.
"""

from pathlib import Path

import numpy as np
import sample_files

SEEDS = Path(__file__).resolve().parent.parent
FOLDER = SEEDS / "sample_landing" / "enquetes" / "omnibus"
GEMEENTE = "GM0637"
# year: published figures: % (zeer) goede gezondheid, % vrijwilligers, mean loneliness score (18+)
TARGETS = {
    2019: {"gezondheid": 78, "vrijwilligers": 27, "eenzaamheid": 2.5},
    2020: {"gezondheid": 77, "vrijwilligers": 22, "eenzaamheid": 2.8},
    2021: {"gezondheid": 75, "vrijwilligers": 23, "eenzaamheid": 2.9},
    2022: {"gezondheid": 76, "vrijwilligers": 24, "eenzaamheid": 2.8},
    2023: {"gezondheid": 77, "vrijwilligers": 25, "eenzaamheid": 2.7},
    2024: {"gezondheid": 77, "vrijwilligers": 25, "eenzaamheid": 2.7},
}
TOLERANCE = {"gezondheid": 0.2, "vrijwilligers": 0.2, "eenzaamheid": 0.02}
# year: (respondents, of whom aged 16 or 17); below 10 in 2019, 2021 and 2023
SIZES = {2019: (1850, 8), 2020: (2140, 14), 2021: (1620, 6), 2022: (2310, 21), 2023: (1980, 9), 2024: (2230, 17)}
COVID = (2020, 2021)
HEADER = ("gemeente_code", "jaar", "respondent_id", "leeftijd", "geslacht", "wijk", "weegfactor", "gezondheid",
          *(f"djg_{i}" for i in range(1, 12)), "vrijwilligerswerk")
SEX = {1: "man", 2: "vrouw", 3: "anders"}
HEALTH = {1: "zeer goed", 2: "goed", 3: "gaat wel", 4: "slecht", 5: "zeer slecht"}
DJG = {1: "ja!", 2: "ja", 3: "min of meer", 4: "nee", 5: "nee!"}
VOLUNTEER = {1: "ja", 2: "nee"}
CODED = {"geslacht": SEX, "gezondheid": HEALTH, **{f"djg_{i}": DJG for i in range(1, 12)},
         "vrijwilligerswerk": VOLUNTEER}
NEGATIVE = (2, 3, 5, 6, 9, 10)  # emotional: ja!, ja, min of meer score 1; the social items: min of meer, nee, nee!
DIFFICULTY = np.array([1.2, -0.6, -0.3, 1.5, -1.2, -0.9, 0.6, 0.9, -1.5, 0.0, 0.3])  # item 1 is the easiest to score
ADULT_AGES = ((18, 29, 13), (30, 39, 12), (40, 49, 15), (50, 59, 19), (60, 69, 19), (70, 79, 15), (80, 95, 7))
AGE_FACTOR = (2.3, 1.3, 0.95, 0.7, 0.85)  # weight bands 16-29, 30-44, 45-64, 65-79, 80+: the young respond least
SEX_FACTOR = (1.0, 1.12, 0.9, 1.0)  # blank, man, vrouw, anders
WIJK_SHARES = (5, 6, 10, 4, 11, 10, 13, 15, 13, 13)  # in the order of reference/wijken.csv


def wijk_names() -> list[str]:
    lines = (SEEDS / "reference" / "wijken.csv").read_text(encoding="utf-8").splitlines()[1:]
    return [line.split(",")[2] for line in lines if line.strip()]


def calibrate(figure, target: float) -> float:
    """The shift whose figure (nondecreasing in the shift) is closest to the target."""
    low, high = -20.0, 20.0
    for _ in range(80):
        middle = (low + high) / 2
        low, high = (middle, high) if figure(middle) < target else (low, middle)
    return min((low, high), key=lambda shift: abs(figure(shift) - target))


def blanks(rng, n: int, share: float) -> np.ndarray:
    return rng.random(n) < share


def respondents(rng, year: int) -> dict:
    n, minors = SIZES[year]
    bands = rng.choice(len(ADULT_AGES), n - minors, p=np.array([s for *_, s in ADULT_AGES]) / 100)
    adults = np.array([rng.integers(ADULT_AGES[b][0], ADULT_AGES[b][1] + 1) for b in bands])
    age = rng.permutation(np.concatenate([rng.integers(16, 18, minors), adults]))
    sex = rng.choice(4, n, p=(0.01, 0.47, 0.515, 0.005))  # 0 = blank
    shares = [0.01] + [0.99 * share / sum(WIJK_SHARES) for share in WIJK_SHARES]
    wijk = rng.choice(11, n, p=shares) - 1  # -1 = blank
    band = np.digitize(age, (30, 45, 65, 80))
    cell = rng.lognormal(0, 0.12, (5, 4, 11))  # post-stratification: one weight per age band x sex x wijk
    raw = np.array(AGE_FACTOR)[band] * np.array(SEX_FACTOR)[sex] * rng.lognormal(0, 0.15, 11)[wijk + 1]
    raw = raw * cell[band, sex, wijk + 1]
    weight = np.round(np.clip(raw / raw.mean(), 0.3, 3.5), 4)
    return {"n": n, "age": age, "sex": sex, "wijk": wijk, "weight": weight}


def health(rng, people: dict, target: float) -> np.ndarray:
    age, weight = people["age"], people["weight"]
    latent = 2.0 - 0.04 * (age - 50) + rng.logistic(0, 1, people["n"])
    answered = ~blanks(rng, people["n"], 0.02)

    def good(shift):
        return 100 * weight[answered & (latent + shift > 0)].sum() / weight[answered].sum()

    value = latent + calibrate(good, target)
    codes = 5 - np.digitize(value, (-3.5, -2.0, 0.0, 2.5), right=True)  # > 2.5: zeer goed, > 0: goed
    return np.where(answered, codes, 0)


def volunteering(rng, people: dict, year: int, target: float) -> np.ndarray:
    age, weight = people["age"], people["weight"]
    latent = (0.5 * ((age >= 40) & (age < 75)) - 0.6 * (age >= 80) - 1.0 * ((age >= 70) & (year in COVID))
              + rng.logistic(0, 1, people["n"]))
    answered = ~blanks(rng, people["n"], 0.02)

    def share(shift):
        return 100 * weight[answered & (latent + shift > 0)].sum() / weight[answered].sum()

    yes = latent + calibrate(share, target) > 0
    return np.where(answered, np.where(yes, 1, 2), 0)


def loneliness(rng, people: dict, year: int, target: float) -> np.ndarray:
    """Codes n x 11 (0 = blank) from one latent loneliness per respondent.

    The latent mixes three groups (not, somewhat and severely lonely) so that about 40-48% score 3 or more
    and 8-9% score 9 or more at a mean of 2.5-2.9; it is higher among 75+ and among 18-39 in 2020-2021.
    """
    n, age, weight = people["n"], people["age"], people["weight"]
    group = rng.random(n)
    latent = (rng.normal(0, 0.35, n) + 2.0 * (group < 0.45) + rng.uniform(3.0, 6.0, n) * (group > 0.895)
              + 0.4 * (age >= 75) + 0.8 * ((age >= 18) & (age < 40) & (year in COVID)))
    noise = rng.logistic(0, 0.35, (n, 11))
    kind = rng.random(n)  # blank items: 12% of respondents one, 1% two to four, 1% all eleven
    count = np.select([kind < 0.12, kind < 0.13, kind < 0.14], [1, rng.integers(2, 5, n), 11], 0)
    missing = rng.random((n, 11)).argsort(axis=1).argsort(axis=1) < count[:, None]  # random items
    scored = (missing.sum(axis=1) <= 1) & (age >= 18)

    def level(shift):  # 0 nee!/ja! .. 4 the loneliest answer; 2 and up score 1
        return np.digitize(latent[:, None] + DIFFICULTY + noise + shift, (-1.5, 0.0, 1.2, 2.5))

    def mean(shift):
        score = ((level(shift) >= 2) & ~missing).sum(axis=1)
        return (weight * score)[scored].sum() / weight[scored].sum()

    levels = level(calibrate(mean, target))
    if year == 2021:  # interview version for a third: only ja, min of meer, nee
        interview = rng.random(n) < 1 / 3
        levels[interview] = np.clip(levels[interview], 1, 3)
    negative = np.isin(np.arange(1, 12), NEGATIVE)
    codes = np.where(negative, 5 - levels, levels + 1)
    return np.where(missing, 0, codes)


def generate(year: int) -> dict:
    rng = np.random.default_rng([637, year])
    people = respondents(rng, year)
    target = TARGETS[year]
    people["health"] = health(rng, people, target["gezondheid"])
    people["volunteer"] = volunteering(rng, people, year, target["vrijwilligers"])
    people["djg"] = loneliness(rng, people, year, target["eenzaamheid"])
    return people


def columns(year: int, people: dict) -> dict:
    """Column name: list of values, codes 0 for blank."""
    names = wijk_names()
    return {
        "gemeente_code": [GEMEENTE] * people["n"], "jaar": [year] * people["n"],
        "respondent_id": [f"OMN{year}-{i:05d}" for i in range(1, people["n"] + 1)],
        "leeftijd": people["age"].tolist(), "geslacht": people["sex"].tolist(),
        "wijk": ["" if w < 0 else names[w] for w in people["wijk"]], "weegfactor": people["weight"].tolist(),
        "gezondheid": people["health"].tolist(),
        **{f"djg_{i}": people["djg"][:, i - 1].tolist() for i in range(1, 12)},
        "vrijwilligerswerk": people["volunteer"].tolist(),
    }


def write_csv(year: int, data: dict, labelled: bool) -> Path:
    def typed(column, value):
        if column in CODED:
            return "" if value == 0 else CODED[column][value] if labelled else str(value)
        return f"{value:.4f}".replace(".", ",") if column == "weegfactor" else str(value)

    rows = [";".join(HEADER)] + [";".join(typed(c, data[c][i]) for c in HEADER) for i in range(len(data["jaar"]))]
    path = FOLDER / f"omnibus_{GEMEENTE}_{year}.csv"
    path.write_text("\r\n".join(rows) + "\r\n", encoding="utf-8")
    return path


def write_sav(year: int, data: dict) -> Path:
    import pandas as pd

    frame = pd.DataFrame({c: [np.nan if v == 0 else float(v) for v in data[c]] if c in CODED
                          else [float(v) for v in data[c]] if c in ("jaar", "leeftijd", "weegfactor")
                          else data[c] for c in HEADER})
    return sample_files.write_sav(frame, FOLDER / f"omnibus_{GEMEENTE}_{year}.sav",
                                  {c: {float(k): v for k, v in labels.items()} for c, labels in CODED.items()},
                                  stamp=f"01 Dec {year % 100:02d}12:00:00")


def figures(path: Path) -> dict:
    """The weighted figures recomputed from a written file, independent of the generation above."""
    import pandas as pd

    if path.suffix == ".sav":
        import pyreadstat

        frame, _ = pyreadstat.read_sav(path)
    else:
        frame = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False, encoding="utf-8")
        frame["weegfactor"] = frame["weegfactor"].str.replace(",", ".").astype(float)
        frame["leeftijd"] = frame["leeftijd"].astype(int)
        for column, labels in CODED.items():
            lookup = {**{label: code for code, label in labels.items()}, **{str(code): code for code in labels}}
            assert frame[column].isin([*lookup, ""]).all(), f"{path.name}: unknown answer in {column}"
            frame[column] = frame[column].map(lookup)
    weight = frame["weegfactor"]

    def percentage(column, yes):
        answered = frame[column].notna()
        return 100 * weight[answered & frame[column].isin(yes)].sum() / weight[answered].sum()

    items = frame[[f"djg_{i}" for i in range(1, 12)]]
    negative = [f"djg_{i}" for i in NEGATIVE]
    positive = [c for c in items.columns if c not in negative]
    score = items[negative].le(3).sum(axis=1) + items[positive].ge(3).sum(axis=1)  # a blank scores 0
    adult = (items.isna().sum(axis=1) <= 1) & (frame["leeftijd"] >= 18)
    w, s = weight[adult], score[adult]
    return {"n": len(frame), "minors": int((frame["leeftijd"] < 18).sum()),
            "gezondheid": percentage("gezondheid", (1, 2)), "vrijwilligers": percentage("vrijwilligerswerk", (1,)),
            "eenzaamheid": (w * s).sum() / w.sum(), "eenzaam": 100 * w[s >= 3].sum() / w.sum(),
            "ernstig": 100 * w[s >= 9].sum() / w.sum(), "weight": weight.mean()}


if __name__ == "__main__":
    FOLDER.mkdir(parents=True, exist_ok=True)
    print("jaar      n  16-17  gezondheid  vrijwilligers  eenzaamheid  eenzaam  ernstig  gem.gewicht  bestand")
    for year, targets in TARGETS.items():
        data = columns(year, generate(year))
        path = write_sav(year, data) if year == 2023 else write_csv(year, data, labelled=year != 2022)
        got = figures(path)
        print(f"{year}  {got['n']:5d}  {got['minors']:5d}  {got['gezondheid']:10.2f}  {got['vrijwilligers']:13.2f}"
              f"  {got['eenzaamheid']:11.3f}  {got['eenzaam']:7.1f}  {got['ernstig']:7.1f}  {got['weight']:11.4f}"
              f"  {path.name}")
        for name, target in targets.items():
            assert abs(got[name] - target) <= TOLERANCE[name], (year, name, got[name], target)
        assert 35 <= got["eenzaam"] <= 52 and 6 <= got["ernstig"] <= 13, (year, got)
