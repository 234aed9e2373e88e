"""Print the mutation score of the last `mutmut run` per module, list the mutants left alive, and exit 1
when the score of a module is under the threshold. Run by `make mutate` (tests/README.md, "Mutation score").

A mutant counts as killed when a test failed on it or it ran out of time (an infinite loop is caught too).
"No tests" means no selected test calls the mutated function: it counts against the score. The score is
over the mutants checked: a run of some modules only (`make mutate MUTANTS='haiti_mss.violence.*'`), or one
stopped early, leaves the others "not checked", shown apart and neither killed nor alive.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

THRESHOLD = 0.90
KILLED = {1: "killed", 3: "killed", -24: "timeout", 24: "timeout", 152: "timeout", 255: "timeout", 36: "timeout"}
NAMES = {0: "survived", 33: "no tests", 5: "no tests", None: "not checked", 34: "skipped", 35: "suspicious",
         -11: "segfault", -9: "segfault", 37: "caught by type check"}


def main(root: Path = Path("mutants")) -> int:
    metas = sorted(root.glob("src/**/*.py.meta"))
    if not metas:
        print("no mutmut results under mutants/: run `make mutate`", file=sys.stderr)
        return 2
    rows, alive, low = [], [], []
    all_killed = all_total = 0
    for meta in metas:
        codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
        status = {key: KILLED.get(code) or NAMES.get(code, f"exit {code}") for key, code in codes.items()}
        counts = Counter(status.values())
        killed = counts["killed"] + counts["timeout"]
        checked = len(codes) - counts["not checked"]
        module = meta.name.removesuffix(".py.meta")
        rows.append((module, killed, checked, counts))
        alive += sorted(k for k, s in status.items() if s not in ("killed", "timeout", "not checked"))
        all_killed, all_total = all_killed + killed, all_total + checked
        if checked and killed / checked < THRESHOLD:
            low.append(module)
    print(f"{'module':<18} {'killed':>7} {'checked':>7} {'score':>7}   other")
    for module, killed, checked, counts in rows:
        other = ", ".join(f"{n} {s}" for s, n in sorted(counts.items()) if s not in ("killed", "timeout"))
        score = f"{killed / checked:.1%}" if checked else "-"
        print(f"{module:<18} {killed:>7} {checked:>7} {score:>7}   {other}")
    print(f"{'all':<18} {all_killed:>7} {all_total:>7} {all_killed / all_total if all_total else 0:>7.1%}")
    if alive:
        print("\nalive (see each with `.venv/bin/mutmut show NAME`; tests/README.md says why each is left):")
        print("\n".join(f"  {name}" for name in alive))
    if low:
        print(f"\nunder {THRESHOLD:.0%}: {', '.join(low)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
