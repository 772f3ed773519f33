"""Rebuild ``common-passwords.txt.gz`` from its public sources (see decision 0016).

Usage: python csce/accounts/data/build_common_passwords.py richelieu/french_passwords_top20000.txt

Each source is a list ranked by frequency; the merged list keeps each password once, at its
best rank in any source, so zxcvbn (which scores a dictionary word by its rank) sees the
French favourites as often guessed as the English ones.
"""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

import django
from zxcvbn.frequency_lists import FREQUENCY_LISTS

HERE = Path(__file__).resolve().parent

# Words of the centre's region and language that breach lists under-rank; kept short.
FRENCH_EXTRA = [
    "motdepasse",
    "motdepasse1",
    "motdepasse123",
    "azerty",
    "azertyuiop",
    "azertyuiopqsdfghjklm",
    "qsdfghjklm",
    "wxcvbn",
    "azerty123",
    "azerty1234",
    "azerty123456",
    "bonjour",
    "bonjour1",
    "bonjour123",
    "soleil",
    "soleil123",
    "jetaime",
    "doudou",
    "chouchou",
    "loulou",
    "coucou",
    "bisous",
    "amour",
    "bebe",
    "chocolat",
    "princesse",
    "liberte",
    "marseille",
    "paris",
    "quebec",
    "montreal",
    "ottawa",
    "sudbury",
    "estrie",
    "sherbrooke",
    "ontario",
    "francais",
    "franco",
    "canada",
    "hiver",
    "printemps",
    "automne",
    "ete",
    "noel",
    "bienvenue",
    "salut",
    "merci",
    "santecommunautaire",
    "sante",
    "centre",
    "communautaire",
    "infirmiere",
    "docteur",
    "clinique",
]


def ranked(words) -> list[str]:
    return [w.strip().lower() for w in words if w.strip()]


def main(richelieu_path: str) -> None:
    django_list = Path(django.__file__).parent / "contrib/auth/common-passwords.txt.gz"
    sources = [
        ranked(FRENCH_EXTRA),
        ranked(Path(richelieu_path).read_text(encoding="utf-8").splitlines()),
        ranked(FREQUENCY_LISTS["passwords"]),
    ]
    with gzip.open(django_list, "rt", encoding="utf-8") as file:
        sources.append(ranked(file.read().splitlines()))
    best: dict[str, int] = {}
    for source in sources:
        for rank, word in enumerate(source):
            if rank < best.get(word, sys.maxsize):
                best[word] = rank
    merged = sorted(best, key=lambda w: (best[w], w))
    with gzip.open(
        HERE / "common-passwords.txt.gz", "wt", encoding="utf-8", compresslevel=9
    ) as out:
        out.write("\n".join(merged) + "\n")
    print(len(merged))


if __name__ == "__main__":
    main(sys.argv[1])
