"""The DeepSDF decoder in PyTorch with sdfkit's structure, shared by every PyTorch reference in the
repository (the fixture script, the decoder / inference / fit benchmarks).

Input rows are latent ‖ xyz; xyz gets F positional-encoding frequencies; layers in `latent_in` re-inject
the encoded input (the layer before is narrowed so the concat keeps its width); ReLU, optional weight
norm and dropout; tanh output.
"""
import math
import torch
import torch.nn as nn


class Decoder(nn.Module):
    def __init__(self, latent, dims, latent_in, weight_norm=False, F=0, dropout=0.0):
        super().__init__()
        self.latent, self.latent_in, self.F, self.dropout = latent, list(latent_in), F, dropout
        d0 = latent + 3 + 6 * F
        self.layers = nn.ModuleList()
        prev = d0
        for i, d in enumerate(dims):
            inp = prev + d0 if i in self.latent_in else prev
            out = d - d0 if (i + 1) in self.latent_in else d
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
            if self.dropout > 0 and self.training:
                h = torch.dropout(h, self.dropout, True)
        return torch.tanh(self.out(h))


def sdfkit_layout(m, weight_norm):
    """sdfkit's variable order: per hidden layer v [in,out], g [out], b  (or w [in,out], b); then output w, b."""
    ws = []
    for l in m.layers:
        if weight_norm:
            ws += [l.weight_v.detach().t().contiguous(), l.weight_g.detach().reshape(-1), l.bias.detach()]
        else:
            ws += [l.weight.detach().t().contiguous(), l.bias.detach()]
    ws += [m.out.weight.detach().t().contiguous(), m.out.bias.detach()]
    return ws
