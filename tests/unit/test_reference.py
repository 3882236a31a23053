"""Reference data: validation, atomic install, outlines, the loopback download and the CLI.

The small reference folder has four LSOAs on a square (about 1,040 m east-west by 1,110 m
north-south), the western pair in ward West, the eastern pair in ward East, both in borough
Town; the MPS counts lack LSOA E01000004, as the real ones lack the City of London.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import shutil
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import click
import pandas as pd
import pytest
import shapely
from click.testing import CliRunner

import graphvc
from graphvc.cli.data import data_group
from graphvc.config import Settings
from graphvc.errors import ConfigError, InputError
from graphvc.reference import (
    MPS_FAMILIES,
    OUTLINE_MARGIN_M,
    REFERENCE_FILES,
    derive_outlines,
    install_download,
    install_from,
    lsoa_centroids,
    lsoa_lookup,
    mps_counts_path,
    outlines,
    read_reference_table,
    read_status,
    reference_checksums,
    reference_path,
)

LOOKUP = "london_geography/london_lsoa11_ward19_borough19.csv"
CENTROIDS = "london_geography/london_lsoa11_centroids.csv"
VIOLENCE = "mps_lsoa_crime/london-2011-2021-major-violence.csv"
LICENCE = "mps_lsoa_crime/licence.md"
YEARS = ",".join(str(year) for year in range(2011, 2022))
WEST_LON, EAST_LON, SOUTH_LAT, NORTH_LAT = -0.10, -0.085, 51.50, 51.51

SMALL = {
    LOOKUP: (
        "LSOA11CD,LSOA11NM,WD19CD,WD19NM,LAD19CD,LAD19NM\n"
        "E01000001,Town 001A,E05000001,West,E09000001,Town\n"
        "E01000002,Town 001B,E05000001,West,E09000001,Town\n"
        "E01000003,Town 002A,E05000002,East,E09000001,Town\n"
        "E01000004,Town 002B,E05000002,East,E09000001,Town\n"
    ),
    CENTROIDS: (
        "LSOA11CD,lat,lon\n"
        f"E01000001,{SOUTH_LAT},{WEST_LON}\n"
        f"E01000002,{NORTH_LAT},{WEST_LON}\n"
        f"E01000003,{SOUTH_LAT},{EAST_LON}\n"
        f"E01000004,{NORTH_LAT},{EAST_LON}\n"
    ),
    **{
        f"mps_lsoa_crime/london-2011-2021-major-{family}.csv": (
            f"LSOA11CD,LSOA11NM,MSOA11CD,MSOA11NM,LAD11CD,LAD11NM,{YEARS}\n"
            + "".join(
                f"E0100000{n},Town 00{n}A,E02000001,Town 001,E09000001,Town,"
                + ",".join(f"{n * step}.0" for _ in range(11))
                + "\n"
                for n in (1, 2, 3)
            )
        )
        for step, family in enumerate(MPS_FAMILIES, start=1)
    },
    LICENCE: "Source: Metropolitan Police Service, Open Government Licence v2.0\n",
}


def write_source(folder: Path, changes: dict[str, str | bytes | None] | None = None) -> Path:
    """The small reference folder in ``folder``, with ``changes`` (None deletes a file)."""
    files: dict[str, str | bytes | None] = {**SMALL, **(changes or {})}
    for relative, content in files.items():
        if content is None:
            continue
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return folder


def snapshot(home: Path) -> dict[str, bytes]:
    """Every file under ``home/reference``, by relative path."""
    folder = home / "reference"
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def shape(feature: dict[str, Any]) -> shapely.Geometry:
    return shapely.from_geojson(json.dumps(feature["geometry"]))


# Metres per degree of longitude and latitude at the square's mean latitude, for areas.
_METRES_PER_DEGREE = 6_371_008.8 * math.pi / 180
_LAT0 = (SOUTH_LAT + NORTH_LAT) / 2
_SQUARE_M2_PER_DEG2 = _METRES_PER_DEGREE**2 * math.cos(math.radians(_LAT0))


def hull_area_deg2(margin_m: float) -> float:
    """The area, in square degrees, of the four centroids' square widened by ``margin_m``."""
    width = (EAST_LON - WEST_LON) * _METRES_PER_DEGREE * math.cos(math.radians(_LAT0))
    height = (NORTH_LAT - SOUTH_LAT) * _METRES_PER_DEGREE
    return shapely.box(0, 0, width, height).buffer(margin_m).area / _SQUARE_M2_PER_DEG2


