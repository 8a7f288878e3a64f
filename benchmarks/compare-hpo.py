#!/usr/bin/env python3
"""Side-by-side HPO benchmark: Optuna 5 samplers vs Hone's, same functions, budgets, seeds.

Runs Optuna (TPESampler, GPSampler, NSGAIISampler, RandomSampler, CmaEsSampler, QMCSampler)
in this process and `hone-bench hpo` as a subprocess, then prints one JSON line per
(function, sampler) with both medians and the ratios hone/optuna (regret: lower is better,
so ratio <= 1 means Hone matches or beats Optuna; hypervolume: ratio >= 1 is better).

Usage (from the repository root):
    swift build -c release --product hone-bench
    python3 benchmarks/compare-hpo.py --sampler tpe --trials 200 --seeds 20
    python3 benchmarks/compare-hpo.py --sampler gp --function branin,hartmann6 --trials 100 --seeds 5
    python3 benchmarks/compare-hpo.py --sampler nsga2 --function zdt1,zdt2 --trials 1000 --seeds 5
    python3 benchmarks/compare-hpo.py --sampler tpe --function branin --trials 1000 --seeds 1  # overhead

Uses whatever python runs it; installs nothing. Samplers whose dependencies are missing
(optuna; scipy/torch for GPSampler and QMCSampler; cmaes for CmaEsSampler) are skipped
with a message.
"""
import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import time

FUNCTIONS = ["branin", "hartmann6", "rosenbrock4", "styblinski5", "ackley2", "zdt1", "zdt2"]


def branin(x):
    a, b, c = 1.0, 5.1 / (4 * math.pi ** 2), 5 / math.pi
    r, s, t = 6.0, 10.0, 1 / (8 * math.pi)
    return [a * (x[1] - b * x[0] ** 2 + c * x[0] - r) ** 2 + s * (1 - t) * math.cos(x[0]) + s]


_HA = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]]
_HP = [[1312, 1696, 5569, 124, 8283, 5886], [2329, 4135, 8307, 3736, 1004, 9991],
       [2348, 1451, 3522, 2883, 3047, 6650], [4047, 8828, 8732, 5743, 1091, 381]]
_HALPHA = [1.0, 1.2, 3.0, 3.2]


def hartmann6(x):
    f = 0.0
    for i in range(4):
        s = sum(_HA[i][j] * (x[j] - _HP[i][j] * 1e-4) ** 2 for j in range(6))
        f -= _HALPHA[i] * math.exp(-s)
    return [f]


def rosenbrock(x):
    return [sum(100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2 for i in range(len(x) - 1))]


def styblinski(x):
    return [sum(v ** 4 - 16 * v ** 2 + 5 * v for v in x) / 2]


def ackley(x):
    n = len(x)
    s1 = sum(v * v for v in x)
    s2 = sum(math.cos(2 * math.pi * v) for v in x)
    return [-20 * math.exp(-0.2 * math.sqrt(s1 / n)) - math.exp(s2 / n) + 20 + math.e]


def zdt(k):
    def f(x):
        f1 = x[0]
        g = 1 + 9 * sum(x[1:]) / (len(x) - 1)
        h = 1 - math.sqrt(f1 / g) if k == 1 else 1 - (f1 / g) ** 2
        return [f1, g * h]
    return f


SPECS = {
    # name: (bounds, objective, optimum or true-front HV, objectives)
    "branin": ([(-5, 10), (0, 15)], branin, 0.397887357729738, 1),
    "hartmann6": ([(0, 1)] * 6, hartmann6, -3.32236801141551, 1),
    "rosenbrock4": ([(-5, 10)] * 4, rosenbrock, 0.0, 1),
    "styblinski5": ([(-5, 5)] * 5, styblinski, -39.16616570377142 * 5, 1),
    "ackley2": ([(-32.768, 32.768)] * 2, ackley, 0.0, 1),
    "zdt1": ([(0, 1)] * 30, zdt(1), 0.11 + 2 / 3, 2),
    "zdt2": ([(0, 1)] * 30, zdt(2), 0.11 + 1 / 3, 2),
}


def hypervolume_2d(points, ref):
    pts = sorted(p for p in points if p[0] < ref[0] and p[1] < ref[1])
    total, last = 0.0, ref[1]
    for f1, f2 in pts:
        if f2 < last:
            total += (ref[0] - f1) * (last - f2)
            last = f2
    return total


def make_optuna_sampler(optuna, name, seed):
    s = optuna.samplers
    if name == "tpe":
        return s.TPESampler(seed=seed)
    if name == "tpe-independent":
        return s.TPESampler(seed=seed, multivariate=False)
    if name == "random":
        return s.RandomSampler(seed=seed)
    if name == "gp":
        import scipy  # noqa: F401  (GPSampler needs scipy and torch)
        import torch  # noqa: F401
        return s.GPSampler(seed=seed)
    if name == "nsga2":
        return s.NSGAIISampler(seed=seed)
    if name == "cmaes":
        import cmaes  # noqa: F401
        return s.CmaEsSampler(seed=seed)
    if name == "sobol":
        import scipy  # noqa: F401
        return s.QMCSampler(qmc_type="sobol", scramble=True, seed=seed)
    raise ValueError(name)


