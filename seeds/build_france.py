"""Build ``seeds/collectivites/collectivites.csv.gz`` from the npm package
``@etalab/decoupage-administratif`` (MIT, data under the Licence Ouverte, built from the
INSEE Code officiel géographique and the DGCL list of EPCI).

    npm pack @etalab/decoupage-administratif && tar xzf etalab-decoupage-administratif-*.tgz
    python seeds/build_france.py package/   # → seeds/collectivites/collectivites.csv.gz

One row per collectivité that has a SIREN: current communes (``commune-actuelle``; the
communes déléguées / associées and the municipal arrondissements of Paris, Lyon and
Marseille are not separate collectivités), EPCI à fiscalité propre (CC, CA, CU, métropoles,
Métropole de Lyon) and the EPT of the Grand Paris. The package gives no SIREN for
départements and régions, nor for the communes of the collectivités d'outre-mer
(Saint-Pierre-et-Miquelon, Polynésie…): those are left out rather than given a made-up SIREN.
An EPCI's département is the one holding most of its members' population.
"""
from __future__ import annotations

import csv
import gzip
import io
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

OUT = Path(__file__).with_name("collectivites") / "collectivites.csv.gz"
COLUMNS = ["siren", "type", "code_insee", "nom", "population", "departement", "region",
           "supras"]
# package type → project type (tet.comptes.models.TYPES_COLLECTIVITE)
EPCI_TYPES = {"CC": "cc", "CA": "ca", "CU": "cu", "METRO": "metropole", "MET69": "metropole",
              "EPT": "autre"}


def _load(package: Path, name: str) -> list[dict]:
    return json.loads((package / "data" / f"{name}.json").read_text(encoding="utf-8"))


def build_rows(package: Path) -> list[list]:
    """The rows of the data file (communes first, then EPCI / EPT), sorted by SIREN."""
    regions = {r["code"]: r["nom"] for r in _load(package, "regions")}
    dep_region = {d["code"]: regions[d["region"]] for d in _load(package, "departements")}
    communes = {c["code"]: c for c in _load(package, "communes")
                if c["type"] == "commune-actuelle" and c.get("siren")}
    supras: dict[str, list[str]] = defaultdict(list)
    rows = []
    for group in (_load(package, "epci"), _load(package, "ept")):
        for e in group:
            weight: Counter = Counter()
            for m in e["membres"]:
                supras[m["code"]].append(e["code"])  # EPT members have no SIREN
                commune = communes[m["code"]]
                weight[commune["departement"]] += (commune.get("population") or 0) + 1
            dep = max(sorted(weight), key=weight.__getitem__)
            rows.append([e["code"], EPCI_TYPES[e["type"]], "", e["nom"].strip(),
                         e.get("populationMunicipale") or "", dep, dep_region[dep], ""])
    for code, c in communes.items():
        rows.append([c["siren"], "commune", code, c["nom"].strip(),
                     c.get("population") if c.get("population") is not None else "",
                     c["departement"], dep_region[c["departement"]],
                     " ".join(sorted(supras.get(code, [])))])
    return sorted(rows, key=lambda r: (r[1] != "commune", r[0]))


def write(rows: list[list], out: Path = OUT) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    out.parent.mkdir(parents=True, exist_ok=True)
    # mtime=0: the same input gives byte-identical output (clean diffs when rebuilt)
    with open(out, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0,
                                               filename="") as gz:
        gz.write(buffer.getvalue().encode("utf-8"))


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__)
        return 2
    package = Path(argv[1])
    version = json.loads((package / "package.json").read_text(encoding="utf-8"))["version"]
    rows = build_rows(package)
    write(rows)
    kinds = Counter(r[1] for r in rows)
    print(f"@etalab/decoupage-administratif {version} → {OUT} : {len(rows)} lignes "
          f"({dict(kinds)}), {OUT.stat().st_size} octets")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
