"""An uploaded workbook is bounded before it is read: the zip archive is inspected (parts,
uncompressed sizes, compression ratio, macros, encryption, sheet count, declared sheet
dimensions) without decompressing any data part, and the rows read afterwards stop hard at
the configured limits (rows, columns, characters per cell). Every refusal is a French
message naming the limit."""
from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from tet.formats import nombre

MO = 1024 * 1024
SANS_DIMENSION_MAX = MO  # a sheet without <dimension> is scanned whole by openpyxl
MACRO_TYPE = b"macroEnabled"
DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]{1,3})?(\d+)?(?::([A-Z]{1,3})(\d+))?"')
SHEET_TAG = re.compile(rb"<(?:\w+:)?sheet\s")


class ClasseurRefuse(ValueError):
    """The whole file is refused before it is read (French message)."""


@dataclass(frozen=True)
class Limites:
    octets: int = 10 * MO  # the file as uploaded
    decompresse: int = 30 * MO  # all the archive's parts, uncompressed
    parties: int = 500  # parts in the archive
    taux: int = 100  # compression ratio of a part above 1 Mo
    feuilles: int = 50
    lignes: int = 10_000  # per sheet
    lignes_classeur: int = 10_000  # all sheets together (an import's duration follows it)
    colonnes: int = 200
    caracteres: int = 32_767  # per cell (Excel's own limit)

    @classmethod
    def from_config(cls, config) -> Limites:
        return cls(octets=config["IMPORT_MAX_BYTES"],
                   decompresse=config["IMPORT_MAX_UNCOMPRESSED"],
                   parties=config["IMPORT_MAX_PARTS"], taux=config["IMPORT_MAX_RATIO"],
                   feuilles=config["IMPORT_MAX_SHEETS"], lignes=config["IMPORT_MAX_ROWS"],
                   lignes_classeur=config["IMPORT_MAX_TOTAL_ROWS"],
                   colonnes=config["IMPORT_MAX_COLUMNS"],
                   caracteres=config["IMPORT_MAX_CELL_CHARS"])


def verifier(path: str, limites: Limites) -> None:
    """Refuse what is not a plain, reasonably sized .xlsx, before openpyxl opens it."""
    with open(path, "rb") as fh:
        head = fh.read(8)
        size = fh.seek(0, 2)
    if size > limites.octets:
        raise ClasseurRefuse(f"Fichier trop volumineux ({_mo(size)}) : {_mo(limites.octets)} "
                             "au plus.")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ClasseurRefuse("Ce classeur est protégé par un mot de passe ou enregistré au "
                             "format .xls : enregistrez-le sans mot de passe au format .xlsx.")
    if not head.startswith(b"PK\x03\x04"):
        raise ClasseurRefuse("Ce fichier n'est pas un classeur Excel .xlsx.")
    try:
        with zipfile.ZipFile(path) as zf:
            _verifier_archive(zf, limites)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError):
        raise ClasseurRefuse("Ce fichier n'est pas un classeur Excel .xlsx lisible.") from None


def _verifier_archive(zf: zipfile.ZipFile, limites: Limites) -> None:
    infos = zf.infolist()
    if len(infos) > limites.parties:
        raise ClasseurRefuse(f"Classeur refusé : {len(infos)} parties dans l'archive, "
                             f"{limites.parties} au plus.")
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise ClasseurRefuse("Ce classeur est chiffré : enregistrez-le sans mot de passe.")
        total += info.file_size
        if info.file_size > MO and info.file_size > limites.taux * max(info.compress_size, 1):
            raise ClasseurRefuse(f"Classeur refusé : la partie « {info.filename[:60]} » est "
                                 f"compressée plus de {limites.taux} fois (archive piégée ?).")
    if total > limites.decompresse:
        raise ClasseurRefuse(f"Classeur trop volumineux une fois décompressé ({_mo(total)}) : "
                             f"{_mo(limites.decompresse)} au plus.")
    names = {info.filename for info in infos}
    if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
        raise ClasseurRefuse("Ce fichier n'est pas un classeur Excel .xlsx.")
    if "xl/vbaProject.bin" in names or MACRO_TYPE in zf.read("[Content_Types].xml"):
        raise ClasseurRefuse("Les classeurs avec macros (.xlsm) ne sont pas acceptés : "
                             "enregistrez-le au format .xlsx.")
    sheets = len(SHEET_TAG.findall(zf.read("xl/workbook.xml")))
    if sheets > limites.feuilles:
        raise ClasseurRefuse(f"Classeur refusé : {sheets} feuilles, {limites.feuilles} au plus.")
    total = 0
    for info in infos:
        if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
            with zf.open(info) as part:
                total += _verifier_dimension(part.read(4096), info.file_size, limites)
    if total > limites.lignes_classeur:
        raise ClasseurRefuse(trop_de_lignes_classeur(limites))


