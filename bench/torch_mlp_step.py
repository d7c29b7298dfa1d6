# The MLP training step of bench/src/train-step.bench.ts and wasm.bench.ts in
# PyTorch, for the side-by-side comparison: 784-256-10, ReLU, softmax
# cross-entropy, batch 64, zero_grad + forward + backward + SGD step.
# Prints one JSON line: {"torch": version, "threads": n, "median_ms": m, ...}.
# usage: python3 bench/torch_mlp_step.py [threads] [seconds]
import json
import statistics
import sys
import time

import torch

threads = int(sys.argv[1]) if len(sys.argv) > 1 else 1
seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 5.0
torch.set_num_threads(threads)
torch.manual_seed(1)
B, D, H, C = 64, 784, 256, 10
model = torch.nn.Sequential(torch.nn.Linear(D, H), torch.nn.ReLU(), torch.nn.Linear(H, C))
opt = torch.optim.SGD(model.parameters(), lr=0.01)
x = torch.randn(B, D)
y = torch.randint(0, C, (B,))
loss_fn = torch.nn.CrossEntropyLoss()


def step() -> float:
    opt.zero_grad()
    loss = loss_fn(model(x), y)
    loss.backward()
    opt.step()
    return loss.item()


for _ in range(20):  # warm-up
    step()
times = []
end = time.perf_counter() + seconds
while time.perf_counter() < end or len(times) < 30:
    t0 = time.perf_counter()
    step()
    times.append((time.perf_counter() - t0) * 1000)
print(json.dumps({"torch": torch.__version__, "threads": threads, "median_ms": statistics.median(times), "min_ms": min(times), "samples": len(times)}))
