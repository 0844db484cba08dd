"""Derive `shijingshan_2013.osm` from the SparseTaxi 2013 Beijing graph (ODbL, © OpenStreetMap contributors).

    python tests/servicecircle_engine/data/make_shijingshan_2013.py /path/to/beijing_sparsetaxi_2013

Keeps the ways' graph nodes inside the box below (eastern Shijingshan), converts the planar coordinates with the
fitted linear mapping documented with the data, and writes OSM XML with each way's highway class. Graph nodes are
junctions and ends only, so each edge is a straight line between them. Run once; the tests read only the output.
"""

import sys
from pathlib import Path
from xml.sax.saxutils import quoteattr

BOX = (116.148, 39.880, 116.260, 39.960)  # lon0, lat0, lon1, lat1


def lonlat(x: float, y: float) -> tuple[float, float]:
    return 116.0 + 0.0117255990 * x + 0.0000007535 * y, 39.0 - 0.0000014776 * x + 0.0083748131 * y


def main(folder: Path, out: Path) -> None:
    coords = {}
    for line in (folder / "vertexMap.txt").read_text().split("\n"):
        if line.strip():
            _, osm_id, x, y = line.split()
            lon, lat = lonlat(float(x), float(y))
            if BOX[0] <= lon <= BOX[2] and BOX[1] <= lat <= BOX[3]:
                coords[int(osm_id)] = (lon, lat)
    ways = zip(
        (folder / "beijing.waynodes.txt").read_text().split("\n"),
        (folder / "beijing.highway.txt").read_text().split("\n"),
        strict=False,
    )
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<osm version="0.6" generator="make_shijingshan_2013.py">']
    lines += [f'  <node id="{i}" lon="{lon:.7f}" lat="{lat:.7f}"/>' for i, (lon, lat) in sorted(coords.items())]
    for number, (refs, meta) in enumerate(ways, start=1):
        fields = meta.split("\t")
        nodes = [int(r) for r in refs.split() if int(r) in coords]
        if len(fields) < 2 or len(nodes) < 2:
            continue
        nds = "".join(f'<nd ref="{r}"/>' for r in nodes)
        lines.append(f'  <way id="{number}">{nds}<tag k="highway" v={quoteattr(fields[1])}/></way>')
    lines.append("</osm>")
    out.write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(__file__).with_name("shijingshan_2013.osm"))