def trop_de_lignes_classeur(limites: Limites) -> str:
    nombre = f"{limites.lignes_classeur:_}".replace("_", "\u202f")
    return (f"Ce classeur dépasse {nombre} lignes : découpez-le en plusieurs classeurs, "
            "importés l'un après l'autre.")


def _verifier_dimension(start: bytes, size: int, limites: Limites) -> int:
    """The sheet's declared size (``<dimension ref="A1:AN500000"/>``), which openpyxl then
    keeps to. Without one, openpyxl would parse the whole sheet to look for it: only a
    small sheet may omit it (its rows are then counted while read). Returns the declared
    number of rows (0 when unknown)."""
    found = DIMENSION.search(start)
    if not found:
        if size > SANS_DIMENSION_MAX:
            raise ClasseurRefuse("Classeur refusé : une feuille de plus de 1 Mo n'indique pas "
                                 "sa taille ; enregistrez-le de nouveau avec Excel ou "
                                 "LibreOffice.")
        return 0
    last_col = found.group(3) or found.group(1)
    last_row = found.group(4) or found.group(2)
    if last_row and int(last_row) > limites.lignes:
        raise ClasseurRefuse(_trop_de_lignes(int(last_row), limites))
    if last_col and _col_index(last_col) > limites.colonnes:
        raise ClasseurRefuse(_trop_de_colonnes(_col_index(last_col), limites))
    return int(last_row) if last_row else 0


def lignes_bornees(title: str, rows: Iterable[tuple], limites: Limites,
                   lues: list[int] | None = None) -> Iterator[tuple]:
    """The rows of a sheet as openpyxl reads them, stopped hard at the first one beyond a
    limit (the declared dimension can be missing or false); ``lues``: ``[rows read in the
    sheets before]``, kept up to date, for the limit of the whole workbook."""
    lues = [0] if lues is None else lues
    for index, row in enumerate(rows, start=1):
        if index > limites.lignes:
            raise ClasseurRefuse(f"Feuille « {title[:40]} » : "
                                 + _trop_de_lignes(index, limites))
        lues[0] += 1
        if lues[0] > limites.lignes_classeur:
            raise ClasseurRefuse(trop_de_lignes_classeur(limites))
        if len(row) > limites.colonnes:
            raise ClasseurRefuse(f"Feuille « {title[:40]} » : "
                                 + _trop_de_colonnes(len(row), limites))
        for col, value in enumerate(row, start=1):
            if isinstance(value, str) and len(value) > limites.caracteres:
                raise ClasseurRefuse(
                    f"Feuille « {title[:40]} », ligne {index}, colonne {col} : cellule de "
                    f"{len(value)} caractères, {limites.caracteres} au plus.")
        yield row


def _trop_de_lignes(n: int, limites: Limites) -> str:
    return f"trop de lignes ({n} ou plus), {limites.lignes} au plus par feuille."


def _trop_de_colonnes(n: int, limites: Limites) -> str:
    return f"trop de colonnes ({n}), {limites.colonnes} au plus par feuille."


def _col_index(letters: bytes) -> int:
    n = 0
    for c in letters:
        n = n * 26 + c - 64
    return n


def _mo(size: int) -> str:
    return f"{nombre(size / MO, 1)} Mo"