def run_optuna(optuna, fname, sampler, trials, seeds, seed_start):
    bounds, fn, optimum, nobj = SPECS[fname]
    regrets, hvs, secs, tails = [], [], [], []
    for seed in range(seed_start, seed_start + seeds):
        smp = make_optuna_sampler(optuna, sampler, seed)
        study = optuna.create_study(sampler=smp, directions=["minimize"] * nobj)
        stamps = []

        def objective(trial):
            x = [trial.suggest_float(f"x{i}", lo, hi) for i, (lo, hi) in enumerate(bounds)]
            stamps.append(time.perf_counter())
            v = fn(x)
            return v[0] if nobj == 1 else tuple(v)

        t0 = time.perf_counter()
        study.optimize(objective, n_trials=trials)
        t1 = time.perf_counter()
        tail_from = trials - max(1, trials // 10)
        tails.append((t1 - stamps[tail_from - 1]) / (trials - tail_from) if tail_from > 0 else (t1 - t0) / trials)
        secs.append(t1 - t0)
        if nobj == 1:
            regrets.append(study.best_value - optimum)
        else:
            hv = hypervolume_2d([t.values for t in study.trials if t.values], [1.1, 1.1])
            hvs.append(hv)
            regrets.append(optimum - hv)
    out = {"function": fname, "sampler": sampler, "trials": trials, "seeds": seeds,
           "median_regret": statistics.median(regrets), "regrets": regrets,
           "ms_per_trial": statistics.median(secs) * 1000 / trials,
           "ms_per_trial_last10pct": statistics.median(tails) * 1000,
           "wall_s_per_seed": statistics.median(secs)}
    if nobj > 1:
        out["median_hypervolume"] = statistics.median(hvs)
        out["hypervolumes"] = hvs
    return out


def run_hone(binary, fname, sampler, trials, seeds, seed_start):
    cmd = binary + ["hpo", "--function", fname, "--sampler", sampler, "--trials", str(trials),
                    "--seeds", str(seeds), "--seed-start", str(seed_start)]
    res = subprocess.run(cmd, capture_output=True, text=True)
    if res.returncode != 0:
        print(f"hone-bench failed: {' '.join(cmd)}\n{res.stderr}", file=sys.stderr)
        return None
    return json.loads(res.stdout.strip().splitlines()[-1])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--function", default="branin,hartmann6,rosenbrock4,styblinski5,ackley2")
    ap.add_argument("--sampler", default="tpe",
                    help="tpe | tpe-independent | random | gp | nsga2 | cmaes | sobol (same name on both sides)")
    ap.add_argument("--trials", type=int, default=200)
    ap.add_argument("--seeds", type=int, default=20)
    ap.add_argument("--seed-start", type=int, default=0)
    ap.add_argument("--hone-bench", default=None,
                    help="path of the hone-bench binary (default: .build/release/hone-bench, else swift run)")
    ap.add_argument("--skip-hone", action="store_true")
    ap.add_argument("--skip-optuna", action="store_true")
    args = ap.parse_args()

    fnames = FUNCTIONS if args.function == "all" else args.function.split(",")
    for f in fnames:
        if f not in SPECS:
            sys.exit(f"--function: unknown function '{f}'; expected one of {', '.join(FUNCTIONS)}")

    optuna = None
    if not args.skip_optuna:
        try:
            import optuna as _optuna
            _optuna.logging.set_verbosity(_optuna.logging.WARNING)
            optuna = _optuna
        except ImportError:
            print(f"optuna is not installed for {sys.executable}; Optuna side skipped", file=sys.stderr)

    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    if args.hone_bench:
        binary = [args.hone_bench]
    elif os.path.exists(os.path.join(repo, ".build/release/hone-bench")):
        binary = [os.path.join(repo, ".build/release/hone-bench")]
    else:
        binary = ["swift", "run", "-c", "release", "--package-path", repo, "hone-bench"]

    print(f"# python {sys.version.split()[0]}, optuna {optuna.__version__ if optuna else 'missing'}")
    for f in fnames:
        row = {"function": f, "sampler": args.sampler, "trials": args.trials, "seeds": args.seeds}
        o = h = None
        if optuna is not None:
            try:
                o = run_optuna(optuna, f, args.sampler, args.trials, args.seeds, args.seed_start)
            except ImportError as e:
                print(f"optuna {args.sampler} skipped: missing dependency ({e.name})", file=sys.stderr)
        if not args.skip_hone:
            h = run_hone(binary, f, args.sampler, args.trials, args.seeds, args.seed_start)
        for side, r in (("optuna", o), ("hone", h)):
            if r is None:
                continue
            row[f"{side}_median_regret"] = r["median_regret"]
            row[f"{side}_ms_per_trial"] = r["ms_per_trial"]
            row[f"{side}_ms_per_trial_last10pct"] = r["ms_per_trial_last10pct"]
            row[f"{side}_wall_s_per_seed"] = r["wall_s_per_seed"]
            if "median_hypervolume" in r:
                row[f"{side}_median_hypervolume"] = r["median_hypervolume"]
        if o and h:
            if o["median_regret"] > 0:
                row["regret_ratio_hone_over_optuna"] = h["median_regret"] / o["median_regret"]
            if "median_hypervolume" in o and o["median_hypervolume"] > 0:
                row["hv_ratio_hone_over_optuna"] = h["median_hypervolume"] / o["median_hypervolume"]
            if h["ms_per_trial"] > 0:
                row["speedup_ms_per_trial"] = o["ms_per_trial"] / h["ms_per_trial"]
            if h["ms_per_trial_last10pct"] > 0:
                row["speedup_last10pct"] = o["ms_per_trial_last10pct"] / h["ms_per_trial_last10pct"]
        print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
