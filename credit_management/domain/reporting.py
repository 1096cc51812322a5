"""Figures shown on credit reports, computed from plain numbers."""


def usage_percent(limit, exposure):
    """Share of the credit limit in use, in percent (None without a limit)."""
    if not limit or limit <= 0:
        return None
    return (exposure or 0.0) / limit * 100.0


def bar_widths(values, full=100.0):
    """Bar lengths for a chart: each value relative to the largest one.

    Negative or empty values draw no bar; the largest value gets ``full``.
    """
    positives = [max(value or 0.0, 0.0) for value in values]
    top = max(positives) if positives else 0.0
    if not top:
        return [0.0 for _value in positives]
    return [round(value / top * full, 1) for value in positives]


def column_letter(index):
    """Spreadsheet column name of a zero-based index (0 -> A, 27 -> AB)."""
    if index < 0:
        raise ValueError("column index cannot be negative")
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
