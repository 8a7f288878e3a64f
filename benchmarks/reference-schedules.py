"""Prints the PyTorch learning rates that Tests/HoneNNTests/ScheduleTests.swift checks against.

Run: /path/to/venv/bin/python benchmarks/reference-schedules.py   (needs torch)
"""
import sys
try:
    import torch
except ImportError:
    print("reference-schedules: torch is not installed; skipping"); sys.exit(0)

S = torch.optim.lr_scheduler
p = torch.nn.Parameter(torch.zeros(1))

def run(make, n=12):
    opt = torch.optim.SGD([p], lr=0.1)
    s = make(opt); out = []
    for _ in range(n):
        out.append(opt.param_groups[0]["lr"]); opt.step(); s.step()
    return [round(x, 10) for x in out]

print("step", run(lambda o: S.StepLR(o, step_size=3, gamma=0.5)))
print("multistep", run(lambda o: S.MultiStepLR(o, milestones=[2, 5, 9], gamma=0.1)))
print("exp", run(lambda o: S.ExponentialLR(o, gamma=0.9)))
print("cos", run(lambda o: S.CosineAnnealingLR(o, T_max=10, eta_min=0.01)))
print("sgdr", run(lambda o: S.CosineAnnealingWarmRestarts(o, T_0=3, T_mult=2, eta_min=0.001), n=16))
print("linear", run(lambda o: S.LinearLR(o, start_factor=0.25, end_factor=1.0, total_iters=4)))
print("onecycle", run(lambda o: S.OneCycleLR(o, max_lr=1.0, total_steps=12)))
print("onecycle_lin", run(lambda o: S.OneCycleLR(o, max_lr=1.0, total_steps=12, anneal_strategy="linear", pct_start=0.25)))
opt = torch.optim.SGD([p], lr=0.1)
s = S.ReduceLROnPlateau(opt, mode="min", factor=0.5, patience=2, threshold=1e-4, cooldown=1, min_lr=0.01)
out = []
for l in [1.0, 0.9, 0.9, 0.9, 0.9, 0.95, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8]:
    s.step(l); out.append(round(opt.param_groups[0]["lr"], 10))
print("plateau", out)
