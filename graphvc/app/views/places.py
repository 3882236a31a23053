"""Places: where harm concentrates, which locations repeat, and whether violence comes in
near repeats (the Knox test); ``?place=<location id | ward code | borough code>`` opens with
that place's details first (:mod:`graphvc.app.place_details`)."""

from collections.abc import Callable

import pandas as pd
import streamlit as st

from graphvc.analysis.places import knox_test
from graphvc.app import data
from graphvc.app.access import guarded, require_page
from graphvc.app.filters import list_filters
from graphvc.app.maps import (
    HIGHLIGHT_COLOUR,
    OUTLINE_SCALE,
    geography_caption,
    legend_html,
    place_legend,
    place_map,
    show_map,
    show_picture,
)
from graphvc.app.place_details import place_details
from graphvc.app.run_picker import stored_run
from graphvc.app.ways_in import selectable
from graphvc.app.widgets import paged, top_slider
from graphvc.geography import MapGeography
from graphvc.reports.charts import dot_map, outline_map
from graphvc.stored_runs import StoredRun

__all__ = ["main"]

#: Each level of place: its key column, name column, map label, radius (metres) and whether
#: it is drawn as columns (few, large places) or dots (many small ones).
LEVELS = {
    "location": ("location_id", "name", "name", 600, False),
    "ward": ("ward_code", "ward_name", "ward_name", 350, True),
}


def parse_bands(text: str) -> list[float]:
    return [float(part) for part in text.replace(" ", "").split(",") if part]


@st.cache_data(ttl=600, show_spinner="Running the Knox test…")
def knox(
    run_id: str,
    distance: tuple[float, ...],
    days: tuple[float, ...],
    simulations: int,
) -> pd.DataFrame:
    """The Knox test on the network window's incidents of stored run ``run_id``."""
    return knox_test(
        data.run_table(run_id, "window_incidents"),
        data.run_table(run_id, "locations"),
        distance_bands=distance,
        time_bands=days,
        simulations=simulations,
    )


def hot_places_map(hot: pd.DataFrame, level: str, city: MapGeography, drawable: bool) -> None:
    """The most harmful places of ``level``: a picture first (the page opens without a 3-D
    engine), the WebGL map when asked, or when the city's outlines cannot draw the graph's
    places (``drawable`` false: none installed, or not the graph's)."""
    key, name, label, radius, columns = LEVELS[level]
    outlines = city.outlines
    top = top_slider("Most harmful places on the map", len(hot), 50)
    if drawable and not st.toggle("Interactive 3-D map", key="places_3d"):
        shown = hot.head(top).dropna(subset=["latitude", "longitude"])
        dots = zip(
            shown["longitude"],
            shown["latitude"],
            shown["harm"].astype(float),
            shown[label].astype(str),
            strict=True,
        )
        show_picture(
            dot_map(
                outlines["borough"],
                list(dots),
                title=f"harm (days) by {level}",
                lines=outlines.get("ward"),
            ),
            place_legend(shown, value="harm", title="Crime harm (days)", columns=False),
        )
        return
    shown = hot.head(top)
    show_map(
        place_map(
            shown,
            value="harm",
            label=label,
            radius=radius,
            columns=columns,
            outlines=outlines,
            labelled=10,
            tooltip=f"{{{key}}} {{{name}}}\n{{incidents}} incidents\n{{harm}} days of harm",
        ),
        place_legend(shown, value="harm", title="Crime harm (days)", columns=columns),
    )


def with_borough(places: pd.DataFrame, run: StoredRun, key: str) -> pd.DataFrame:
    """``places`` (keyed by ``key``, a column of the run's ``locations``) with the name of
    the borough each lies in, for the borough filter."""
    if "borough_name" in places.columns:
        return places
    locations = guarded(lambda: data.run_table(run.id, "locations"))
    borough_of = locations.dropna(subset=[key]).drop_duplicates(key).set_index(key)
    names = guarded(data.boroughs)
    return places.assign(borough_name=places[key].map(borough_of["borough_code"]).map(names))


def hot_places(run: StoredRun, city: MapGeography) -> None:
    """The most harmful places, at the chosen level, on a map and in a table."""
    st.subheader("Where harm concentrates")
    level = st.radio("Places", list(LEVELS), horizontal=True, format_func=str.capitalize)
    hot = guarded(lambda: data.run_table(run.id, f"places_{level}")).reset_index()
    if hot.empty:
        st.info("No incident in this window has a place.")
        return
    half = int(hot["cumulative_harm_share"].searchsorted(0.5)) + 1
    hot = with_borough(hot, run, LEVELS[level][0])
    shown = list_filters(hot, key=f"places_{level}", columns=("borough", "ward", "date"))
    uncovered = city.uncovered("borough", guarded(data.boroughs))
    hot_places_map(shown, level, city, bool(city.outlines.get("borough")) and not uncovered)
    st.caption(
        f"{half:,} of {len(hot):,} {level}s ({half / len(hot):.0%}) hold half of the harm in "
        "the window."
    )
    geography_caption("borough", uncovered)
    selectable(
        paged(shown.drop(columns=["latitude", "longitude"]), key="places_page"),
        key=f"places_rows_{level}",
        kind="place",
        id_column=LEVELS[level][0],
    )