@pytest.fixture
def source(tmp_path: Path) -> Path:
    return write_source(tmp_path / "source")


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


# --- install_from and the manifest ------------------------------------------------------------


def test_install_copies_the_files_and_records_them(source: Path, home: Path) -> None:
    before = datetime.now(UTC).replace(microsecond=0)
    manifest = install_from(source, home)

    folder = home / "reference"
    for relative, text in SMALL.items():
        assert (folder / relative).read_text(encoding="utf-8") == text
    assert json.loads((folder / "manifest.json").read_text()) == manifest
    assert manifest["source"] == str(source)
    assert manifest["graphvc_version"] == graphvc.__version__
    assert before <= datetime.fromisoformat(manifest["installed_at"]) <= datetime.now(UTC)
    files = manifest["files"]
    assert set(files) == {*SMALL, "outlines/ward.geojson", "outlines/borough.geojson"}
    for relative, entry in files.items():
        assert entry["sha256"] == sha256((folder / relative).read_bytes())
    assert files[LOOKUP]["sha256"] == sha256(SMALL[LOOKUP].encode())
    assert files[LOOKUP]["source"] == str(source / LOOKUP)
    assert files[LOOKUP]["rows"] == 4
    assert files[VIOLENCE]["rows"] == 3
    assert files[LICENCE]["rows"] is None
    assert files["outlines/ward.geojson"]["rows"] == 2
    assert files[LOOKUP]["licence"] == "Open Government Licence v3.0"
    assert files[VIOLENCE]["licence"] == "Open Government Licence v2.0"
    assert files[VIOLENCE]["publisher"] == "Metropolitan Police Service"
    assert files[CENTROIDS]["publisher"] == "Office for National Statistics"
    assert read_status(home) == manifest


def test_a_second_install_replaces_the_first_whole(
    source: Path, home: Path, tmp_path: Path
) -> None:
    install_from(source, home)
    other = write_source(
        tmp_path / "other", {LICENCE: None, CENTROIDS: SMALL[CENTROIDS] + "E01000009,51.6,-0.2\n"}
    )
    manifest = install_from(other, home)

    assert not (home / "reference" / LICENCE).exists()
    assert manifest["files"][CENTROIDS]["rows"] == 5
    assert manifest["source"] == str(other)
    assert [p.name for p in home.iterdir() if p.name.startswith(".reference-")] == []


def test_the_named_paths_and_tables(source: Path, home: Path) -> None:
    install_from(source, home)
    folder = home / "reference"
    assert lsoa_lookup(home) == folder / LOOKUP
    assert lsoa_centroids(home) == folder / CENTROIDS
    assert mps_counts_path(home, "violence") == folder / VIOLENCE
    assert reference_path(home, "mps_licence") == folder / LICENCE

    lookup = read_reference_table(home, "lsoa_lookup")
    assert list(lookup.columns) == [
        "LSOA11CD",
        "LSOA11NM",
        "WD19CD",
        "WD19NM",
        "LAD19CD",
        "LAD19NM",
    ]
    assert lookup["WD19NM"].tolist() == ["West", "West", "East", "East"]
    centroids = read_reference_table(home, "lsoa_centroids")
    assert centroids["lat"].dtype == "float64"
    assert centroids.set_index("LSOA11CD").at["E01000003", "lon"] == pytest.approx(EAST_LON)
    robbery = read_reference_table(home, "mps_robbery")
    assert robbery["LSOA11CD"].tolist() == ["E01000001", "E01000002", "E01000003"]
    assert robbery["2019"].tolist() == [2.0, 4.0, 6.0]  # n * step, robbery's step is 2


