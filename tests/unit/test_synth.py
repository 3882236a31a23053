"""The synthetic data generator: its geographies, the contract, determinism and what it plants."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest
import shapely

from graphvc.contract import (
    AGE_BANDS,
    CATEGORIES,
    ETHNICITY_CODES,
    OUTCOMES,
    ROLES,
    SEXES,
    TABLES,
    UK_BOUNDS,
)
from graphvc.errors import ConfigError, InputError
from graphvc.harm_index import load_harm_table
from graphvc.synth import (
    Geography,
    SyntheticDataset,
    generate,
    london,
    synthetic_city,
    write,
)
from loaders.folder import validate_folder

N = 2000
SEED = 11
OFFENDING = ["offender", "suspect"]
WEAPON_ENABLED = {"knife_enabled", "gun_enabled"}
FAMILIES = ("violence", "robbery", "weapons")


@pytest.fixture(scope="module")
def city() -> Geography:
    return synthetic_city(SEED)


@pytest.fixture(scope="module")
def data(city: Geography) -> SyntheticDataset:
    return generate(N, seed=SEED, geography=city)


@pytest.fixture(scope="module")
def timed(data: SyntheticDataset) -> pd.DataFrame:
    """Involvements with their incident's time, category and flags."""
    incidents = data.incidents.assign(when=pd.to_datetime(data.incidents["occurred_at"]))
    return data.involvements.merge(incidents, on="incident_id", validate="many_to_one")


def _offending(timed: pd.DataFrame, person: str) -> pd.DataFrame:
    rows = timed[(timed["person_id"] == person) & timed["role"].isin(OFFENDING)]
    return rows.sort_values("when")


def _shapes(city: Geography, level: str) -> dict[str, shapely.Geometry]:
    return {
        feature["properties"]["code"]: shapely.geometry.shape(feature["geometry"])
        for feature in city.outlines[level]["features"]
    }


# --- The synthetic city ----------------------------------------------------------------------------


def test_the_same_seed_makes_the_same_city(city: Geography) -> None:
    again = synthetic_city(SEED)
    pd.testing.assert_frame_equal(again.areas, city.areas)
    np.testing.assert_array_equal(again.weights, city.weights)
    assert again.outlines == city.outlines
    assert again.name == city.name == f"Synthetic city (seed {SEED})"
    other = synthetic_city(SEED + 1)
    assert not other.areas[["latitude", "longitude"]].equals(city.areas[["latitude", "longitude"]])


def test_city_codes_are_unique_nested_and_never_real(city: Geography) -> None:
    areas = city.areas
    assert (len(areas), areas["ward_code"].nunique(), areas["borough_code"].nunique()) == (
        500,
        60,
        8,
    )
    assert areas["code"].is_unique and areas["code"].is_monotonic_increasing
    assert areas["code"].str.fullmatch(r"Z01\d{6}").all()
    assert areas["ward_code"].str.fullmatch(r"Z05\d{6}").all()
    assert areas["borough_code"].str.fullmatch(r"Z09\d{6}").all()
    assert sorted(areas["borough_code"].unique()) == [f"Z09{n:06d}" for n in range(1, 9)]
    # Every ward lies in one borough, and a code has one name.
    for code, other in [
        ("ward_code", "borough_code"),
        ("ward_code", "ward_name"),
        ("borough_code", "borough_name"),
    ]:
        assert areas[[code, other]].drop_duplicates()[code].is_unique, (code, other)
    assert areas.drop_duplicates("ward_code")["ward_name"].is_unique
    assert areas["name"].is_unique
    assert (areas.groupby("ward_code").size() >= 2).all()


def test_city_names_are_invented_words(city: Geography) -> None:
    areas = city.areas
    assert areas["borough_name"].str.fullmatch(r"[A-Z][a-z]{3,}").all()
    assert areas["ward_name"].str.fullmatch(r"[A-Z][a-z]{3,}( [A-Z][a-z]+)?").all()
    # Small areas are named like LSOAs: the borough, a number and a letter.
    for name, borough in zip(areas["name"], areas["borough_name"], strict=True):
        assert re.fullmatch(rf"{borough} \d{{3}}[A-Z]+", name), name