def high_impact_neighbourhoods(run: StoredRun, city: MapGeography) -> None:
    """The wards with the most harm in the last quarter, and how often they were in the top
    decile: shaded on the city's ward outlines when they draw every one of those wards, as
    columns on a map if not."""
    st.subheader("High-impact neighbourhoods")
    wards = guarded(lambda: data.run_table(run.id, "high_impact_wards"))
    st.caption(
        f"Wards by their share of the force's crime harm in the quarter (91 days) before "
        f"{run.as_of.date()}, and in how many of the last four quarters each was in the "
        "force's top decile of wards (Sherman, Gartin & Buerger 1989, weighted by harm); the top "
        "decile now in purple on the map."
    )
    if wards.empty:
        st.info("No ward saw harm in the last quarter.")
        return
    outlines = city.outlines
    uncovered = city.uncovered("ward", wards["ward_code"])
    if outlines.get("ward") and not uncovered:
        # Drawn as a picture, not a WebGL map.
        harm = dict(zip(wards["ward_code"], wards["harm"].astype(float), strict=True))
        show_picture(
            outline_map(
                outlines["ward"],
                harm,
                title="harm by ward in the quarter",
                marked=set(wards.loc[wards["top_decile"], "ward_code"]),
                marked_fill="rgb({},{},{})".format(*HIGHLIGHT_COLOUR[:3]),
            ),
            legend_html(
                "Crime harm in the quarter (days)",
                {"top decile of wards": HIGHLIGHT_COLOUR, "no harm": (255, 255, 255)},
                scale=(0.0, max(harm.values(), default=0.0)),
                scale_ends=OUTLINE_SCALE,
                note="Hover a ward for its name and figure.",
            ),
        )
    else:
        locations = guarded(lambda: data.run_table(run.id, "locations"))
        centres = locations.dropna(subset=["ward_code"]).groupby("ward_code")
        mapped = wards.join(centres[["latitude", "longitude"]].mean(), on="ward_code")
        show_map(
            place_map(
                mapped,
                value="harm_share",
                label="ward_name",
                radius=350,
                labelled=10,
                outlines=outlines,
                highlight="top_decile",
                tooltip="{ward_code} {ward_name}\n{harm} days of harm\n"
                "{periods_in_top_decile} of {periods} quarters in the top decile",
            ),
            place_legend(
                mapped,
                value="harm_share",
                title="Share of the quarter's harm",
                highlighted="top decile of wards",
            ),
        )
    geography_caption("ward", uncovered)
    selectable(wards, key="places_wards_rows", kind="place", id_column="ward_code")


def repeat_locations(run: StoredRun, city: MapGeography) -> None:
    """The locations with two or more incidents in the repeat window."""
    st.subheader("Repeat locations")
    repeats = guarded(lambda: data.run_table(run.id, "repeat_locations"))
    st.caption(
        f"Locations with two or more incidents in the {run.parameters['repeat_window_days']} "
        f"days before {run.as_of.date()}."
    )
    if repeats.empty:
        st.info("No location saw two incidents in this window.")
    else:
        selectable(repeats, key="places_repeat_rows", kind="place", id_column="location_id")


def near_repeats(run: StoredRun, city: MapGeography) -> None:
    """The Knox test, run when asked."""
    st.subheader("Near repeats (Knox test)")
    window = run.summary["window"]
    st.caption(
        "Are incidents close in space also close in time, more than chance allows? Pairs of "
        f"incidents of the window ({window['start'][:10]} to {window['end'][:10]}) are counted "
        "by distance and days apart, against the counts when the dates are shuffled (Ratcliffe "
        "& Rengert 2008; Knox 1964)."
    )
    with st.form("knox"):
        left, middle, right = st.columns(3)
        distance = left.text_input(
            "Distance bands (metres)", "0, 100, 200, 400", key="knox_distance"
        )
        days = middle.text_input("Time bands (days)", "0, 7, 14, 30, 60", key="knox_days")
        simulations = right.number_input("Simulations", 9, 999, 99, key="knox_simulations")
        asked = st.form_submit_button("Run the near-repeat test")
    if not (asked or st.session_state.get("knox_ran")):
        return
    st.session_state["knox_ran"] = True
    try:
        bands = tuple(parse_bands(distance)), tuple(parse_bands(days))
    except ValueError:
        st.error(
            f"Bands are numbers separated by commas, such as 0, 100, 200: {distance!r}, {days!r}"
        )
        st.stop()
    found = guarded(lambda: knox(run.id, *bands, int(simulations)))
    st.caption(
        f"{found.attrs['incidents']:,} incidents tested ({found.attrs['dropped']:,} without "
        f"coordinates left out), {found.attrs['simulations']} simulations. Knox ratio > 1 with "
        "p ≤ 0.05: more near repeats than chance."
    )
    st.dataframe(
        found.style.highlight_between(subset=["p_value"], left=0, right=0.05, color="#ffd8a8"),
        hide_index=True,
        width="stretch",
    )


#: The page's sections, one shown at a time (a page drawing them all takes seconds to open).
SECTIONS: dict[str, Callable[[StoredRun, MapGeography], None]] = {
    "Where harm concentrates": hot_places,
    "High-impact neighbourhoods": high_impact_neighbourhoods,
    "Repeat locations": repeat_locations,
    "Near repeats": near_repeats,
}


def main() -> None:
    """The stored run's places, one section at a time."""
    require_page("places")
    st.title("Places")
    run = stored_run()
    city = guarded(data.map_outlines)
    chosen = st.query_params.get("place")
    if chosen:
        place_details(run, chosen, city)
    first = next(iter(SECTIONS))
    shown = st.segmented_control("Section", list(SECTIONS), default=first, key="places_section")
    SECTIONS[shown or first](run, city)


if __name__ == "__main__":
    main()