def test_a_table_changed_after_install_fails_on_reading(source: Path, home: Path) -> None:
    install_from(source, home)
    installed = home / "reference" / CENTROIDS
    installed.write_text(SMALL[CENTROIDS].replace(str(SOUTH_LAT), "5.15", 1), encoding="utf-8")
    with pytest.raises(InputError, match=rf"^{installed} row 2: lat '5.15' is not a latitude"):
        read_reference_table(home, "lsoa_centroids")


def test_readers_say_how_to_install_when_nothing_is(home: Path) -> None:
    expected = (
        f"reference data is not installed in {home / 'reference'}: run `graphvc data install "
        "--from DIR` (a folder laid out as docs/operations/reference-data.md describes) or "
        "`graphvc data install --download`"
    )
    with pytest.raises(ConfigError) as raised:
        lsoa_lookup(home)
    assert str(raised.value) == expected
    assert read_status(home) is None
    assert outlines(home) is None


def test_an_optional_file_left_out_is_named(tmp_path: Path, home: Path) -> None:
    install_from(write_source(tmp_path / "source", {LICENCE: None}), home)
    with pytest.raises(
        ConfigError, match=r"reference file mps_lsoa_crime/licence\.md is not installed"
    ):
        reference_path(home, "mps_licence")


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda home: mps_counts_path(home, "burglary"),
            r"MPS family 'burglary' is not one of violence",
        ),
        (
            lambda home: reference_path(home, "lsoa"),
            r"no reference file is named 'lsoa' \(known: lsoa_lookup",
        ),
        (
            lambda home: read_reference_table(home, "mps_licence"),
            r"reference file mps_lsoa_crime/licence\.md is a text, not a table",
        ),
    ],
)
def test_unknown_names_are_refused(source: Path, home: Path, call: Any, message: str) -> None:
    install_from(source, home)
    with pytest.raises(ConfigError, match=message):
        call(home)


# --- Bad inputs -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {LOOKUP: SMALL[LOOKUP].replace(",WD19NM", "")},
            rf"{LOOKUP}: column\(s\) WD19NM missing from the header "
            r"'LSOA11CD,LSOA11NM,WD19CD,LAD19CD,LAD19NM'$",
        ),
        (
            {LOOKUP: SMALL[LOOKUP].replace("E01000003,", "E0100003,")},
            rf"{LOOKUP} row 4: LSOA11CD 'E0100003' is not an LSOA code \(E01 and 6 digits\)$",
        ),
        (
            {LOOKUP: SMALL[LOOKUP].replace("E05000002,East", "W05000002,East", 1)},
            rf"{LOOKUP} row 4: WD19CD 'W05000002' is not a ward code \(E05 and 6 digits\)$",
        ),
        (
            {CENTROIDS: SMALL[CENTROIDS] + "E01000002,51.52,-0.1\n"},
            rf"{CENTROIDS} row 6: LSOA11CD 'E01000002' repeats row 3$",
        ),
        (
            {CENTROIDS: SMALL[CENTROIDS].replace(f"{NORTH_LAT},{EAST_LON}", f"{NORTH_LAT},2.5")},
            rf"{CENTROIDS} row 5: lon '2.5' is not a longitude inside the UK",
        ),
        (
            {CENTROIDS: SMALL[CENTROIDS].replace(f"{SOUTH_LAT},{WEST_LON}", f"north,{WEST_LON}")},
            rf"{CENTROIDS} row 2: lat 'north' is not a latitude inside the UK",
        ),
        (
            {CENTROIDS: SMALL[CENTROIDS].replace(f"E01000004,{NORTH_LAT},{EAST_LON}\n", "")},
            rf"{LOOKUP} row 5: LSOA11CD 'E01000004' is not in {CENTROIDS}$",
        ),
        (
            {VIOLENCE: SMALL[VIOLENCE].replace("E01000002,", "E01000009,")},
            rf"{VIOLENCE} row 3: LSOA11CD 'E01000009' is not in {LOOKUP}$",
        ),
        (
            {VIOLENCE: SMALL[VIOLENCE].replace("3.0,", "-3.0,", 1)},
            rf"{VIOLENCE} row 4: 2011 '-3.0' is not a count \(a number >= 0\)$",
        ),
        (
            {
                VIOLENCE: SMALL[VIOLENCE]
                .encode()
                .replace(b"Town 002A", "Tôwn 002A".encode("latin-1"))
            },
            rf"{VIOLENCE} row 3: not UTF-8 text \(byte b'\\xf4' at offset \d+\)$",
        ),
        ({CENTROIDS: None}, rf"{CENTROIDS} is missing: it is a required reference file$"),
        (
            {LOOKUP: "LSOA11CD,LSOA11NM,WD19CD,WD19NM,LAD19CD,LAD19NM\n"},
            rf"{LOOKUP}: no rows below",
        ),
    ],
    ids=[
        "missing-column",
        "bad-lsoa-code",
        "bad-ward-code",
        "duplicate-lsoa",
        "longitude-outside-uk",
        "latitude-not-a-number",
        "lsoa-without-centroid",
        "mps-lsoa-not-in-lookup",
        "negative-count",
        "not-utf8",
        "missing-file",
        "no-rows",
    ],
)
def test_a_bad_file_is_named_and_the_previous_install_kept(
    source: Path, home: Path, tmp_path: Path, changes: dict[str, Any], message: str
) -> None:
    install_from(source, home)
    before = snapshot(home)
    bad = write_source(tmp_path / "bad", changes)

    with pytest.raises(InputError) as raised:
        install_from(bad, home)

    text = str(raised.value)
    assert "\n" not in text
    assert text.startswith(str(bad))
    assert re.search(message, text), text
    assert snapshot(home) == before
    assert [p.name for p in home.iterdir() if p.name.startswith(".reference-")] == []


