"""Whole numbers in query parameters (?page=, ?offset=, ?from=), read without
trusting their length: Python's int() refuses a string of more than 4,300 digits
with a ValueError, which a reader's typing or a crawler must never turn into a 500."""


def whole_number(text, low, high):
    """`text` as an int when it is written in ASCII digits and lies from `low` to
    `high`; None otherwise. A number with more digits than `high` is not read."""
    if not text.isascii() or not text.isdigit():
        return None
    digits = text.lstrip("0") or "0"
    if len(digits) > len(str(high)):
        return None
    number = int(digits)
    return number if low <= number <= high else None
