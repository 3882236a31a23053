"""The explorer's time tools against the real Neo4j: timeline, period control, time wheel and
the ``?centre=&hops=`` deep link, with AppTest and in headless Chromium.

The small fixture (``tests/fixtures/small``) around P1, two hops out (``test_app``'s module
docstring works it out): P1 offended in I1 (Fri 5 January 2024, 22:10 GMT, with P2; P3 the
victim; at L1), I2 (Sat 10 February 2024, 23:30 GMT; P3 suspect, P4 victim; at L1) and I5
(Sun 20 October 2024, 21:45 BST, with P6; at L3), and is a gang associate of P6. So its
incidents span January to October 2024: ten months.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from itertools import pairwise
from pathlib import Path

import pandas as pd
from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df
from streamlit.testing.v1 import AppTest

from graphvc.app import page as page_path
from tests.browser import chromium
from tests.integration import test_app as app_tests
from tests.integration.test_app import ROOT, OpenPage, _button, _drawn, _explore, _no_names

# The app tests' fixtures: the small graph analysed and reported on, a page, the served app.
served, open_page, served_app = app_tests.served, app_tests.open_page, app_tests.served_app

#: P1's two-hop network in January and February 2024: I5 (October) goes, and with it L3;
#: P6 stays, P1's associate.
P1_JAN_FEB = {"P1", "I1", "I2", "P2", "P3", "P4", "L1", "P6"}


def _charts(at: AppTest) -> dict[str, pd.DataFrame]:
    """The data of each Vega-Lite chart on the page, by the chart's first tooltip title."""
    charts = {}
    for chart in at.get("vega_lite_chart"):
        spec = json.loads(chart.proto.spec)
        marks = spec.get("layer", [spec])[-1]
        name = marks.get("data", spec.get("data", {})).get("name")
        named = {d.name: d.data.data for d in chart.proto.datasets}
        data = named.get(name, chart.proto.data.data)
        charts[marks["encoding"]["tooltip"][0]["title"]] = convert_arrow_bytes_to_pandas_df(data)
    return charts


def test_the_timeline_draws_the_networks_incidents_in_date_order(open_page: OpenPage) -> None:
    at = _explore(open_page("explorer"), "P1")
    timeline = _charts(at)["Incident"]
    marks = list(zip(timeline["id"], timeline["person"], timeline["role"], strict=True))
    assert marks == [
        ("I1", "P1", "offender"),
        ("I1", "P2", "offender"),
        ("I1", "P3", "victim"),
        ("I2", "P1", "offender"),
        ("I2", "P3", "suspect"),
        ("I2", "P4", "victim"),
        ("I5", "P1", "offender"),
        ("I5", "P6", "offender"),
    ]
    # London wall-clock times: I5 was stored as 20:45 UTC, in British Summer Time.
    dates = timeline.drop_duplicates("id").set_index("id")["date"].to_dict()
    assert dates == {"I1": "2024-01-05 22:10", "I2": "2024-02-10 23:30", "I5": "2024-10-20 21:45"}
    details = timeline.drop_duplicates("id").set_index("id")
    assert details.at["I2", "people"] == "P1 offender, P3 suspect, P4 victim"
    assert details.at["I1", "place"] == "On or near Aldersgate Street"
    assert details.at["I2", "category"] == "personal robbery"  # from its offence
    # The wheel: Friday 22:00, Saturday 23:00 and Sunday 21:00.
    wheel = _charts(at)["Day"]
    busy = wheel[wheel["incidents"] > 0][["day", "hour", "incidents"]].to_numpy().tolist()
    assert busy == [["Fri", 22, 1], ["Sat", 23, 1], ["Sun", 21, 1]]
    _no_names(at)