# --- Outlines ---------------------------------------------------------------------------------


def test_two_wards_split_the_square_down_the_middle(source: Path) -> None:
    lookup = pd.read_csv(source / LOOKUP, dtype=str)
    centroids = pd.read_csv(source / CENTROIDS, dtype={"LSOA11CD": str})
    found = derive_outlines(lookup, centroids, tolerance_m=0)

    wards = found["ward"]["features"]
    assert [f["properties"] for f in wards] == [
        {"code": "E05000001", "name": "West", "approximate": True},
        {"code": "E05000002", "name": "East", "approximate": True},
    ]
    (borough,) = found["borough"]["features"]
    assert borough["properties"] == {"code": "E09000001", "name": "Town", "approximate": True}
    west, east = (shape(f) for f in wards)
    middle = (WEST_LON + EAST_LON) / 2
    assert west.bounds[2] == pytest.approx(middle, abs=1e-5)
    assert east.bounds[0] == pytest.approx(middle, abs=1e-5)
    assert west.area == pytest.approx(east.area, rel=1e-3)
    assert west.intersection(east).area == pytest.approx(0, abs=1e-9)
    expected = hull_area_deg2(OUTLINE_MARGIN_M)
    assert west.area + east.area == pytest.approx(expected, rel=1e-3)
    assert shape(borough).area == pytest.approx(expected, rel=1e-3)


def test_installed_outlines_are_simplified_but_close(source: Path, home: Path) -> None:
    install_from(source, home)
    found = outlines(home)

    assert found is not None
    assert json.loads((home / "reference/outlines/ward.geojson").read_text()) == found["ward"]
    areas = [shape(f).area for f in found["ward"]["features"]]
    assert len(areas) == 2
    # Simplification may cut the rounded corners of the margin, never more than a few %.
    assert sum(areas) == pytest.approx(hull_area_deg2(OUTLINE_MARGIN_M), rel=0.03)


def test_outlines_refuse_shared_centroids() -> None:
    lookup = pd.DataFrame(
        {
            "LSOA11CD": ["E01000001", "E01000002", "E01000003"],
            "WD19CD": ["E05000001", "E05000002", "E05000002"],
            "WD19NM": ["A", "B", "B"],
            "LAD19CD": ["E09000001"] * 3,
            "LAD19NM": ["Town"] * 3,
        }
    )
    centroids = pd.DataFrame(
        {"LSOA11CD": lookup["LSOA11CD"], "lat": [51.5, 51.5, 51.6], "lon": [-0.1, -0.1, -0.2]}
    )
    with pytest.raises(InputError, match=r"LSOAs 'E01000001' and 'E01000002' share a centroid"):
        derive_outlines(lookup, centroids)


