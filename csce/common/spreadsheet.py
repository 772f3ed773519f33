"""CSV cells that a spreadsheet will show, never run (CSV formula injection).

Visitors type the answers, paths and referrers that staff export; a cell starting with
one of these characters is a formula to Excel or LibreOffice, so it gets a leading
apostrophe, which makes it text.
"""

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text
