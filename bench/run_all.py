"""Run every benchmark in this folder (pass --quick through) and repeat their BENCH summary lines at the end."""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    summaries, failures = [], []
    for script in sorted(HERE.glob("*.py")):
        if script.name in {"run_all.py"} or script.name.startswith("_"):
            continue
        print(f"== {script.name}", flush=True)
        result = subprocess.run([sys.executable, str(script), *argv], capture_output=True, text=True)
        print(result.stdout, end="")
        if result.returncode:
            print(result.stderr, end="", file=sys.stderr)
            failures.append(script.name)
        summaries += [line for line in result.stdout.splitlines() if line.startswith("BENCH ")]
    print("\n".join(["== summary", *summaries]))
    if failures:
        print("failed: " + ", ".join(failures), file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