def test_city_lies_over_the_north_sea_inside_the_uk_box(city: Geography) -> None:
    latitude, longitude = city.areas["latitude"], city.areas["longitude"]
    south, north, west, east = UK_BOUNDS
    assert latitude.between(south, north).all() and longitude.between(west, east).all()
    # Some 20 km across, around 54.2 N 1.0 E, 80 km off the Yorkshire coast.
    assert latitude.between(54.05, 54.35).all() and longitude.between(0.75, 1.25).all()
    assert 0.1 < latitude.max() - latitude.min() < 0.25


@pytest.mark.parametrize("level", ["ward", "borough"])
def test_every_outline_is_a_valid_polygon_named_like_its_areas(city: Geography, level: str) -> None:
    features = city.outlines[level]["features"]
    assert city.outlines[level]["type"] == "FeatureCollection"
    names = city.areas.drop_duplicates(f"{level}_code").set_index(f"{level}_code")[f"{level}_name"]
    assert {f["properties"]["code"]: f["properties"]["name"] for f in features} == names.to_dict()
    for code, shape in _shapes(city, level).items():
        assert shape.geom_type == "Polygon" and shape.is_valid, code


@pytest.mark.parametrize("level", ["ward", "borough"])
def test_each_area_point_lies_in_its_ward_and_borough(city: Geography, level: str) -> None:
    shapes = _shapes(city, level)
    areas = city.areas
    for code, points in areas.groupby(f"{level}_code"):
        inside = shapely.contains_xy(shapes[str(code)], points["longitude"], points["latitude"])
        assert inside.all(), code


def test_wards_tile_their_borough_exactly(city: Geography) -> None:
    wards, boroughs = _shapes(city, "ward"), _shapes(city, "borough")
    borough_of = city.areas.drop_duplicates("ward_code").set_index("ward_code")["borough_code"]
    for borough, shape in boroughs.items():
        parts = [wards[ward] for ward in borough_of.index[borough_of == borough]]
        union = shapely.union_all(parts)
        assert shapely.symmetric_difference(union, shape).area < 1e-9 * shape.area, borough
        # Wards do not overlap: their areas add up to the borough's.
        assert sum(part.area for part in parts) == pytest.approx(shape.area, rel=1e-6)


