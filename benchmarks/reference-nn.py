"""Golden values for Tests/HoneNNTests/ReferenceValueTests.swift, computed with PyTorch.

Every tensor is filled deterministically: element i of a tensor with phase k is
0.5 * sin(0.7 * i + k) (row-major), so the Swift test rebuilds the same inputs and weights
without a file. Run: /work/venv/bin/python benchmarks/reference-nn.py
Skips (exit 0 with a message) when torch is missing; installs nothing.
"""
import math
import sys

try:
    import torch
    import torch.nn.functional as F
except ImportError:
    print("torch is not installed; skipping the NN reference values")
    sys.exit(0)

torch.set_default_dtype(torch.float64)


def pattern(shape, k):
    n = math.prod(shape)
    return torch.tensor([0.5 * math.sin(0.7 * i + k) for i in range(n)]).reshape(shape)


def show(name, t):
    vals = ", ".join(f"{v:.9g}" for v in t.detach().flatten().tolist())
    print(f"let {name}: [Double] = [{vals}]")


B, T, F_in, H = 2, 3, 4, 3
x = pattern([B, T, F_in], 0.0)

lstm = torch.nn.LSTM(F_in, H, batch_first=True)
with torch.no_grad():
    lstm.weight_ih_l0.copy_(pattern([4 * H, F_in], 1.0))
    lstm.weight_hh_l0.copy_(pattern([4 * H, H], 2.0))
    lstm.bias_ih_l0.copy_(pattern([4 * H], 3.0))
    lstm.bias_hh_l0.copy_(pattern([4 * H], 4.0))
show("lstmOutput", lstm(x)[0])

gru = torch.nn.GRU(F_in, H, batch_first=True)
with torch.no_grad():
    gru.weight_ih_l0.copy_(pattern([3 * H, F_in], 1.0))
    gru.weight_hh_l0.copy_(pattern([3 * H, H], 2.0))
    gru.bias_ih_l0.copy_(pattern([3 * H], 3.0))
    gru.bias_hh_l0.copy_(pattern([3 * H], 4.0))
show("gruOutput", gru(x)[0])

logits = pattern([4, 5], 0.5) * 4
labels = torch.tensor([0, 3, 4, 3])
weights = torch.tensor([1.0, 2.0, 0.5, 1.5, 3.0])
show("ceSmoothWeightedMean", F.cross_entropy(logits, labels, weight=weights, label_smoothing=0.2).reshape(1))
show("ceSmoothWeightedNone", F.cross_entropy(logits, labels, weight=weights, label_smoothing=0.2, reduction="none"))
show("ceSmoothSum", F.cross_entropy(logits, labels, label_smoothing=0.1, reduction="sum").reshape(1))

target = pattern([4, 5], 1.5) + 0.5
show("bceMean", F.binary_cross_entropy_with_logits(logits, target.clamp(0, 1)).reshape(1))
show("bcePosWeightSum", F.binary_cross_entropy_with_logits(logits, target.clamp(0, 1), pos_weight=torch.tensor(2.0),
                                                            reduction="sum").reshape(1))
show("huberMean", F.huber_loss(logits, target, delta=0.7).reshape(1))
p = torch.softmax(pattern([4, 5], 2.5) * 3, dim=1)
p[0, 1] = 0.0
show("klBatchMean", F.kl_div(torch.log_softmax(logits, 1), p, reduction="batchmean").reshape(1))
show("klNone", F.kl_div(torch.log_softmax(logits, 1), p, reduction="none"))

bn = torch.nn.BatchNorm2d(3)
xb = pattern([2, 3, 2, 2], 0.3) * 3
bn.train()
yb = bn(xb)
show("bnTrainOutput", yb)
show("bnRunningMean", bn.running_mean)
show("bnRunningVar", bn.running_var)
