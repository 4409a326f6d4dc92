"""Property tests: random CSV rows raise nothing but ZonewatchError; every row is accounted."""

from __future__ import annotations

import tempfile
from pathlib import Path

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from zonewatch.errors import ZonewatchError
from zonewatch.sources.csv_file import read_csv

HEADERS = {
    "marinecadastre": "MMSI,BaseDateTime,LAT,LON,SOG,COG,Heading,VesselName,IMO,CallSign,"
    "VesselType,Status,Length,Width,Draft,Cargo,TransceiverClass",
    "dma": "# Timestamp,Type of mobile,MMSI,Latitude,Longitude,Navigational status,ROT,SOG,COG,"
    "Heading,IMO,Callsign,Name,Ship type,Cargo type,Width,Length,"
    "Type of position fixing device,Draught,Destination,ETA,Data source type,A,B,C,D",
    "canonical": "msg_type,mmsi,ts,lon,lat,sog,cog,heading,nav_status,imo,name,ship_type,to_bow",
}

NUMBERS = st.one_of(
    st.integers(-(10**12), 10**12).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(["91", "181", "102.3", "360", "511", "-0.0", "1e400", "0x1F", "", "nan"]),
)
TIMES = st.one_of(
    st.datetimes().map(lambda t: t.isoformat()),
    st.datetimes().map(lambda t: t.strftime("%d/%m/%Y %H:%M:%S")),
    st.sampled_from(["2023-01-01T00:00:00", "31/12/2023 23:59:59", "2023-02-30T00:00:00", ""]),
)
TEXT = st.text(
    alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\n"), max_size=12
)
FIELDS = st.one_of(NUMBERS, TIMES, TEXT, st.sampled_from(['"a,b"', '"', '""', "Class A", "B"]))


VALID = {
    "marinecadastre": "367155120,2023-01-01T00:00:06,29.31231,-94.79303,12.3,205.4,204,SEA HAWK,"
    "IMO9184005,WDF8764,70,0,180,30,9.1,70,A",
    "dma": "01/01/2023 00:00:01,Class A,219000873,56.991,10.305,Engaged in fishing,,10.2,30.3,32,"
    "9241061,OXAB2,SEA STAR,Fishing,,8,40,GPS,4.5,AARHUS,01/01/2023 12:00:00,AIS,30,10,4,4",
    "canonical": "1,413000001,2024-05-01T12:00:00Z,123.5,25.7,9.5,90,45,0,9241061,HJ 2502,55,30",
}


@st.composite
def rows(draw: st.DrawFn, layout: str) -> str:
    """A valid row of ``layout`` with some fields replaced, or random fields."""
    valid = VALID[layout].split(",")
    width = len(valid)
    if draw(st.booleans()):
        fields = list(valid)
        for _ in range(draw(st.integers(0, 3))):
            fields[draw(st.integers(0, width - 1))] = draw(FIELDS)
        return ",".join(fields)
    n = draw(st.sampled_from([width, width, width - 1, width + 1, 0, 1]))
    return ",".join(draw(st.lists(FIELDS, min_size=n, max_size=n)))


@st.composite
def csv_files(draw: st.DrawFn) -> tuple[str, list[str]]:
    layout = draw(st.sampled_from(sorted(HEADERS)))
    body = draw(st.lists(rows(layout), min_size=0, max_size=25))
    return HEADERS[layout], body


@settings(max_examples=80, deadline=None)
@given(csv_files(), st.sampled_from([7, 64, 1 << 20]), st.sampled_from(["\n", "\r\n"]))
def test_random_rows_are_accounted(
    case: tuple[str, list[str]], chunk_bytes: int, newline: str
) -> None:
    header, body = case
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "random.csv"
        path.write_text(newline.join([header, *body]) + newline, encoding="utf-8")
        try:
            out = read_csv(path, chunk_bytes=chunk_bytes)
        except ZonewatchError:
            return
    acc = out.accounting
    assert acc.lines == len(body)
    assert acc.lines == acc.decoded + acc.rejected + acc.pending
    assert acc.pending == 0
    positions = pl.Series(out.positions.column("line_no").to_pylist(), dtype=pl.Int64)
    rejects = pl.Series(out.rejects.column("line_no").to_pylist(), dtype=pl.Int64)
    assert positions.is_unique().all()
    assert rejects.is_unique().all()
    assert set(positions).isdisjoint(set(rejects))
    assert set(positions) | set(rejects) <= set(range(2, len(body) + 2))
    assert acc.positions + acc.other_messages <= acc.decoded
    # every position is valid and in range
    lon = out.positions.column("lon").to_pylist()
    lat = out.positions.column("lat").to_pylist()
    assert all(-180 <= x <= 180 for x in lon)
    assert all(-90 <= y <= 90 for y in lat)
    for name, low, high in (("sog", 0, 102.3), ("cog", 0, 360.0001), ("heading", 0, 360)):
        values = [v for v in out.positions.column(name).to_pylist() if v is not None]
        assert all(low <= v < high for v in values), (name, values)
