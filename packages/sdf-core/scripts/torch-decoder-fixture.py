"""Reference outputs and gradients of the DeepSDF decoder in PyTorch, for tests/model-torch.test.ts.

Run with Debian's python3-torch:  OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 scripts/torch-decoder-fixture.py
Writes tests/fixtures/torch-decoder.json: for three small networks with the structure of the presets
(weight norm + skip, positional encoding + skip, plain), the weights in sdfkit's layout, inputs,
outputs and the gradients of one training step's loss (clamped L1 + code regulariser).
"""
import json, math, os
import numpy as np
import torch
import torch.nn as nn

torch.set_num_threads(2)
torch.manual_seed(0)

class Decoder(nn.Module):
    # facebookresearch/DeepSDF networks/deep_sdf_decoder.py, without dropout (eval), plus positional encoding
    def __init__(self, latent, dims, latent_in, weight_norm, F):
        super().__init__()
        self.latent, self.latent_in, self.F = latent, latent_in, F
        d0 = latent + 3 + 6 * F
        self.layers = nn.ModuleList()
        prev = d0
        for i, d in enumerate(dims):
            inp = prev + d0 if i in latent_in else prev
            out = d - d0 if (i + 1) in latent_in else d
            lin = nn.Linear(inp, out)
            self.layers.append(nn.utils.weight_norm(lin) if weight_norm else lin)
            prev = out
        self.out = nn.Linear(prev, 1)

    def encode(self, x):
        z, p = x[:, : self.latent], x[:, self.latent :]
        parts = [p]
        for k in range(self.F):
            s = p * (2.0 ** k) * math.pi
            parts += [torch.sin(s), torch.cos(s)]
        return torch.cat([z] + parts, 1)

    def forward(self, x):
        x0 = self.encode(x)
        h = x0
        for i, l in enumerate(self.layers):
            if i in self.latent_in:
                h = torch.cat([h, x0], 1)
            h = torch.relu(l(h))
        return torch.tanh(self.out(h))

def layout(m, weight_norm):
    """sdfkit's variable order: per hidden layer v [in,out], g [out], b  (or w [in,out], b); then output w, b."""
    ws = []
    for l in m.layers:
        if weight_norm:
            ws += [l.weight_v.detach().t().contiguous(), l.weight_g.detach().reshape(-1), l.bias.detach()]
        else:
            ws += [l.weight.detach().t().contiguous(), l.bias.detach()]
    ws += [m.out.weight.detach().t().contiguous(), m.out.bias.detach()]
    return ws

def grads(m, weight_norm):
    gs = []
    for l in m.layers:
        if weight_norm:
            gs += [l.weight_v.grad.t().contiguous(), l.weight_g.grad.reshape(-1), l.bias.grad]
        else:
            gs += [l.weight.grad.t().contiguous(), l.bias.grad]
    gs += [m.out.weight.grad.t().contiguous(), m.out.bias.grad]
    return gs

cases = []
for name, spec in [
    ("deepsdf-small", dict(latentSize=8, dims=[32, 32, 32, 32], latentIn=[2], dropout=[], dropoutProb=0, weightNorm=True, peFrequencies=0)),
    ("seed-v2-small", dict(latentSize=8, dims=[32, 32, 32, 32], latentIn=[2], dropout=[], dropoutProb=0, weightNorm=False, peFrequencies=2)),
    ("seed-v1-small", dict(latentSize=4, dims=[16, 16, 16], latentIn=[], dropout=[], dropoutProb=0, weightNorm=False, peFrequencies=0)),
]:
    m = Decoder(spec["latentSize"], spec["dims"], spec["latentIn"], spec["weightNorm"], spec["peFrequencies"]).double()
    rng = np.random.default_rng(1)
    n = 16
    z = torch.tensor(rng.normal(0, 0.5, (n, spec["latentSize"])), requires_grad=True)
    xyz = torch.tensor(rng.uniform(-1, 1, (n, 3)))
    target = torch.tensor(rng.uniform(-0.2, 0.2, (n, 1)))
    x = torch.cat([z, xyz], 1)
    out = m(x)
    delta = 0.1
    loss = torch.mean(torch.abs(torch.clamp(out, -delta, delta) - torch.clamp(target, -delta, delta))) + 1e-4 * torch.mean(z * z)
    loss.backward()
    cases.append(dict(
        name=name, specs=spec,
        weights=[w.numpy().ravel().tolist() for w in layout(m, spec["weightNorm"])],
        input=x.detach().numpy().ravel().tolist(), target=target.numpy().ravel().tolist(),
        output=out.detach().numpy().ravel().tolist(), loss=float(loss),
        grads=[g.numpy().ravel().tolist() for g in grads(m, spec["weightNorm"])],
        latentGrad=z.grad.numpy().ravel().tolist(),
    ))
out_path = os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures", "torch-decoder.json")
def rounded(o):
    # 9 significant digits: far below float32's precision, keeps the fixture small
    if isinstance(o, float):
        return float(f"{o:.9g}")
    if isinstance(o, list):
        return [rounded(v) for v in o]
    if isinstance(o, dict):
        return {k: rounded(v) for k, v in o.items()}
    return o
with open(out_path, "w") as f:
    json.dump({"torch": torch.__version__, "cases": rounded(cases)}, f, separators=(",", ":"))
print("wrote", out_path)