# --- Downloads from a real loopback server -----------------------------------------------------


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Keep the test output clean of the server's access log."""


@contextmanager
def _serve(root: Path) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietHandler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture
def served(source: Path, tmp_path: Path) -> Iterator[tuple[str, dict[str, str], dict[str, str]]]:
    """A loopback server of copies of the small folder: its URL, and the URLs and checksums
    of every file by name."""
    root = tmp_path / "www"
    shutil.copytree(source, root)
    with _serve(root) as base:
        urls = {
            spec.name: f"{base}/{spec.path}"
            for spec in REFERENCE_FILES
            if (root / spec.path).exists()
        }
        sums = {
            spec.name: sha256((root / spec.path).read_bytes())
            for spec in REFERENCE_FILES
            if spec.name in urls
        }
        yield base, urls, sums


def test_download_installs_verified_files(
    served: tuple[str, dict[str, str], dict[str, str]], home: Path
) -> None:
    _, urls, sums = served
    manifest = install_download(home, urls, sha256=sums)

    assert manifest["source"] == "download"
    assert manifest["verified"] is True
    files = manifest["files"]
    assert files[LOOKUP]["source"] == urls["lsoa_lookup"]
    assert files[LICENCE]["source"] == urls["mps_licence"]
    for relative, text in SMALL.items():
        assert (home / "reference" / relative).read_text(encoding="utf-8") == text
        assert files[relative]["sha256"] == sha256(text.encode())
    assert files[VIOLENCE]["licence"] == "Open Government Licence v2.0"
    assert len(outlines(home)["ward"]["features"]) == 2  # type: ignore[index]


def test_download_without_a_url_skips_optional_files(
    served: tuple[str, dict[str, str], dict[str, str]], home: Path
) -> None:
    _, urls, sums = served
    del urls["mps_licence"]
    manifest = install_download(home, urls, sha256=sums)
    assert LICENCE not in manifest["files"]


def test_a_checksum_mismatch_installs_nothing(
    served: tuple[str, dict[str, str], dict[str, str]], home: Path
) -> None:
    _, urls, sums = served
    url = urls["lsoa_centroids"]
    with pytest.raises(InputError) as raised:
        # The pinned checksum is the real file's, not the small one's.
        install_download(
            home, urls, sha256={k: v for k, v in sums.items() if k != "lsoa_centroids"}
        )
    assert str(raised.value) == (
        f"{url}: sha256 {sums['lsoa_centroids']} is not the expected "
        "29b9bb54751836825ea26c08b646546972e4958cfdda11ca2511a3236505b992: set "
        "GRAPHVC_REFERENCE_SHA256_LSOA_CENTROIDS to accept another file, or use --no-verify"
    )
    assert read_status(home) is None
    assert not (home / "reference").exists()


def test_no_verify_installs_and_says_so(
    served: tuple[str, dict[str, str], dict[str, str]], home: Path
) -> None:
    _, urls, _ = served
    manifest = install_download(home, urls, verify=False)
    assert manifest["verified"] is False
    assert read_status(home)["verified"] is False  # type: ignore[index]


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("missing.csv", "HTTP 404 File not found"),
        (LOOKUP, "larger than 100 bytes"),
    ],
)
def test_http_failures_name_the_url_and_keep_the_install(
    served: tuple[str, dict[str, str], dict[str, str]],
    source: Path,
    home: Path,
    path: str,
    message: str,
) -> None:
    base, urls, sums = served
    install_from(source, home)
    before = snapshot(home)
    urls["lsoa_lookup"] = f"{base}/{path}"
    with pytest.raises(InputError) as raised:
        install_download(home, urls, sha256=sums, max_bytes=100)
    assert str(raised.value) == f"cannot download {base}/{path}: {message}"
    assert snapshot(home) == before