def test_city_crime_is_heavy_tailed_and_busiest_in_the_centre(city: Geography) -> None:
    assert city.weights.shape == (len(FAMILIES), len(city.areas)) and (city.weights > 0).all()
    for family, weights in zip(FAMILIES, city.weights, strict=True):
        top_tenth = np.sort(weights)[::-1][: len(weights) // 10]
        assert top_tenth.sum() / weights.sum() > 0.25, family
    km_from_centre = 111.32 * np.hypot(
        city.areas["latitude"] - 54.2,
        (city.areas["longitude"] - 1.0) * np.cos(np.radians(54.2)),
    )
    violence = city.weights[FAMILIES.index("violence")]
    assert violence[km_from_centre < 3].mean() > 2 * violence[km_from_centre > 6].mean()


def test_a_geography_refuses_weights_that_do_not_fit(city: Geography) -> None:
    with pytest.raises(ValueError, match=r"weights has shape \(3, 499\)"):
        Geography("broken", city.areas, city.weights[:, 1:])
    with pytest.raises(ValueError, match="positive"):
        Geography("broken", city.areas, city.weights * 0)


# --- London ----------------------------------------------------------------------------------------


def _london(reference: Path) -> Geography:
    geography = reference / "london_geography"
    return london(
        geography / "london_lsoa11_ward19_borough19.csv",
        geography / "london_lsoa11_centroids.csv",
        {
            family: reference / "mps_lsoa_crime" / f"london-2011-2021-major-{family}.csv"
            for family in FAMILIES
        },
    )


def test_missing_london_file_is_a_one_line_input_error(tmp_path: Path) -> None:
    lookup = tmp_path / "london_lsoa11_ward19_borough19.csv"
    with pytest.raises(InputError, match=r"london_lsoa11_ward19_borough19\.csv not found$"):
        london(lookup, tmp_path / "centroids.csv", dict.fromkeys(FAMILIES, tmp_path / "x.csv"))


def test_london_file_without_a_column_is_an_input_error(tmp_path: Path) -> None:
    lookup = tmp_path / "lookup.csv"
    lookup.write_text("LSOA11CD,LSOA11NM\nE01000001,City of London 001A\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"lookup\.csv: .*WD19CD") as raised:
        london(lookup, tmp_path / "centroids.csv", dict.fromkeys(FAMILIES, tmp_path / "x.csv"))
    assert "\n" not in str(raised.value)


def test_london_needs_counts_for_every_family(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="mps_counts lacks a file for weapons"):
        london(tmp_path / "a.csv", tmp_path / "b.csv", {"violence": tmp_path, "robbery": tmp_path})


def test_london_has_every_lsoa_and_a_quiet_city(reference_source: Path) -> None:
    geography = _london(reference_source)
    assert geography.name == "London"
    assert len(geography.areas) == 4835 and geography.areas["code"].is_monotonic_increasing
    assert geography.outlines == {}
    city = (geography.areas["borough_name"] == "City of London").to_numpy()
    assert city.sum() == 6
    violence = geography.weights[FAMILIES.index("violence")]
    assert np.all(violence[city] == violence[city][0])
    assert violence[city][0] < np.median(violence[~city])


def test_places_are_real_lsoas_of_london(reference_source: Path) -> None:
    geography = _london(reference_source)
    data = generate(1000, seed=SEED, geography=geography)
    assert data.ground_truth["geography"] == "London"
    lookup = pd.read_csv(
        reference_source / "london_geography" / "london_lsoa11_ward19_borough19.csv"
    ).set_index("LSOA11CD")
    locations = data.locations.set_index("lsoa_code")
    assert set(locations.index) <= set(lookup.index)
    real = lookup.loc[locations.index]
    assert (locations["ward_code"] == real["WD19CD"]).all()
    assert (locations["borough_name"] == real["LAD19NM"]).all()
    # Within a few hundred metres of London's LSOA centroids.
    assert locations["latitude"].between(51.28, 51.70).all()
    assert locations["longitude"].between(-0.52, 0.30).all()
    site = data.locations["location_id"].str.extract(r"^LOC-(E01\d{6})-([1-5])$")
    assert (site[0] == data.locations["lsoa_code"]).all()


# --- The tables ------------------------------------------------------------------------------------


def test_the_same_seed_makes_the_same_tables(data: SyntheticDataset, city: Geography) -> None:
    again = generate(N, seed=SEED, geography=city)
    for name, frame in data.tables.items():
        pd.testing.assert_frame_equal(frame, again.tables[name], obj=name)
    assert again.ground_truth == data.ground_truth


def test_another_seed_makes_other_tables(data: SyntheticDataset, city: Geography) -> None:
    other = generate(N, seed=SEED + 1, geography=city)
    assert not other.incidents.equals(data.incidents)
    assert other.ground_truth["brokers"] != data.ground_truth["brokers"]


def test_sizes_grow_with_n(data: SyntheticDataset, city: Geography) -> None:
    larger = generate(2 * N, seed=SEED, geography=city)
    for dataset, n in ((data, N), (larger, 2 * N)):
        assert len(dataset.incidents) == n
        assert 0.6 * n <= len(dataset.persons) <= 1.0 * n
        assert 2.0 * n <= len(dataset.involvements) <= 2.6 * n
        assert len(dataset.locations) <= n
    for name in ("persons", "involvements", "associations"):
        assert len(larger.tables[name]) / len(data.tables[name]) == pytest.approx(2, rel=0.2)


@pytest.mark.parametrize(("n_incidents", "seed"), [(999, 1), (5_000_001, 1), (1000, -1)])
def test_refuses_sizes_and_seeds_out_of_range(city: Geography, n_incidents: int, seed: int) -> None:
    bad = f"n_incidents={n_incidents}" if seed >= 0 else f"seed={seed}"
    with pytest.raises(ConfigError, match=bad):
        generate(n_incidents, seed=seed, geography=city)


def test_tables_are_the_contract_tables_in_order(data: SyntheticDataset) -> None:
    assert list(data.tables) == list(TABLES)
    for name, frame in data.tables.items():
        assert list(frame.columns) == list(TABLES[name].columns), name


def test_ids_are_unique_and_references_resolve(data: SyntheticDataset) -> None:
    persons, incidents = data.persons["person_id"], data.incidents["incident_id"]
    for ids in (persons, incidents, data.locations["location_id"]):
        assert ids.is_unique
    assert persons.str.fullmatch(r"P\d{7}").all()
    assert incidents.str.fullmatch(r"I\d{7}").all()
    assert set(data.incidents["location_id"]) == set(data.locations["location_id"])
    assert set(data.involvements["person_id"]) == set(persons)
    assert set(data.involvements["incident_id"]) == set(incidents)
    links = data.associations
    assert set(links["person_a"]) | set(links["person_b"]) <= set(persons)
    assert not data.involvements.duplicated(["person_id", "incident_id", "role"]).any()
    # One part per person per incident: nobody is the victim of their own offence.
    assert not data.involvements.duplicated(["person_id", "incident_id"]).any()


def test_locations_are_sites_of_the_city_areas(data: SyntheticDataset, city: Geography) -> None:
    locations = data.locations
    site = locations["location_id"].str.extract(r"^LOC-(Z01\d{6})-([1-5])$")
    assert (site[0] == locations["lsoa_code"]).all()
    area = city.areas.set_index("code").loc[locations["lsoa_code"]]
    for column in ("ward_code", "ward_name", "borough_code", "borough_name"):
        assert (locations[column].to_numpy() == area[column].to_numpy()).all(), column
    assert (locations["name"].str.rsplit(", place ", n=1).str[0] == area["name"].to_numpy()).all()
    # Within 150 m of the area's point.
    assert np.abs(locations["latitude"].to_numpy() - area["latitude"].to_numpy()).max() < 0.0014


def test_values_come_from_the_allow_lists(data: SyntheticDataset) -> None:
    incidents, persons = data.incidents, data.persons
    harm = load_harm_table().table.set_index("offence")["harm_days"]
    assert set(incidents["category"]) == set(CATEGORIES)
    assert set(incidents["outcome"]) <= set(OUTCOMES)
    assert set(data.involvements["role"]) == set(ROLES)
    assert (incidents["harm"] == incidents["offence"].map(harm)).all()
    assert set(persons["age_band"]) <= set(AGE_BANDS)
    assert set(persons["sex"]) <= set(SEXES)
    assert set(persons["ethnicity"]) <= set(ETHNICITY_CODES)
    assert persons["name"].str.fullmatch(r"Person \d{7}").all(), "synthetic names only"
    links = data.associations
    assert set(links["type"]) == {"family", "partner", "gang", "associate"}
    assert (links["weight"] > 0).all()
    assert (links["person_a"] < links["person_b"]).all()
    assert not links.duplicated(["person_a", "person_b", "type"]).any()


@pytest.mark.parametrize(
    ("category", "offences", "flag"),
    [
        ("gun_enabled", {"firearm_discharge", "possession_firearm"}, "weapon"),
        (
            "knife_enabled",
            {"possession_weapon", "violence_with_injury", "gbh_with_intent"},
            "weapon",
        ),
        (
            "domestic_abuse",
            {"violence_with_injury", "violence_without_injury", "stalking"},
            "domestic",
        ),
        ("hate_crime", {"racially_aggravated_public_order", "violence_without_injury"}, "hate"),
        ("alcohol_related", {"violence_with_injury", "violence_without_injury"}, "alcohol"),
        ("rape_sexual", {"rape", "sexual_assault"}, None),
        ("personal_robbery", {"personal_robbery"}, None),
    ],
)
def test_offences_and_flags_fit_the_category(
    data: SyntheticDataset, category: str, offences: set[str], flag: str | None
) -> None:
    rows = data.incidents[data.incidents["category"] == category]
    assert offences <= set(rows["offence"])
    if flag:
        assert rows[flag].all()


def test_firearms_offences_are_gun_enabled(data: SyntheticDataset) -> None:
    firearms = data.incidents["offence"].isin(["firearm_discharge", "possession_firearm"])
    assert (data.incidents.loc[firearms, "category"] == "gun_enabled").all()


def test_outcomes_and_people_per_incident_are_plausible(data: SyntheticDataset) -> None:
    incidents, involvements = data.incidents, data.involvements
    shares = incidents["outcome"].value_counts(normalize=True)
    assert 0.10 <= shares["charged"] <= 0.16
    assert shares["no_suspect"] + shares["no_further_action"] > 0.5
    victims = involvements[involvements["role"] == "victim"]["incident_id"]
    assert incidents["incident_id"].isin(victims).mean() > 0.9
    # An incident with no victim is a possession offence, which always names a suspect.
    no_victim = incidents[~incidents["incident_id"].isin(victims)]
    assert set(no_victim["offence"]) <= {"possession_weapon", "possession_firearm"}
    named = involvements[involvements["role"].isin(OFFENDING)]["incident_id"]
    assert no_victim["incident_id"].isin(named).all()
    unnamed = incidents[~incidents["incident_id"].isin(named)]
    assert set(unnamed["outcome"]) == {"no_suspect"}


def test_time_has_the_rhythm_of_violence(data: SyntheticDataset) -> None:
    occurred = data.incidents["occurred_at"]
    assert occurred.str.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:00").all()
    when = pd.to_datetime(occurred)
    assert when.min() >= pd.Timestamp("2023-01-01") and when.max() < pd.Timestamp("2026-01-01")
    hours = when.dt.hour.value_counts(normalize=True)
    assert hours.loc[[21, 22, 23, 0]].sum() > 3 * hours.loc[[5, 6, 7, 8]].sum()
    weekend = when.dt.day_of_week.isin([4, 5, 6]).mean()
    assert weekend > 3 / 7 + 0.03


def test_the_same_place_has_the_same_point_whatever_the_seed(
    data: SyntheticDataset, city: Geography
) -> None:
    other = generate(1000, seed=SEED + 5, geography=city).locations
    both = data.locations.merge(other, on="location_id", suffixes=("", "_other"))
    assert len(both) > 0
    assert (both["latitude"] == both["latitude_other"]).all()


def test_written_folder_passes_the_loaders_validation(
    data: SyntheticDataset, tmp_path: Path
) -> None:
    write(data, tmp_path)
    _, summary = validate_folder(tmp_path)
    assert summary.total_rejected == 0, summary.rejects.head().to_string()
    assert summary.rows_valid == {name: len(frame) for name, frame in data.tables.items()}
    incidents_csv = (tmp_path / "incidents.csv").read_text(encoding="utf-8")
    assert ",true," in incidents_csv and ",True," not in incidents_csv
    assert json.loads((tmp_path / "ground_truth.json").read_text()) == data.ground_truth


def test_parquet_holds_the_same_tables(data: SyntheticDataset, tmp_path: Path) -> None:
    write(data, tmp_path, file_format="parquet")
    for name, frame in data.tables.items():
        back = pd.read_parquet(tmp_path / f"{name}.parquet")
        pd.testing.assert_frame_equal(back, frame, check_dtype=False, obj=name)


def test_write_refuses_an_unknown_format(data: SyntheticDataset, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="file_format='xlsx'"):
        write(data, tmp_path, file_format="xlsx")  # type: ignore[arg-type]


# --- What is planted -------------------------------------------------------------------------------


def test_brokers_co_offend_with_two_or_more_groups(
    data: SyntheticDataset, timed: pd.DataFrame
) -> None:
    truth = data.ground_truth
    group_of = {person: g for g, members in enumerate(truth["groups"]) for person in members}
    offending = timed[timed["role"].isin(OFFENDING)]
    assert len(truth["brokers"]) >= 2
    for broker in truth["brokers"]:
        incidents = offending.loc[offending["person_id"] == broker, "incident_id"]
        partners = offending.loc[offending["incident_id"].isin(incidents), "person_id"]
        groups = {group_of[p] for p in partners if p in group_of}
        assert len(groups) >= 2, broker
        assert groups == set(truth["broker_groups"][broker])


@pytest.mark.parametrize("roles", [OFFENDING, ["offender"]])
def test_brokers_have_the_highest_betweenness(data: SyntheticDataset, roles: list[str]) -> None:
    offending = data.involvements[data.involvements["role"].isin(roles)]
    graph = nx.Graph()
    for people in offending.groupby("incident_id")["person_id"]:
        graph.add_edges_from(itertools.combinations(people[1], 2))
    betweenness = pd.Series(nx.betweenness_centrality(graph, normalized=False))
    brokers = data.ground_truth["brokers"]
    top = betweenness.nlargest(len(brokers)).index
    assert set(top) == set(brokers)
    assert betweenness[brokers].min() > betweenness.drop(brokers).max()


def test_repeat_victims_are_victims_again_and_again(data: SyntheticDataset) -> None:
    victims = data.involvements.loc[data.involvements["role"] == "victim", "person_id"]
    counts = victims.value_counts()
    repeat = data.ground_truth["repeat_victims"]
    assert len(repeat) > 0.1 * counts.size
    assert (counts[repeat] >= 2).all()
    # Heavy tail: the repeat victims suffer a disproportionate share of victimisation.
    assert counts[repeat].sum() / counts.sum() > 0.4


def test_domestic_pairs_repeat_within_a_year(data: SyntheticDataset, timed: pd.DataFrame) -> None:
    domestic = timed[timed["domestic"]]
    victim_of = domestic[domestic["role"] == "victim"][["incident_id", "person_id", "when"]]
    offender_of = domestic[domestic["role"].isin(OFFENDING)][["incident_id", "person_id"]]
    pairs = victim_of.merge(offender_of, on="incident_id", suffixes=("_victim", "_perpetrator"))
    by_pair = pairs.groupby(["person_id_victim", "person_id_perpetrator"])["when"]
    for victim, perpetrator in data.ground_truth["domestic_pairs"]:
        when = by_pair.get_group((victim, perpetrator)).sort_values()
        assert len(when) >= 2
        assert when.iloc[-1] - when.iloc[0] <= pd.Timedelta(days=365)
    assert len(data.ground_truth["domestic_pairs"]) >= 3


def test_escalators_end_in_knife_or_gun_crime(data: SyntheticDataset, timed: pd.DataFrame) -> None:
    escalators = data.ground_truth["escalators"]
    assert len(escalators) >= 3
    for person in escalators:
        career = _offending(timed, person)
        assert len(career) >= 4
        assert career["when"].is_monotonic_increasing and career["when"].is_unique
        assert career["category"].iloc[0] not in WEAPON_ENABLED
        assert career["category"].iloc[-1] in WEAPON_ENABLED
        assert career["offence"].iloc[0] in {
            "violence_without_injury",
            "harassment",
            "personal_robbery",
        }


def test_victim_offenders_and_prolific_offenders(
    data: SyntheticDataset, timed: pd.DataFrame
) -> None:
    truth = data.ground_truth
    roles = timed.groupby("person_id")["role"].agg(set)
    assert truth["victim_offenders"]
    for person in truth["victim_offenders"]:
        assert "victim" in roles[person] and roles[person] & set(OFFENDING)
    offending = timed[timed["role"].isin(OFFENDING)]["person_id"].value_counts()
    assert truth["prolific_offenders"]
    assert offending[truth["prolific_offenders"]].min() >= 20
    # A few people commit a large share of the offending.
    top = offending.nlargest(max(1, len(offending) // 20))
    assert top.sum() / offending.sum() > 0.2


def test_ground_truth_names_only_people_in_the_tables(data: SyntheticDataset) -> None:
    truth = data.ground_truth
    people = set(data.persons["person_id"])
    named = set(truth["brokers"]) | set(truth["repeat_victims"]) | set(truth["escalators"])
    named |= set(itertools.chain(*truth["groups"], *truth["crews"], *truth["domestic_pairs"]))
    assert named <= people
    assert (truth["seed"], truth["n_incidents"]) == (SEED, N)
    assert truth["geography"] == f"Synthetic city (seed {SEED})"
    assert not set(truth["brokers"]) & set(itertools.chain(*truth["groups"]))
    assert np.all([len(group) >= 3 for group in truth["groups"]])


# --- When each planted structure was active --------------------------------------------------------


def _dates(when: pd.Series) -> dict[str, str]:
    return {"first": f"{when.min():%Y-%m-%d}", "last": f"{when.max():%Y-%m-%d}"}


def _co_offending_dates(timed: pd.DataFrame, people: set[str], *, with_: set[str]) -> dict:
    """The dates of the incidents where one of ``people`` offends with one of ``with_``."""
    offending = timed[timed["role"].isin(OFFENDING)]
    mine = set(offending.loc[offending["person_id"].isin(people), "incident_id"])
    theirs = offending[offending["incident_id"].isin(mine) & offending["person_id"].isin(with_)]
    partners = theirs.groupby("incident_id")["person_id"].nunique()
    shared = partners.index[partners >= (2 if people == with_ else 1)]
    return _dates(offending.loc[offending["incident_id"].isin(shared), "when"])


@pytest.mark.parametrize("kind", ["group", "crew"])
def test_periods_date_each_group_and_crew(
    data: SyntheticDataset, timed: pd.DataFrame, kind: str
) -> None:
    truth = data.ground_truth
    periods = truth[f"{kind}_periods"]
    assert len(periods) == len(truth[f"{kind}s"])
    for members, period in zip(truth[f"{kind}s"], periods, strict=True):
        assert period == _co_offending_dates(timed, set(members), with_=set(members))


def test_periods_date_each_broker(data: SyntheticDataset, timed: pd.DataFrame) -> None:
    truth = data.ground_truth
    assert len(truth["broker_periods"]) == len(truth["brokers"])
    for broker, period in zip(truth["brokers"], truth["broker_periods"], strict=True):
        members = {p for g in truth["broker_groups"][broker] for p in truth["groups"][g]}
        assert period == _co_offending_dates(timed, {broker}, with_=members)


def test_periods_date_each_escalator_pair_and_repeat_victim(
    data: SyntheticDataset, timed: pd.DataFrame
) -> None:
    truth = data.ground_truth
    for person, period in zip(truth["escalators"], truth["escalator_periods"], strict=True):
        assert period == _dates(_offending(timed, person)["when"])
    victims = timed[timed["role"] == "victim"]
    for person, period in zip(truth["repeat_victims"], truth["repeat_victim_periods"], strict=True):
        assert period == _dates(victims.loc[victims["person_id"] == person, "when"])
    for (victim, perpetrator), period in zip(
        truth["domestic_pairs"], truth["domestic_pair_periods"], strict=True
    ):
        theirs = set(victims.loc[victims["person_id"] == victim, "incident_id"])
        theirs &= set(_offending(timed, perpetrator)["incident_id"])
        assert period == _dates(timed.loc[timed["incident_id"].isin(theirs), "when"])
    for key in ("escalator", "repeat_victim", "domestic_pair"):
        assert len(truth[f"{key}_periods"]) == len(truth[f"{key}s"])
        assert all(p["first"] <= p["last"] for p in truth[f"{key}_periods"])
