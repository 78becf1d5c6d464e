"""Tests of the synthetic population generator (jobindsats.synth)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from jobindsats.municipalities import MUNICIPALITIES, POPULATION
from jobindsats.rules import V1_73
from jobindsats.schema import (
    BENEFITS,
    CONTACT_FORMS,
    ENUMERATIONS,
    HOLDERS,
    INTERVIEW_KINDS,
    OFFER_KINDS,
    TABLES,
    arrow_schema,
)
from jobindsats.synth import generate_tables, synthesize

N = 20_000
SEED = 7
START, END = dt.date(2016, 1, 1), dt.date(2024, 12, 31)
MEASURED = tuple(V1_73.measured)


@pytest.fixture(scope="module")
def tables() -> dict[str, pa.Table]:
    return generate_tables(N, SEED)


@pytest.fixture(scope="module")
def frames(tables) -> dict[str, pd.DataFrame]:
    out = {}
    for name, t in tables.items():
        df = t.to_pandas(date_as_object=False)
        for c in df.columns:
            if str(df[c].dtype).startswith("datetime64"):
                df[c] = df[c].astype("datetime64[s]")
        out[name] = df
    return out


def _ts(d: str) -> np.datetime64:
    return np.datetime64(d, "s")


def _files(path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(path.glob("*.parquet"))}


# --- reproducibility -------------------------------------------------------------------


@pytest.mark.parametrize("chunk", [500, 1000])
def test_same_seed_gives_byte_identical_files(tmp_path, chunk):
    a = synthesize(tmp_path / "a", persons=2000, seed=11, chunk_persons=chunk)
    b = synthesize(tmp_path / "b", persons=2000, seed=11, chunk_persons=chunk)
    fa, fb = _files(a), _files(b)
    assert sorted(fa) == sorted(f"{t}.parquet" for t in TABLES)
    assert fa == fb


def test_different_seed_gives_different_data(tmp_path):
    a = _files(synthesize(tmp_path / "a", persons=2000, seed=1, chunk_persons=1000))
    b = _files(synthesize(tmp_path / "b", persons=2000, seed=2, chunk_persons=1000))
    assert a["benefits.parquet"] != b["benefits.parquet"]
    assert a["interviews.parquet"] != b["interviews.parquet"]


def test_single_chunk_equals_generate_tables(tmp_path):
    out = synthesize(tmp_path / "d", persons=1500, seed=5, chunk_persons=5000)
    mem = generate_tables(1500, 5)
    for name in TABLES:
        assert pq.read_table(out / f"{name}.parquet").equals(mem[name]), name


def test_chunk_size_is_part_of_the_seed(tmp_path):
    """Documented: another chunk size is another (equally valid) population; ids and
    schema do not depend on it."""
    a = synthesize(tmp_path / "a", persons=1000, seed=3, chunk_persons=500)
    b = synthesize(tmp_path / "b", persons=1000, seed=3, chunk_persons=1000)
    ta, tb = pq.read_table(a / "persons.parquet"), pq.read_table(b / "persons.parquet")
    assert not ta.equals(tb)
    ids_a = pc.unique(pq.read_table(a / "residence.parquet")["person_id"]).to_pylist()
    ids_b = pc.unique(pq.read_table(b / "residence.parquet")["person_id"]).to_pylist()
    assert ids_a == ids_b == list(range(1, 1001))


def test_progress_and_row_groups(tmp_path):
    calls: list[tuple[int, int]] = []
    out = synthesize(
        tmp_path / "p",
        persons=1200,
        seed=1,
        chunk_persons=500,
        progress=lambda d, t: calls.append((d, t)),
    )
    assert calls == [(500, 1200), (1000, 1200), (1200, 1200)]
    assert pq.ParquetFile(out / "residence.parquet").metadata.num_row_groups == 3
    ids = pq.read_table(out / "residence.parquet")["person_id"].to_numpy()
    assert np.array_equal(np.unique(ids), np.arange(1, 1201))


def test_bad_arguments(tmp_path):
    with pytest.raises(ValueError, match="persons"):
        generate_tables(-1, 1)
    with pytest.raises(ValueError, match="chunk_persons"):
        synthesize(tmp_path, persons=10, seed=1, chunk_persons=0)
    with pytest.raises(ValueError, match="60 days"):
        generate_tables(10, 1, start="2020-01-01", end="2020-02-01")
    with pytest.raises(ValueError, match=r"1990\.\.2090"):
        generate_tables(10, 1, start="1950-01-01", end="1960-12-31")


def test_other_period():
    t = generate_tables(500, 4, start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31))
    res = t["residence"]
    assert pc.max(res["end"]).as_py() == dt.date(2024, 12, 31)
    assert pc.max(t["benefits"]["end"]).as_py() <= dt.date(2024, 12, 31)
    assert pc.min(t["interviews"]["date"]).as_py() >= dt.date(2022, 12, 30)
    assert t["benefits"].num_rows > 500


def test_empty_population():
    t = generate_tables(0, 1)
    assert all(v.num_rows == 0 for v in t.values())
    assert all(t[k].schema.equals(arrow_schema(k)) for k in TABLES)


# --- schema and validity ----------------------------------------------------------------


def test_canonical_schema_in_memory_and_on_disk(tables, tmp_path):
    assert set(tables) == set(TABLES)
    for name, t in tables.items():
        assert t.schema.equals(arrow_schema(name)), name
    out = synthesize(tmp_path / "s", persons=300, seed=1)
    for name in TABLES:
        t = pq.read_table(out / f"{name}.parquet")
        assert t.schema.equals(arrow_schema(name), check_metadata=False), name


def test_person_ids(tables):
    t = generate_tables(500, 2, first_person_id=1_000_001)
    for name, tab in t.items():
        ids = tab["person_id"].to_numpy()
        assert ids.size == 0 or (ids.min() >= 1_000_001 and ids.max() <= 1_000_500), name
    res = tables["residence"]["person_id"].to_numpy()
    assert np.array_equal(np.unique(res), np.arange(1, N + 1))  # everyone lives somewhere
    persons = tables["persons"]["person_id"].to_numpy()
    assert np.all(np.diff(persons) > 0)  # one row per person


def test_enumerations_valid(tables):
    for (name, col), values in ENUMERATIONS.items():
        seen = set(pc.unique(tables[name][col]).to_pylist())
        assert seen <= set(values), (name, col, seen - set(values))


def test_intervals_dates_and_numbers_valid(tables):
    lo, hi = dt.date(1900, 1, 1), dt.date(2100, 12, 31)
    for name, tab in tables.items():
        for field in tab.schema:
            if pa.types.is_date32(field.type) and tab.num_rows:
                mm = pc.min_max(tab[field.name]).as_py()
                assert lo <= mm["min"], (name, field.name, mm)
                assert mm["max"] <= hi, (name, field.name, mm)
        iv = TABLES[name].interval
        if iv is not None:
            assert pc.all(pc.greater_equal(tab[iv[1]], tab[iv[0]])).as_py(), name
    for name in ("residence", "interviews"):
        codes = set(pc.unique(tables[name]["municipality"]).to_pylist())
        assert codes <= set(MUNICIPALITIES), name
    for name in ("benefits", "employment"):
        h = tables[name]["hours"]
        assert pc.min(h).as_py() >= 0.0
    assert pc.max(tables["employment"]["hours"]).as_py() <= 160.0
    month = tables["employment"]["month"].to_numpy().astype("datetime64[D]")
    assert np.all(month.astype("datetime64[M]").astype("datetime64[D]") == month)
    assert pc.all(pc.greater(tables["exemptions"]["code"], 0)).as_py()


def test_required_columns_have_no_nulls(tables):
    for name, tab in tables.items():
        for col in TABLES[name].columns:
            if not col.nullable:
                assert tab[col.name].null_count == 0, (name, col.name)


def test_rows_sorted_by_person_and_date(frames):
    for name, t in TABLES.items():
        df = frames[name]
        keys = ["person_id", *t.sort_by]
        assert df[keys].equals(df.sort_values(keys, kind="stable")[keys].reset_index(drop=True)), (
            name
        )


# --- realism --------------------------------------------------------------------------


def test_every_group_and_special_rows_present(frames):
    b = frames["benefits"]
    counts = b["benefit"].value_counts()
    for g in BENEFITS:
        assert counts.get(g, 0) > 50, g
    dp = b[b["benefit"] == "dagpenge"]
    assert dp["hours"].notna().mean() > 0.95
    assert dp["hours"].isna().any()
    assert set(dp["part_time"].dropna().unique()) == {True, False}
    assert dp["part_time"].isna().any()
    other = b[b["benefit"] != "dagpenge"]
    assert other["hours"].isna().all()
    assert other["part_time"].isna().all()
    supp = b[b["supplementary"]]
    assert len(supp) > 50
    assert set(supp["benefit"]) == {"kontanthjaelp"}


def test_supplementary_rows_sit_on_dagpenge_or_pension(frames):
    b = frames["benefits"]
    supp = b[b["supplementary"]]
    hosts = b[b["benefit"].isin(["dagpenge", "foertidspension"])]
    m = supp.merge(hosts, on="person_id", suffixes=("", "_h"))
    on_host = m[(m["start_h"] <= m["end"]) & (m["end_h"] >= m["start"])]
    key = ["person_id", "start"]
    share = supp.set_index(key).index.isin(on_host.set_index(key).index).mean()
    assert share > 0.95


def test_share_on_measured_benefit(frames):
    b = frames["benefits"]
    b = b[b["benefit"].isin(MEASURED) & ~b["supplementary"]]
    shares = []
    for m in ("2016-06", "2019-06", "2022-06", "2024-06"):
        first = _ts(m + "-01")
        last = (np.datetime64(m, "M") + 1).astype("datetime64[D]").astype(
            "datetime64[s]"
        ) - np.timedelta64(1, "D")
        on = b[(b["start"] <= last) & (b["end"] >= first)]
        shares.append(on["person_id"].nunique() / N)
    assert all(0.17 <= s <= 0.28 for s in shares), shares


def test_monthly_payment_rows(frames):
    b = frames["benefits"]
    monthly = b[b["benefit"] != "sygedagpenge"]
    assert (monthly["start"].dt.to_period("M") == monthly["end"].dt.to_period("M")).all()
    dp = monthly[(monthly["benefit"] == "dagpenge") & monthly["hours"].notna()]
    full = dp[(dp["start"].dt.day == 1) & (dp["end"] + pd.Timedelta(days=1)).dt.day.eq(1)]
    assert (full["hours"] <= 160.33).all()
    assert (full["hours"] == 160.33).mean() > 0.5
    assert (full[full["part_time"] == True]["hours"] == 130.0).mean() > 0.5  # noqa: E712


def _gaps(df: pd.DataFrame) -> pd.Series:
    df = df.sort_values(["person_id", "start", "end"])
    same = df["person_id"].eq(df["person_id"].shift())
    return ((df["start"] - df["end"].shift()).dt.days - 1)[same]


def test_payment_gaps_short_and_whole_month(frames):
    b = frames["benefits"]
    kh = b[(b["benefit"] == "kontanthjaelp") & ~b["supplementary"]]
    g = _gaps(kh)
    assert ((g > 0) & (g < 28)).sum() > 20  # gaps under a month
    assert (g >= 28).sum() > 20  # at least one whole calendar month unpaid


def test_sickness_rows_overlap_touch_and_share_a_day(frames):
    b = frames["benefits"]
    s = b[b["benefit"] == "sygedagpenge"].sort_values(["person_id", "start", "end"])
    same = s["person_id"].eq(s["person_id"].shift())
    d = (s["start"] - s["end"].shift()).dt.days[same]
    assert (d <= -1).sum() > 20  # overlapping: one spell (R9)
    assert (d == 0).sum() > 5  # sharing one day: two spells (D6)
    assert (d == 1).sum() > 5  # adjacent: two spells (D6)


def test_transitions(frames):
    b = frames["benefits"]
    b = b[~b["supplementary"]].sort_values(["person_id", "start", "end"])
    nxt = b.shift(-1)
    same = b["person_id"].eq(nxt["person_id"])
    gap = (nxt["start"] - b["end"]).dt.days - 1
    oy_kh = same & (b["benefit"] == "overgangsydelse") & (nxt["benefit"] == "kontanthjaelp")
    assert (oy_kh & (gap >= 0) & (gap < 28)).sum() > 10  # R8
    frev = same & (b["benefit"] == "forrevalidering") & (nxt["benefit"] == "revalidering")
    assert (frev & (gap <= 0)).sum() > 10  # R7
    dp_kh = same & (b["benefit"] == "dagpenge") & (nxt["benefit"] == "kontanthjaelp")
    assert dp_kh.sum() > 10


def test_dagpenge_periods(frames):
    b, p = frames["benefits"], frames["dagpenge_periods"]
    dp_persons = set(b.loc[b["benefit"] == "dagpenge", "person_id"])
    with_periods = set(p["person_id"])
    missing = len(dp_persons - with_periods) / len(dp_persons)
    assert 0.02 < missing < 0.10  # D8 fallback
    assert with_periods <= dp_persons
    starts = b[b["benefit"] == "dagpenge"].set_index(["person_id", "start"]).index
    assert p.set_index(["person_id", "start"]).index.isin(starts).mean() > 0.7
    assert p.groupby("person_id").size().max() > 1


def test_persons_ages_and_missing_rows(frames):
    p = frames["persons"]
    assert 0.002 < 1 - len(p) / N < 0.01
    age = (_ts("2016-01-01") - p["birth_date"]).dt.days / 365.25
    assert (age < 16).mean() > 0.01
    assert ((age >= 16) & (age < 67)).mean() > 0.85
    assert (age > 65).mean() > 0.01
    missing = set(range(1, N + 1)) - set(p["person_id"])
    assert missing & set(frames["benefits"]["person_id"])


def test_residence(frames):
    r = frames["residence"]
    per = r.groupby("person_id").size()
    assert 0.06 < (per > 1).mean() < 0.15
    assert per.max() == 3
    g = _gaps(r)
    assert (g >= 0).all()  # consecutive, non-overlapping
    assert 0.0005 < (g > 0).sum() / N < 0.01  # a few gaps (999)
    assert (r.groupby("person_id")["end"].max() == _ts("2024-12-31")).all()
    share = r.drop_duplicates("person_id")["municipality"].value_counts(normalize=True)
    assert share.index[0] == 101
    assert share[101] == pytest.approx(POPULATION[101] / sum(POPULATION.values()), abs=0.02)


def test_interviews(frames):
    iv = frames["interviews"]
    for col, values in (("kind", INTERVIEW_KINDS), ("form", CONTACT_FORMS), ("held_by", HOLDERS)):
        assert set(iv[col]) == set(values), col
    joint = iv["joint"]
    assert joint.any()
    # R45.6: joint interviews with every participation, neither party included (synth_audit)
    flags = iv.loc[joint, ["akasse_present", "jobcenter_present"]]
    presence = set(flags.itertuples(index=False, name=None))
    assert presence == {(True, True), (True, False), (False, True), (False, False)}
    plain = iv[~joint]
    assert (~plain["jobcenter_present"]).any()
    assert (~plain["jobcenter_present"] <= (plain["held_by"] == "akasse")).all()
    assert iv.duplicated(["person_id", "date"]).sum() > 10
    assert (iv["date"].dt.day_of_week < 5).mean() > 0.99  # jobcentres work on weekdays
    early = iv[iv["date"] < _ts("2020-03-01")]
    assert (early["form"] == "personligt").mean() > 0.85
    closed = iv[(iv["date"] >= _ts("2020-03-12")) & (iv["date"] <= _ts("2020-05-26"))]
    per_day_closed = len(closed) / 76
    per_day_2019 = (
        (iv["date"] >= _ts("2019-01-01")) & (iv["date"] < _ts("2020-01-01"))
    ).sum() / 365
    assert per_day_closed < 0.1 * per_day_2019
    late = iv[iv["date"] >= _ts("2023-01-01")]
    assert 0.3 < (late["form"] != "personligt").mean() < 0.5
    # trial municipalities use digitalt more in their trial period
    rules = V1_73
    nord = {t.municipality for t in rules.trial_municipalities if t.end == dt.date(2023, 12, 31)}
    y = iv[(iv["date"] >= _ts("2018-01-01")) & (iv["date"] < _ts("2020-01-01"))]
    in_trial = y["municipality"].isin(nord)
    dig = y["form"] == "digitalt"
    assert dig[in_trial].mean() > dig[~in_trial].mean() + 0.1


def test_person_attributes_for_the_audit(frames):
    """R45.7: sex, origin and education with realistic shares and a few nulls."""
    p = frames["persons"]
    assert set(p["sex"].dropna()) == {"mand", "kvinde"}
    assert 0.45 < (p["sex"] == "mand").mean() < 0.60
    assert (p["origin"] == "dansk").mean() > 0.7
    assert p["education"].nunique() >= 8
    for col in ("sex", "origin", "education"):
        assert 0 < p[col].isna().sum() < 0.05 * len(p), col


def test_interview_municipality_is_residence(frames):
    iv, r = frames["interviews"], frames["residence"]
    m = iv.merge(r, on="person_id", suffixes=("", "_r"))
    cover = m[(m["start"] <= m["date"]) & (m["end"] >= m["date"])]
    assert (cover["municipality"] == cover["municipality_r"]).all()
    assert len(cover) > 0.99 * len(iv)


def test_interview_rates_by_group(frames):
    """Per benefit month: dagpenge about 1, kontanthjælp / sygedagpenge about 0.5."""
    b, iv = frames["benefits"], frames["interviews"]
    b = b[~b["supplementary"] & (b["start"] >= _ts("2017-01-01"))]
    only = b.groupby("person_id")["benefit"].agg(lambda s: s.iloc[0] if s.nunique() == 1 else None)
    rates = {}
    for g in ("dagpenge", "kontanthjaelp", "sygedagpenge"):
        ids = only[only == g].index
        months = (b[b["person_id"].isin(ids)].eval("end - start").dt.days + 1).sum() / 30.44
        n_iv = (iv["person_id"].isin(ids) & (iv["date"] >= _ts("2017-01-01"))).sum()
        rates[g] = n_iv / months
    assert 0.6 < rates["dagpenge"] < 1.4, rates
    assert 0.25 < rates["kontanthjaelp"] < 0.8, rates
    assert 0.25 < rates["sygedagpenge"] < 0.8, rates


def test_exemptions(frames):
    ex = frames["exemptions"]
    codes = set(ex["code"])
    rules = V1_73
    qualifying = {c for g in rules.exemption_codes.values() for cs in g.values() for c in cs}
    assert {901, 902, 65, 1, 99} <= codes
    assert qualifying <= codes
    mat = ex[ex["code"] == 901]
    assert 0.01 < mat["person_id"].nunique() / N < 0.035
    assert ((mat["end"] - mat["start"]).dt.days >= 59).all()
    days = (ex["end"] - ex["start"]).dt.days + 1
    assert days.min() <= 3
    assert days.max() >= 180


def test_mii_offers_visitation_registrations_employment(frames):
    mii = frames["mii"]
    assert (mii["start"] >= _ts("2024-01-01")).all()
    d = (mii["end"] - mii["start"]).dt.days + 1
    assert d.between(1, 10).all()
    assert 0.005 < mii["person_id"].nunique() / N < 0.06
    of = frames["offers"]
    assert set(of["kind"]) == set(OFFER_KINDS)
    od = (of["end"] - of["start"]).dt.days + 1
    assert od.min() <= 14
    assert od.max() >= 180
    vis = frames["visitation"]
    assert set(vis["category"]) == {
        "jobparat",
        "aktivitetsparat",
        "uddannelsesparat",
        "aabenlyst_uddannelsesparat",
    }
    assert (_gaps(vis) >= 0).all()  # no overlaps
    assert vis.groupby("person_id").size().max() > 1
    b = frames["benefits"]
    spell_starts = b.set_index(["person_id", "start"]).index
    reg = frames["registrations"]
    assert len(reg) > 0.1 * N
    merged = reg.merge(b[b["benefit"].isin(["dagpenge", "kontanthjaelp"])], on="person_id")
    lead = (merged["start"] - merged["date"]).dt.days
    assert lead.between(0, 90).any()
    assert spell_starts.size > 0
    emp = frames["employment"]
    dp_persons = set(b.loc[b["benefit"] == "dagpenge", "person_id"])
    assert emp["person_id"].isin(dp_persons).mean() > 0.6
    assert emp["hours"].min() >= 0
    assert emp["hours"].max() <= 160


def test_pre_payment_interviews_in_2024(frames):
    """R24 material: job interviews between a registration and a spell start in 2024."""
    reg, iv, b = frames["registrations"], frames["interviews"], frames["benefits"]
    b = b[b["benefit"].isin(["dagpenge", "kontanthjaelp", "uddannelseshjaelp", "overgangsydelse"])]
    starts = b[b["start"] >= _ts("2024-01-01")][["person_id", "start"]]
    m = reg.merge(starts, on="person_id")
    m = m[(m["date"] < m["start"]) & ((m["start"] - m["date"]).dt.days <= 90)]
    assert len(m) > 20
    j = m.merge(iv[iv["kind"] == "jobsamtale"], on="person_id", suffixes=("_reg", "_iv"))
    pre = j[(j["date_iv"] >= j["date_reg"]) & (j["date_iv"] < j["start"])]
    assert pre["person_id"].nunique() > 5
