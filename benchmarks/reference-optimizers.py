"""Prints the PyTorch parameter values that Tests/HoneNNTests/OptimizerGoldenTests.swift checks.

Two parameters (shapes [3, 4] and [5]) start at 0.5·sin(i+1) and 0.25·cos(i) and take 6 steps;
at step t (1-based) parameter k element i gets the gradient
    g = 0.3·θ + cos(0.7·i + 1.3·t + 0.5·k)         (computed in float32)
so gradients depend on the current values. Each case prints the values after the last step.

Run: /path/to/venv/bin/python benchmarks/reference-optimizers.py   (needs torch)
"""
import math
import sys

try:
    import torch
except ImportError:
    print("reference-optimizers: torch is not installed; skipping")
    sys.exit(0)

STEPS = 6


def init():
    a = torch.tensor([0.5 * math.sin(i + 1) for i in range(12)], dtype=torch.float32).reshape(3, 4)
    b = torch.tensor([0.25 * math.cos(i) for i in range(5)], dtype=torch.float32)
    return [torch.nn.Parameter(a), torch.nn.Parameter(b)]


def grads(params, t):
    out = []
    for k, p in enumerate(params):
        n = p.numel()
        c = torch.tensor([math.cos(0.7 * i + 1.3 * t + 0.5 * k) for i in range(n)], dtype=torch.float32)
        out.append((0.3 * p.detach().reshape(-1) + c).reshape(p.shape))
    return out


def run(make_opt, clip=None):
    params = init()
    opt = make_opt(params)
    for t in range(1, STEPS + 1):
        for p, g in zip(params, grads(params, t)):
            p.grad = g.clone()
        if clip == "norm":
            torch.nn.utils.clip_grad_norm_(params, max_norm=0.5)
        elif clip == "value":
            torch.nn.utils.clip_grad_value_(params, clip_value=0.3)
        opt.step()
    return [p.detach().reshape(-1).tolist() for p in params]


def run_groups():
    params = init()
    opt = torch.optim.Adam([{"params": [params[0]], "lr": 0.01},
                            {"params": [params[1]], "lr": 0.1, "weight_decay": 0.5}])
    for t in range(1, STEPS + 1):
        for p, g in zip(params, grads(params, t)):
            p.grad = g.clone()
        opt.step()
    return [p.detach().reshape(-1).tolist() for p in params]


O = torch.optim
cases = {
    "sgd": lambda: run(lambda ps: O.SGD(ps, lr=0.1)),
    "sgdMomentumDampening": lambda: run(lambda ps: O.SGD(ps, lr=0.1, momentum=0.9, dampening=0.2)),
    "sgdNesterovDecay": lambda: run(lambda ps: O.SGD(ps, lr=0.05, momentum=0.8, nesterov=True, weight_decay=0.1)),
    "adam": lambda: run(lambda ps: O.Adam(ps, lr=0.01)),
    "adamAmsgradL2": lambda: run(lambda ps: O.Adam(ps, lr=0.02, betas=(0.8, 0.9), weight_decay=0.1, amsgrad=True)),
    "adamW": lambda: run(lambda ps: O.AdamW(ps, lr=0.01, weight_decay=0.3)),
    "rmsprop": lambda: run(lambda ps: O.RMSprop(ps, lr=0.01)),
    "rmspropCenteredMomentum": lambda: run(lambda ps: O.RMSprop(ps, lr=0.01, alpha=0.9, centered=True, momentum=0.5, weight_decay=0.05)),
    "adagrad": lambda: run(lambda ps: O.Adagrad(ps, lr=0.1, lr_decay=0.05, initial_accumulator_value=0.2, weight_decay=0.1)),
    "clipNormSgd": lambda: run(lambda ps: O.SGD(ps, lr=0.1, momentum=0.5), clip="norm"),
    "clipValueAdam": lambda: run(lambda ps: O.Adam(ps, lr=0.01), clip="value"),
    "groupsAdam": run_groups,
}

print("// torch", torch.__version__)
for name, f in cases.items():
    vals = f()
    body = ", ".join("[" + ", ".join(f"{v:.9g}" for v in p) + "]" for p in vals)
    print(f'        "{name}": [{body}],')
