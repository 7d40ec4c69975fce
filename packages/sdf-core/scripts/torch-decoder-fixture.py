"""Reference outputs and gradients of the DeepSDF decoder in PyTorch, for tests/model-torch.test.ts.

Run with Debian's python3-torch:  OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 scripts/torch-decoder-fixture.py
Writes tests/fixtures/torch-decoder.json: for three small networks with the structure of the presets
(weight norm + skip, positional encoding + skip, plain), the weights in sdfkit's layout, inputs,
outputs and the gradients of one training step's loss (clamped L1 + code regulariser).
"""
import json, os, sys
import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_decoder import Decoder, sdfkit_layout  # noqa: E402

torch.set_num_threads(2)
torch.manual_seed(0)

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
        weights=[w.numpy().ravel().tolist() for w in sdfkit_layout(m, spec["weightNorm"])],
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