def test_the_period_shrinks_the_network_and_steps_a_month_at_a_time(
    open_page: OpenPage,
) -> None:
    at = _explore(open_page("explorer"), "P1")
    period = at.select_slider(key="period")
    assert period.value == ("2024-01", "2024-10")
    assert len(period.options) == 10
    period.set_value(("2024-01", "2024-02")).run()
    assert {n["ref"] for n in _drawn(at)} == P1_JAN_FEB
    assert at.caption[1].value == (
        "10 nodes and 12 links within 2 hops of P1; Jan 2024 to Feb 2024: 8 nodes and 9 links "
        "shown (2 hidden: incidents outside the period, and what only they tied in)"
    )
    assert set(_charts(at)["Day"].query("incidents > 0")["day"]) == {"Fri", "Sat"}

    _button(at, "Month on").click().run()
    # February and March: I2 alone, its people and place, and P1's associate P6.
    assert at.select_slider(key="period").value == ("2024-02", "2024-03")
    assert {n["ref"] for n in _drawn(at)} == {"P1", "I2", "P3", "P4", "L1", "P6"}
    assert set(_charts(at)["Incident"]["id"]) == {"I1", "I2", "I5"}  # the timeline keeps all

    at.checkbox(key="period_grow").check().run()
    for _ in range(8):  # the end walks on to October and stops there
        _button(at, "Month on").click().run()
    assert at.select_slider(key="period").value == ("2024-02", "2024-10")
    assert {n["ref"] for n in _drawn(at)} == {"P1", "I2", "I5", "P3", "P4", "L1", "L3", "P6"}
    # The whole span again: the network as the search found it.
    at.select_slider(key="period").set_value(("2024-01", "2024-10")).run()
    assert at.caption[1].value == "10 nodes and 12 links within 2 hops of P1"


def test_a_link_centres_the_explorer(open_page: OpenPage) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30).run()
    at.query_params.update({"centre": "P4", "hops": "1"})
    at.switch_page(page_path("explorer")).run()
    assert not at.exception, at.exception[0].stack_trace if at.exception else ""
    # P4: victim of I2, I3 and I4, and P5's partner.
    assert at.text_input(key="node_id").value == "P4"
    assert at.slider(key="hops").value == 1
    assert {n["ref"] for n in _drawn(at)} == {"P4", "I2", "I3", "I4", "P5"}
    # Searching on replaces the link's centre: the link is not followed again.
    _explore(at, "P6")
    assert {n["ref"] for n in _drawn(at)} == {"P6", "P1", "I5"}
    assert at.query_params == {"centre": "P6", "hops": "1"}
    at.run()  # and a later run keeps the centre searched
    assert at.text_input(key="node_id").value == "P6"


def _marks(browser) -> list[dict]:
    """The timeline's marks in the page: their descriptions and centres."""
    return browser.execute_script(
        """
        return [...document.querySelectorAll("[data-testid='stVegaLiteChart'] svg path")]
          .filter(p => (p.getAttribute('aria-label') || '').includes('Incident: '))
          .map(p => {const r = p.getBoundingClientRect();
                     return {label: p.getAttribute('aria-label'), x: r.x + r.width / 2,
                             y: r.y + r.height / 2}});
        """
    )


def _network_labels(browser, wait) -> set[str]:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec

    canvas = wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "iframe[srcdoc]")))
    browser.switch_to.frame(canvas)
    wait.until(lambda b: b.execute_script("return typeof network !== 'undefined'"))
    labels = browser.execute_script("return network.body.data.nodes.get().map(n => n.ref)")
    browser.switch_to.default_content()
    return set(labels)


def _idle(browser, wait) -> None:
    from selenium.webdriver.common.by import By

    wait.until(lambda b: not b.find_elements(By.CSS_SELECTOR, "[data-testid='stStatusWidget']"))


