"""SIREN / SIRET checks (9 / 14 digits with a Luhn check digit)."""
import re

_SPACES = re.compile(r"[\s.\-]")


def normalise(value: str | None) -> str:
    """Digits only: ``"213 100 555"`` → ``"213100555"``."""
    return _SPACES.sub("", value or "")


def luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        n = int(char)
        if index % 2 == 1:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return total % 10 == 0


def siren_error(value: str | None) -> str | None:
    """French message explaining why ``value`` is not a SIREN, or None when valid."""
    digits = normalise(value)
    if not digits.isdigit() or len(digits) != 9:
        return "Le SIREN doit comporter exactement 9 chiffres."
    if not luhn_ok(digits):
        return "Ce SIREN n'est pas valide (la clé de contrôle ne correspond pas)."
    return None


def siret_error(value: str | None) -> str | None:
    digits = normalise(value)
    if not digits.isdigit() or len(digits) != 14:
        return "Le SIRET doit comporter exactement 14 chiffres."
    if not luhn_ok(digits):
        return "Ce SIRET n'est pas valide (la clé de contrôle ne correspond pas)."
    return None


def split_identifier(value: str | None) -> tuple[str, str | None, str | None]:
    """Read a SIREN or a SIRET typed by a user: ``(siren, siret, error)``."""
    digits = normalise(value)
    if len(digits) == 14:
        error = siret_error(digits)
        if error:
            return "", None, error
        siren = digits[:9]
        error = siren_error(siren)
        return siren, digits, error
    error = siren_error(digits)
    return digits, None, error


def with_check_digit(prefix: str) -> str:
    """Append the Luhn digit that makes ``prefix`` valid (used for demo data and tests)."""
    for digit in "0123456789":
        if luhn_ok(prefix + digit):
            return prefix + digit
    raise AssertionError("unreachable")
