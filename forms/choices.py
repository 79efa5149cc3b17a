"""WTForms 3.3 wants ``SelectChoice`` objects, not tuples."""
from wtforms import SelectChoice


def select_choices(pairs) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]