def test_an_unreachable_port_names_the_url(home: Path) -> None:
    with socket.socket() as probe:  # a port that was free a moment ago, now closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/lookup.csv"
    with pytest.raises(InputError, match=rf"^cannot download {url}: .*Connection refused"):
        install_download(home, {"lsoa_lookup": url}, timeout=5)
    assert read_status(home) is None


@pytest.mark.parametrize(
    ("urls", "sums", "message"),
    [
        (
            {"lsoa_lokup": "http://x/"},
            {},
            r"GRAPHVC_REFERENCE_URL_LSOA_LOKUP: no reference file is named 'lsoa_lokup'",
        ),
        (
            {"lsoa_lookup": "file:///etc/passwd"},
            {},
            r"GRAPHVC_REFERENCE_URL_LSOA_LOOKUP='file:///etc/passwd' is not an http\(s\) URL",
        ),
        ({}, {"centroids": "0" * 64}, r"GRAPHVC_REFERENCE_SHA256_CENTROIDS: no reference file"),
    ],
)
def test_bad_download_settings_are_refused(
    home: Path, urls: dict[str, str], sums: dict[str, str], message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        install_download(home, urls, sha256=sums)


def test_checksum_settings_must_be_sha256() -> None:
    with pytest.raises(
        ConfigError, match=r"GRAPHVC_REFERENCE_SHA256_LSOA_LOOKUP='abc' is not a sha256"
    ):
        reference_checksums({"GRAPHVC_REFERENCE_SHA256_LSOA_LOOKUP": "abc"})


# --- The command line -------------------------------------------------------------------------


def run(home: Path, *args: str, env: dict[str, str] | None = None) -> Any:
    return CliRunner().invoke(
        data_group, list(args), env={"GRAPHVC_HOME": str(home), **(env or {})}
    )


def summary(output: str) -> dict[str, str]:
    """``path: rest`` lines by path."""
    lines = [line.split(": ", 1) for line in output.splitlines() if ": " in line]
    return {path: rest for path, rest in lines}


def test_cli_install_and_status(source: Path, home: Path) -> None:
    installed = run(home, "install", "--from", str(source))
    assert installed.exit_code == 0, installed.output
    lines = summary(installed.output)
    assert (
        lines[LOOKUP] == f"4 rows, sha256 {sha256(SMALL[LOOKUP].encode())}, from {source / LOOKUP}"
    )
    assert lines[LICENCE].startswith("text, sha256 ")
    assert lines["outlines/borough.geojson"].startswith("1 rows, ")
    assert installed.output.splitlines()[-1] == f"installed in {home / 'reference'}"

    status = run(home, "status")
    assert status.exit_code == 0, status.output
    first, *rest = status.output.splitlines()
    assert first.startswith(f"reference data in {home / 'reference'}, installed ")
    assert first.endswith(f"by graphvc {graphvc.__version__} from {source}")
    files = summary("\n".join(rest))
    assert files[VIOLENCE] == "3 rows, Open Government Licence v2.0, Metropolitan Police Service"
    assert (
        files[CENTROIDS] == "4 rows, Open Government Licence v3.0, Office for National Statistics"
    )

    as_json = json.loads(run(home, "status", "--json").output)
    assert as_json["installed"] is True
    assert as_json["files"][LOOKUP]["sha256"] == sha256(SMALL[LOOKUP].encode())


def test_cli_status_exits_3_when_nothing_is_installed(home: Path) -> None:
    status = run(home, "status")
    assert status.exit_code == 3
    assert status.output.startswith(f"reference data is not installed in {home / 'reference'}: run")
    as_json = run(home, "status", "--json")
    assert as_json.exit_code == 3
    assert json.loads(as_json.output) == {"installed": False, "directory": str(home / "reference")}


@pytest.mark.parametrize(
    "args",
    [
        ["install"],
        ["install", "--from", ".", "--download"],
        ["install", "--from", ".", "--no-verify"],
    ],
)
def test_cli_install_needs_one_source(home: Path, args: list[str]) -> None:
    result = run(home, *args)
    assert result.exit_code == 2
    assert "--download" in result.output


def test_cli_bad_source_is_one_line(source: Path, home: Path, tmp_path: Path) -> None:
    bad = write_source(tmp_path / "bad", {LOOKUP: SMALL[LOOKUP].replace("E01000003,", "E0100003,")})
    result = run(home, "install", "--from", str(bad))
    assert result.exit_code == 1
    assert (
        result.output
        == f"Error: {bad / LOOKUP} row 4: LSOA11CD 'E0100003' is not an LSOA code (E01 and 6 digits)\n"
    )


def test_cli_download_reads_the_url_and_checksum_settings(
    served: tuple[str, dict[str, str], dict[str, str]], home: Path
) -> None:
    _, urls, sums = served
    env = {f"GRAPHVC_REFERENCE_URL_{name.upper()}": url for name, url in urls.items()}
    env.update({f"GRAPHVC_REFERENCE_SHA256_{name.upper()}": value for name, value in sums.items()})
    result = run(home, "install", "--download", env=env)
    assert result.exit_code == 0, result.output
    assert summary(result.output)[LOOKUP].endswith(f"from {urls['lsoa_lookup']}")

    unverified = run(
        home,
        "install",
        "--download",
        "--no-verify",
        env={k: v for k, v in env.items() if "SHA256" not in k},
    )
    assert unverified.exit_code == 0, unverified.output
    assert (
        run(home, "status")
        .output.splitlines()[0]
        .endswith("from download, checksums NOT verified (--no-verify)")
    )


def test_cli_uses_the_settings_of_an_enclosing_group(source: Path, home: Path) -> None:
    @click.group()
    @click.pass_context
    def outer(ctx: click.Context) -> None:
        ctx.obj = Settings(home=home)

    outer.add_command(data_group)
    result = CliRunner().invoke(
        outer, ["data", "install", "--from", str(source)], env={"GRAPHVC_HOME": "/nonexistent"}
    )
    assert result.exit_code == 0, result.output
    assert read_status(home) is not None


# --- The real data ----------------------------------------------------------------------------


def test_the_real_reference_data_installs(reference_source: Path, home: Path) -> None:
    manifest = install_from(reference_source, home)

    lookup = pd.read_csv(reference_source / LOOKUP, dtype=str)
    wards, boroughs = lookup["WD19CD"].nunique(), lookup["LAD19CD"].nunique()
    assert (len(lookup), wards, boroughs) == (4835, 637, 33)
    files = manifest["files"]
    assert files[LOOKUP]["rows"] == 4835
    assert files[CENTROIDS]["rows"] == 4835
    assert files[VIOLENCE]["rows"] == 4829
    # The pins are the checksums of these copies, the known-good published files.
    for spec in REFERENCE_FILES:
        assert files[spec.path]["sha256"] == spec.sha256, spec.path

    found = outlines(home)
    assert found is not None
    assert len(found["ward"]["features"]) == wards
    codes = {f["properties"]["code"] for f in found["borough"]["features"]}
    assert codes == set(lookup["LAD19CD"])
    for level in ("ward", "borough"):
        assert files[f"outlines/{level}.geojson"]["bytes"] < 500_000
    # Every centroid lies inside its own ward's outline.
    centroids = read_reference_table(home, "lsoa_centroids").merge(lookup, on="LSOA11CD")
    shapes = {f["properties"]["code"]: shape(f) for f in found["ward"]["features"]}
    inside = [
        shapes[ward].contains(shapely.Point(lon, lat))
        for ward, lon, lat in zip(
            centroids["WD19CD"], centroids["lon"], centroids["lat"], strict=True
        )
    ]
    assert all(inside)
    assert "E01000001" not in set(
        read_reference_table(home, "mps_violence")["LSOA11CD"]
    )  # the City's own police


def test_the_real_files_pass_the_pins_over_loopback(reference_source: Path, home: Path) -> None:
    with _serve(reference_source) as base:
        urls = {spec.name: f"{base}/{spec.path}" for spec in REFERENCE_FILES}
        manifest = install_download(home, urls)
    assert manifest["verified"] is True
    assert manifest["files"][LOOKUP]["rows"] == 4835
