"""The synthetic London generator: contract, determinism and the structure it plants."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from graphvc.errors import ConfigError, InputError
from graphvc.harm_index import load_harm_table
from graphvc.model import CATEGORIES, OUTCOMES, ROLE_RELATIONSHIPS
from loaders.folder import validate_folder
from loaders.synth import SyntheticDataset, default_shared_data_dir, generate, write
from loaders.tables import TABLES
from loaders.validate import AGE_BANDS, ETHNICITY_CODES, SEXES, UK_BOUNDS

N = 2000
SEED = 11
OFFENDING = ["offender", "suspect"]
WEAPON_ENABLED = {"knife_enabled", "gun_enabled"}


@pytest.fixture(scope="module")
def data() -> SyntheticDataset:
    return generate(N, seed=SEED)


@pytest.fixture(scope="module")
def timed(data: SyntheticDataset) -> pd.DataFrame:
    """Involvements with their incident's time, category and flags."""
    incidents = data.incidents.assign(when=pd.to_datetime(data.incidents["occurred_at"]))
    return data.involvements.merge(incidents, on="incident_id", validate="many_to_one")


def _offending(timed: pd.DataFrame, person: str) -> pd.DataFrame:
    rows = timed[(timed["person_id"] == person) & timed["role"].isin(OFFENDING)]
    return rows.sort_values("when")


def test_the_same_seed_makes_the_same_tables(data: SyntheticDataset) -> None:
    again = generate(N, seed=SEED)
    for name, frame in data.tables.items():
        pd.testing.assert_frame_equal(frame, again.tables[name], obj=name)
    assert again.ground_truth == data.ground_truth


def test_another_seed_makes_other_tables(data: SyntheticDataset) -> None:
    other = generate(N, seed=SEED + 1)
    assert not other.incidents.equals(data.incidents)
    assert other.ground_truth["brokers"] != data.ground_truth["brokers"]


def test_sizes_grow_with_n(data: SyntheticDataset) -> None:
    larger = generate(2 * N, seed=SEED)
    for dataset, n in ((data, N), (larger, 2 * N)):
        assert len(dataset.incidents) == n
        assert 0.6 * n <= len(dataset.persons) <= 1.0 * n
        assert 2.0 * n <= len(dataset.involvements) <= 2.6 * n
        assert len(dataset.locations) <= n
    for name in ("persons", "involvements", "associations"):
        assert len(larger.tables[name]) / len(data.tables[name]) == pytest.approx(2, rel=0.2)


@pytest.mark.parametrize("n_incidents", [999, 1_000_001])
def test_refuses_sizes_out_of_range(n_incidents: int) -> None:
    with pytest.raises(ConfigError, match=f"n_incidents={n_incidents}"):
        generate(n_incidents, seed=1)


def test_missing_real_data_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"london_lsoa11_ward19_borough19\.csv not found"):
        generate(1000, seed=1, geography_dir=tmp_path)


def test_shared_data_dir_follows_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("GRAPHVC_SHARED_DATA", str(tmp_path))
    assert default_shared_data_dir() == tmp_path.resolve()
    monkeypatch.delenv("GRAPHVC_SHARED_DATA")
    assert default_shared_data_dir() == (Path(__file__).parents[3] / "shared" / "data").resolve()


def test_tables_have_exactly_the_contract_columns(data: SyntheticDataset) -> None:
    for name, frame in data.tables.items():
        assert set(frame.columns) == set(TABLES[name].columns), name


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


def test_values_come_from_the_allow_lists(data: SyntheticDataset) -> None:
    incidents, persons = data.incidents, data.persons
    harm = load_harm_table().table.set_index("offence")["harm_days"]
    assert set(incidents["category"]) == set(CATEGORIES)
    assert set(incidents["outcome"]) <= set(OUTCOMES)
    assert set(data.involvements["role"]) == set(ROLE_RELATIONSHIPS)
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


def test_places_are_real_lsoas_inside_the_uk(data: SyntheticDataset) -> None:
    lookup = pd.read_csv(
        default_shared_data_dir() / "london_geography" / "london_lsoa11_ward19_borough19.csv"
    ).set_index("LSOA11CD")
    locations = data.locations.set_index("lsoa_code")
    assert set(locations.index) <= set(lookup.index)
    real = lookup.loc[locations.index]
    assert (locations["ward_code"] == real["WD19CD"]).all()
    assert (locations["borough_name"] == real["LAD19NM"]).all()
    south, north, west, east = UK_BOUNDS
    assert locations["latitude"].between(south, north).all()
    assert locations["longitude"].between(west, east).all()
    # Within a few hundred metres of London's LSOA centroids.
    assert locations["latitude"].between(51.28, 51.70).all()
    assert locations["longitude"].between(-0.52, 0.30).all()
    site = data.locations["location_id"].str.extract(r"^LOC-(E01\d{6})-([1-5])$")
    assert (site[0] == data.locations["lsoa_code"]).all()


def test_the_same_place_has_the_same_point_whatever_the_seed(data: SyntheticDataset) -> None:
    other = generate(1000, seed=SEED + 5).locations
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
    assert not set(truth["brokers"]) & set(itertools.chain(*truth["groups"]))
    assert np.all([len(group) >= 3 for group in truth["groups"]])
