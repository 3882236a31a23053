"""The result columns, declared once: how every table the app, the reports and the CLI show
names, measures and formats a result (a rank, a score, a number of days), with a short help
text. Beside :mod:`graphvc.contract` (whose :class:`~graphvc.contract.Column` declares them), so
that module stays small; :mod:`graphvc.display` applies them.

The input tables' own columns keep their declarations in :data:`graphvc.contract.TABLES`;
these are the columns the analysis adds (``priority_rank``, ``rfg_part``,
``recency_days``...) and those the pages and reports count and sum (``incidents``,
``harm``).
"""

from __future__ import annotations

from graphvc.contract import Column

__all__ = ["RESULTS"]

#: The column type each display format is declared with.
_TYPES = {
    "text": "text",
    "boolean": "boolean",
    "date": "datetime",
    "datetime": "datetime",
}


def _result(name: str, label: str, format: str, description: str, unit: str = "") -> Column:
    return Column(
        name,
        _TYPES.get(format, "number"),
        label=label,
        unit=unit,
        format=format,
        description=description,
    )


_SCALED = "scaled to the highest of those scored (0 to 1)"
_PART = "its weighted share of the priority: the parts add up to the priority"
_RFG_PART = "its weighted share of RFG: the three parts add up to RFG"

#: Each result column: name, label, format, help text and unit. One line a column reads as
#: a table, where one argument a line would spread it over five times the lines.
RESULTS: dict[str, Column] = {
    c.name: c
    for c in (
        # Who, and the offender list.
        _result("person_id", "Person", "text", "the person's id in the source system"),
        _result("victim_id", "Victim", "text", "the victim's id in the source system"),
        _result("perpetrator_id", "Perpetrator", "text", "the perpetrator's id"),
        _result("incident_id", "Incident", "text", "crime reference"),
        _result("rank", "Rank", "integer", "1 = highest priority; equal scores share a rank"),
        _result("priority_rank", "Rank", "integer", "1 = highest priority; equal scores share a rank"),
        _result("priority", "Priority", "score",
                "the weighted mean of RFG, betweenness and harm PageRank, each scaled to its "
                "largest value (0 to 1)"),
        _result("rfg_part", "RFG part", "score", f"RFG's part of the priority: {_PART}"),
        _result("betweenness_part", "Betweenness part", "score",
                f"betweenness's part of the priority: {_PART}"),
        _result("harm_pagerank_part", "Harm PageRank part", "score",
                f"harm PageRank's part of the priority: {_PART}"),
        _result("rfg", "RFG", "score",
                "recency, frequency and gravity (harm) of offending in the window (0 to 1)"),
        _result("rfg_rank", "RFG rank", "integer", "rank by RFG alone"),
        _result("recency_part", "Recency part", "score", _RFG_PART),
        _result("frequency_part", "Frequency part", "score", _RFG_PART),
        _result("gravity_part", "Gravity part", "score", _RFG_PART),
        _result("recency_score", "Recency, scaled", "score",
                "1 = offended just before the as-of date, 0 = at the window's start"),
        _result("frequency_score", "Frequency, scaled", "score", f"incidents, {_SCALED}"),
        _result("gravity_score", "Gravity, scaled", "score", f"harm caused, {_SCALED}"),
        _result("betweenness_score", "Betweenness, scaled", "score", f"betweenness, {_SCALED}"),
        _result("harm_pagerank_score", "Harm PageRank, scaled", "score",
                f"harm PageRank, {_SCALED}"),
        _result("last_offence_at", "Last offence", "datetime", "the latest incident offended in"),
        _result("recency_days", "Since last offence", "days",
                "days from the last offence to the as-of date", "days"),
        _result("frequency", "Offences", "integer", "incidents offended in, in the window"),
        _result("gravity", "Harm caused", "days",
                "crime harm of the incidents offended in (sentencing days)", "days"),
        _result("listed_since", "Listed since", "date", "first report that listed the person"),
        _result("review_by", "Review by", "date", "when the listing is due for review"),
        _result("last_offending", "Last offending", "datetime", "the latest incident offended in"),
        _result("reason", "Reason", "text", "why the person is due for review or removal"),
        _result("recommendation", "Recommendation", "text", "review, or remove from the list"),
        # Network position.
        _result("betweenness", "Betweenness", "score",
                "shortest paths between other people that run through the person (Brandes)"),
        _result("harm_pagerank", "Harm PageRank", "score",
                "PageRank weighted by the harm of the incidents linking people"),
        _result("pagerank", "PageRank", "score", "influence in the network (PageRank)"),
        _result("eigenvector", "Eigenvector centrality", "score",
                "linked to people who are themselves well linked"),
        _result("degree", "Links", "integer", "people linked to directly"),
        _result("contagion_risk", "Contagion risk", "score",
                "chance of a gun or knife victimisation in the period scored, from the network "
                "contagion model (graphvc risk contagion, as of its own date)"),
        _result("weighted_degree", "Weighted links", "score", "links summed by their weights"),
        _result("k_core", "k-core", "integer", "the densest core the person belongs to"),
        _result("community", "Community", "integer", "the co-offending group found (Leiden)"),
        _result("members", "Member records", "text",
                "the person records an analyst confirmed are this one person (;-separated); "
                "blank: one record"),
        _result("probability", "Match probability", "percent",
                "how likely graphvc resolve judged the records to be one person", unit="%"),
        _result("bayes_factor", "Bayes factor", "score",
                "how many times likelier this comparison's outcome is for one person than two"),
        _result("match_weight", "Match weight", "score",
                "log2 of the Bayes factor: each point doubles the odds of one person"),
        _result("records", "Records", "integer", "how many person records"),
        _result("decision", "Decision", "text",
                "an analyst's: confirmed (one person) or rejected (two people); blank: undecided"),
        _result("decided_by", "Decided by", "text", "the analyst who decided"),
        _result("decided_at", "Decided at", "datetime", "when the analyst decided"),
        _result("reason", "Reason", "text", "why the analyst rejected the pair"),
        _result("escalated_to_knife_or_gun", "Escalated to knife or gun", "boolean",
                "offended with a knife or gun after other violence"),
        _result("diversity_index", "Offence diversity", "score",
                "how varied the person's offending is (0 = one category)"),
        _result("harm_slope", "Harm trend", "score",
                "change in harm from one incident to the next", "days per incident"),
        _result("exposure_distance", "Steps to a gun or knife victim", "integer",
                "shortest path to a victim of gun or knife crime (∞: none)"),
        _result("exposure_victims_1", "Gun or knife victims 1 step away", "integer",
                "direct contacts who were victims of gun or knife crime"),
        _result("exposure_victims_2", "Gun or knife victims 2 steps away", "integer",
                "contacts of contacts who were victims of gun or knife crime"),
        _result("exposure_share_1", "Share of contacts hurt by gun or knife", "percent",
                "of direct contacts", "%"),
        _result("exposure_share_2", "Share 2 steps away hurt by gun or knife", "percent",
                "of contacts of contacts", "%"),
        _result("overlap_class", "Victim–offender class", "text",
                "victim, offender, or both (and which predominates)"),
        _result("overlap_ratio", "Victim–offender ratio", "score",
                "harm suffered against harm caused"),
        # Victims.
        _result("victimisations", "Victimisations", "integer", "times victimised in the window"),
        _result("offences", "Offences", "integer", "incidents offended in, in the window"),
        _result("harm_suffered", "Harm suffered", "days",
                "crime harm of the incidents suffered (sentencing days)", "days"),
        _result("harm_caused", "Harm caused", "days",
                "crime harm of the incidents offended in (sentencing days)", "days"),
        _result("ratio", "Ratio", "score",
                "proportionality: share of the list / share of those scored (1 = "
                "proportionate); victim–offender overlap: harm suffered / harm caused"),
        _result("repeats", "Repeats", "integer", "incidents after the first, within the window"),
        _result("min_gap_days", "Shortest gap", "days", "fewest days between two incidents",
                "days"),
        _result("first_at", "First incident", "datetime", "the earliest incident"),
        _result("last_at", "Latest incident", "datetime", "the latest incident"),
        _result("assessment_tool", "Assessment tool", "text", "the tool of the latest risk "
                "assessment, e.g. DASH"),
        _result("assessment_level", "Risk level", "text", "the latest assessment's risk"),
        _result("assessments", "Assessments", "integer", "risk assessments before the as-of date"),
        _result("assessed_at", "Assessed at", "datetime", "when the latest assessment was made"),
        _result("is_victim", "Victim", "boolean", "a victim of gun or knife crime"),
        _result("distance", "Steps", "integer", "shortest path (∞: none)"),
        # Places and counts.
        _result("incidents", "Incidents", "integer", "incidents counted"),
        _result("harm", "Harm", "days", "crime harm, in sentencing starting-point days", "days"),
        _result("harm_share", "Share of harm", "percent", "of all the harm counted", "%"),
        _result("cumulative_harm_share", "Cumulative share of harm", "percent",
                "of all the harm, from the most harmful down", "%"),
        _result("repeat_incidents", "Repeat incidents", "integer",
                "incidents after the first at the place"),
        _result("category", "Category", "text", "place on the continuum of violence"),
        _result("role", "Role", "text", "offender, suspect, victim or witness"),
        _result("borough", "Borough", "text", "the borough's name"),
        _result("borough_name", "Borough", "text", "the borough's name"),
        _result("borough_code", "Borough code", "text", "ONS code of the borough"),
        _result("ward", "Ward", "text", "the ward's name"),
        _result("ward_name", "Ward", "text", "the ward's name"),
        _result("ward_code", "Ward code", "text", "ONS code of the ward"),
        _result("location_id", "Location", "text", "the place's id"),
        _result("name", "Place", "text", "a street or venue"),
        _result("month", "Month", "date", "the first day of the month"),
        # Coordinates to four decimals (about 10 m); a table is better without them (a map
        # shows them), and the sweep of tests/integration/test_app_tables.py flags them.
        Column("latitude", "number", label="Latitude", unit="degrees", decimals=4,
               description="WGS84; of a place, or the mean of an area's places"),
        Column("longitude", "number", label="Longitude", unit="degrees", decimals=4,
               description="WGS84; of a place, or the mean of an area's places"),
        _result("occurred_at", "Occurred at", "datetime", "when it happened"),
        # Proportionality.
        _result("attribute", "Attribute", "text", "the demographic attribute"),
        _result("value", "Group", "text", "the attribute's value"),
        _result("list_count", "On the list", "integer", "people of the group on the list"),
        _result("list_share", "Share of the list", "percent", "of the people listed", "%"),
        _result("population_count", "Scored", "integer", "people of the group scored"),
        _result("population_share", "Share of those scored", "percent",
                "of everyone scored", "%"),
        # Reports.
        _result("as_of", "As of", "date", "the day the report is as of (excluded)"),
        _result("latest", "Latest", "boolean", "the latest report"),
        _result("report", "Report", "text", "the kind of report"),
        _result("window_days", "Window", "days", "days of history analysed", "days"),
        _result("top", "Listed at most", "integer", "how many people the list holds at most"),
        _result("seed", "Seed", "integer", "the random seed of community detection"),
        _result("pseudonymised", "Pseudonymised", "boolean", "people shown under pseudonyms"),
        _result("previous_report", "Previous report", "text", "the report compared against"),
        _result("people_listed", "People listed", "integer", "rows of offenders.csv"),
        _result("config_hash", "Settings hash", "text", "fingerprint of the run's settings"),
    )
}  # fmt: skip
