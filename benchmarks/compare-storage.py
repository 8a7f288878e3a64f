"""Storage overhead: Hone's SQLite storage vs Optuna's, same loop, same run.

Each trial: ask, suggest a float, an int and a categorical, tell. Prints one JSON line per
tool and the ratio. Run from the repository root after `swift build -c release`:

    /work/venv/bin/python benchmarks/compare-storage.py [--trials 1000]

Uses whatever python runs it; skips Optuna (with a message) if it is not installed.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

parser = argparse.ArgumentParser()
parser.add_argument("--trials", type=int, default=1000)
args = parser.parse_args()

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
bench = os.path.join(root, ".build", "release", "hone-bench")

hone = None
if os.path.exists(bench):
    # Default durability (survives any process crash; no fsync per commit), then fsync-per-commit
    # durability like Optuna's default SQLite settings.
    for durability in ["process", "power"]:
        out = subprocess.run([bench, "storage", "--trials", str(args.trials), "--durability", durability],
                             check=True, capture_output=True, text=True)
        line = json.loads(out.stdout.strip().splitlines()[-1])
        hone = hone or line
        print(json.dumps(line))
else:
    print(f"compare-storage: {bench} not found; run `swift build -c release` first")

try:
    import optuna
except ImportError:
    print("compare-storage: optuna is not installed; skipping the Optuna side")
    sys.exit(0)

optuna.logging.set_verbosity(optuna.logging.WARNING)
with tempfile.TemporaryDirectory() as d:
    url = f"sqlite:///{os.path.join(d, 'optuna.db')}"
    study = optuna.create_study(storage=url, study_name="bench", sampler=optuna.samplers.RandomSampler(seed=0))
    start = time.perf_counter()
    for _ in range(args.trials):
        t = study.ask()
        x = t.suggest_float("x", -5, 10)
        n = t.suggest_int("n", 1, 8)
        opt = t.suggest_categorical("opt", ["adam", "sgd"])
        study.tell(t, x * x + n + (0 if opt == "adam" else 1))
    ms = (time.perf_counter() - start) * 1000 / args.trials
    optuna_line = {"bench": "storage", "backend": "sqlite", "tool": f"optuna {optuna.__version__}",
                   "trials": args.trials, "ms_per_trial": round(ms, 3)}
    print(json.dumps(optuna_line))
    if hone:
        print(json.dumps({"bench": "storage", "optuna_over_hone_default": round(ms / hone["ms_per_trial"], 1)}))