def _screenshots(browser, folder: Path) -> None:
    """The timeline (with the period control above it) and the time wheel, saved in
    ``folder`` and copied to ``$GRAPHVC_TEST_SCREENSHOT_DIR`` when set (the docs' pictures)."""
    from selenium.webdriver.common.by import By

    heading = browser.find_element(By.XPATH, "//h3[.//*[text()='Timeline'] or text()='Timeline']")
    browser.execute_script("arguments[0].scrollIntoView({block: 'start'})", heading)
    assert browser.save_screenshot(str(folder / "explorer-timeline.png"))
    charts = browser.find_elements(By.CSS_SELECTOR, "[data-testid='stVegaLiteChart']")
    assert charts[-1].screenshot(str(folder / "time-wheel.png"))
    if os.environ.get("GRAPHVC_TEST_SCREENSHOT_DIR"):
        for name in ("explorer-timeline.png", "time-wheel.png"):
            shutil.copyfile(folder / name, Path(os.environ["GRAPHVC_TEST_SCREENSHOT_DIR"]) / name)


def test_timeline_and_link_in_chromium(served_app: str, tmp_path: Path) -> None:
    from selenium.common.exceptions import (
        JavascriptException,
        NoSuchFrameException,
        StaleElementReferenceException,
    )
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    with chromium(tmp_path / "profile") as browser:
        # Each rerun replaces the picture's frame: a look that races it tries again.
        redrawn = (JavascriptException, NoSuchFrameException, StaleElementReferenceException)
        wait = WebDriverWait(browser, 30, ignored_exceptions=redrawn)
        browser.get(f"{served_app}/explorer?centre=P1&hops=2")
        assert _network_labels(browser, wait) >= {"P1", "I1", "I2", "I5", "L3"}
        wait.until(lambda b: len(_marks(b)) == 8)
        marks = _marks(browser)
        # Drawn left to right in date order: I1, then I2, then I5.
        first = {}
        for mark in sorted(marks, key=lambda m: m["x"]):
            incident = re.search(r"Incident: (I\d)", mark["label"]).group(1)
            first.setdefault(incident, mark["x"])
        assert list(first) == ["I1", "I2", "I5"]
        # A lane apart for each of P1, P2, P3, P4 and P6, far enough apart to read.
        lanes = sorted({round(m["y"]) for m in marks})
        assert len(lanes) == 5 and min(b - a for a, b in pairwise(lanes)) >= 15
        assert all("Date (London): 2024-" in m["label"] for m in marks)
        # The period's end thumb, a month back at a time, to February: January and February.
        for _ in range(9):
            [end] = browser.find_elements(
                By.CSS_SELECTOR, "[aria-label^='Incidents from'][aria-label$='end']"
            )
            values = browser.find_elements(By.CSS_SELECTOR, "[data-testid='stSliderThumbValue']")
            if values[-1].text.strip() == "Feb 2024":  # the hops' value, then the period's
                break
            if end.tag_name != "input":
                end = end.find_element(By.CSS_SELECTOR, "input")
            end.send_keys(Keys.ARROW_LEFT)
            _idle(browser, wait)
        # The slider sends its value once the keys stop: on a busy machine the page may first
        # redraw for a month on the way (the same nodes from January to July), so wait for
        # the period the thumb shows.
        shown = "; Jan 2024 to Feb 2024: 8 nodes and 9 links shown"
        wait.until(
            lambda b: any(
                shown in said.text
                for said in b.find_elements(
                    By.XPATH, "//p[contains(text(), 'links within 2 hops')]"
                )
            )
        )
        _idle(browser, wait)
        wait.until(lambda b: _network_labels(b, wait) == P1_JAN_FEB)
        _screenshots(browser, tmp_path)

        # A click on I2 re-centres the explorer there: I2's people and place, one hop on.
        target = next(
            p
            for p in browser.find_elements(
                By.CSS_SELECTOR, "[data-testid='stVegaLiteChart'] svg path[aria-label]"
            )
            if "Incident: I2" in (p.get_attribute("aria-label") or "")
        )
        browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", target)
        target.click()
        wait.until(
            lambda b: (
                b.find_element(
                    By.CSS_SELECTOR, "input[aria-label^='Person, incident']"
                ).get_attribute("value")
                == "I2"
            )
        )
        wait.until(lambda b: "centre=I2" in b.current_url)
        wait.until(lambda b: {"I2", "P1", "P3", "P4", "L1"} <= _network_labels(b, wait))
