"""Record the golden outputs (see cases.py).  Run from the repository root with fupin installed:

    python tests/golden/make_golden.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cases import EXPECTED, collect, write_expected  # noqa: E402


def main() -> None:
    shipped, city = collect()
    write_expected(shipped, city)
    print(f"recorded {len(shipped)} shipped and {len(city)} city cases in {EXPECTED}")


if __name__ == "__main__":
    main()
