"""PyTorch side of fit.bench.ts: the same single-shape auto-decoder fit (same network, samples, batch,
optimiser and step count) on Debian's python3-torch, 2 threads. Reads the sample pool written by the
benchmark, writes the trained weights in sdfkit's layout plus the latent, and prints the wall time.
With EVAL_EVERY > 0 it also writes a snapshot (weights ‖ latent as raw float32, sdfkit layout) every
EVAL_EVERY steps with the training time so far (snapshot writing excluded), for time-to-target curves.
    OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 fit_torch.py POOL_DIR OUT.json STEPS SAMPLES LATENT DIMS LATENT_IN F LR_DEC LR_CODE CLAMP SEED [EVAL_EVERY]
"""
import json, math, os, sys, time
import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "sdf-core", "scripts"))
from torch_decoder import Decoder, sdfkit_layout  # noqa: E402

torch.set_num_threads(2)
pool, out, steps, samples, L, dims, latent_in, F, lr_dec, lr_code, clamp, seed = sys.argv[1:13]
eval_every = int(sys.argv[13]) if len(sys.argv) > 13 else 0
steps, samples, L, F, seed = int(steps), int(samples), int(L), int(F), int(seed)
dims = [int(d) for d in dims.split(",")]
latent_in = [int(d) for d in latent_in.split(",") if d != ""]
lr_dec, lr_code, clamp = float(lr_dec), float(lr_code), float(clamp)
torch.manual_seed(seed)
rng = np.random.default_rng(seed)

pts = np.fromfile(f"{pool}/points.f32", dtype=np.float32).reshape(-1, 3)
sdf = np.fromfile(f"{pool}/sdf.f32", dtype=np.float32)
pos, neg = np.nonzero(sdf >= 0)[0], np.nonzero(sdf < 0)[0]
P, S = torch.from_numpy(pts), torch.from_numpy(sdf).reshape(-1, 1)
m = Decoder(L, dims, latent_in, False, F)
z = torch.nn.Parameter(torch.randn(1, L) / math.sqrt(L))
opt = torch.optim.Adam([{"params": m.parameters(), "lr": lr_dec}, {"params": [z], "lr": lr_code}])
half = samples // 2
snapshots = []
train_seconds = 0.0
t0 = time.perf_counter()
for step in range(steps):
    idx = np.concatenate([rng.choice(pos, half), rng.choice(neg, samples - half)])
    p, s = P[idx], torch.clamp(S[idx], -clamp, clamp)
    pred = torch.clamp(m(torch.cat([z.expand(samples, L), p], 1)), -clamp, clamp)
    loss = torch.mean(torch.abs(pred - s))
    opt.zero_grad()
    loss.backward()
    torch.nn.utils.clip_grad_norm_(list(m.parameters()) + [z], 1.0)
    opt.step()
    if eval_every > 0 and ((step + 1) % eval_every == 0 or step + 1 == steps):
        train_seconds += time.perf_counter() - t0
        f = f"{pool}/torch-snap-{step + 1}.f32"
        with torch.no_grad():
            np.concatenate([w.numpy().ravel() for w in sdfkit_layout(m, False)] + [z.detach().numpy().ravel()]).astype(np.float32).tofile(f)
        snapshots.append({"step": step + 1, "seconds": train_seconds, "file": f})
        t0 = time.perf_counter()
seconds = train_seconds if eval_every > 0 else time.perf_counter() - t0
ws = sdfkit_layout(m, False)
json.dump({"seconds": seconds, "loss": float(loss), "snapshots": snapshots, "weights": [w.numpy().ravel().tolist() for w in ws], "latent": z.detach().numpy().ravel().tolist()}, open(out, "w"))
print(json.dumps({"seconds": seconds, "loss": float(loss)}))
