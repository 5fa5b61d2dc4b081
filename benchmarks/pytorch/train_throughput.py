"""PyTorch side of benchmarks/throughput-vs-pytorch.ts: the same networks, trained the same way.

Serve mode (what the TypeScript benchmark uses): one JSON command per stdin line, one JSON reply per
stdout line, so both frameworks' measurements can be interleaved within one run:
  {"op": "build", "name": "cnn", "kind": "cnn", "batch": 64}
  {"op": "build", "name": "det", "kind": "detector", "spec": "/tmp/.../spec.json"}
  {"op": "run", "name": "cnn", "threads": 1, "steps": 10}   -> {"seconds": ..., "images": ..., "loss": ...}
Standalone check of the CNN:
  /usr/bin/python3 benchmarks/pytorch/train_throughput.py --threads 1 --steps 10 --repeats 5
"""
import argparse
import json
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

BN_EPS = 1e-3  # tsnas's BatchNorm epsilon (src/nn/layers.ts); its momentum 0.9 is PyTorch's 0.1


def conv_bn(cin, cout, k, stride=1):
    # 'same' padding: TF pads a stride-2 conv of an even input (0 before, 1 after), PyTorch 1 on both
    # sides; shapes and FLOPs are identical, only which border pixels are read differs.
    return nn.Sequential(nn.Conv2d(cin, cout, k, stride, k // 2, bias=False), nn.BatchNorm2d(cout, eps=BN_EPS, momentum=0.1))


class Cnn(nn.Module):
    """The proxy CNN of benchmarks/workers/train-cnn-worker.ts (see there for the layer list)."""

    def __init__(self):
        super().__init__()
        self.convs = nn.ModuleList([conv_bn(a, b, 3) for a, b in [(3, 32), (32, 32), (32, 64), (64, 64)]])
        self.fc = nn.Linear(64, 10)

    def forward(self, x):
        for i, c in enumerate(self.convs):
            x = F.relu(c(x))
            if i in (0, 2):
                x = F.max_pool2d(x, 2)
        return self.fc(x.mean(dim=(2, 3)))


class Block(nn.Module):
    """Basic residual block of src/tasks/detection/backbone.ts."""

    def __init__(self, cin, cout, stride):
        super().__init__()
        self.a, self.b = conv_bn(cin, cout, 3, stride), conv_bn(cout, cout, 3)
        self.proj = conv_bn(cin, cout, 1, stride) if stride != 1 or cin != cout else None

    def forward(self, x):
        z = self.b(F.relu(self.a(x)))
        return F.relu(z + (x if self.proj is None else self.proj(x)))


def resample(x, src, dst):
    if dst > src:
        return F.max_pool2d(x, 2 ** (dst - src))
    if dst < src:
        return F.interpolate(x, scale_factor=2 ** (src - dst), mode="nearest")
    return x


class Detector(nn.Module):
    """src/tasks/detection/detector.ts from the spec it writes: backbone, the resolved pyramid, RetinaNet head."""

    def __init__(self, s):
        super().__init__()
        self.s = s
        w, c, p = s["backboneWidths"], s["channels"], s["pyramid"]
        self.stem = conv_bn(1, w[0], 3, 2)
        self.blocks = nn.ModuleList([Block(w[l - 2], w[l - 1], 2) for l in range(2, 6)])  # C2..C5
        self.inputs = nn.ModuleDict({str(l): conv_bn(w[l - 1], c, 1) for l in range(s["minLevel"], 6) if w[l - 1] != c})
        self.cells = nn.ModuleList([nn.ModuleList([conv_bn(c, c, 3) for _ in p["cells"]]) for _ in range(s["repeats"])])
        hc, n_levels = s["headChannels"], s["maxLevel"] - s["minLevel"] + 1
        ins = [c] + [hc] * (s["headConvs"] - 1)
        norm = s["headNorm"]
        # Head convs shared across levels; with headNorm, BatchNorm per level (as tsnas's head).
        self.cls = nn.ModuleList([nn.Conv2d(i, hc, 3, 1, 1, bias=not norm) for i in ins])
        self.box = nn.ModuleList([nn.Conv2d(i, hc, 3, 1, 1, bias=not norm) for i in ins])
        bns = lambda: nn.ModuleList([nn.ModuleList([nn.BatchNorm2d(hc, eps=BN_EPS) for _ in range(n_levels)]) for _ in ins])
        self.cls_bn, self.box_bn = (bns(), bns()) if norm else (None, None)
        last = hc if ins else c
        self.cls_out = nn.Conv2d(last, s["anchors"] * s["classes"], 3, 1, 1)
        self.box_out = nn.Conv2d(last, s["anchors"] * 4, 3, 1, 1)

    def forward(self, x):
        s, p = self.s, self.s["pyramid"]
        x = F.relu(self.stem(x))
        features = {}
        for level, block in zip(range(2, 6), self.blocks):
            x = block(x)
            features[level] = x
        nodes = []
        for level in range(s["minLevel"], s["maxLevel"] + 1):
            if level in features:
                f = features[level]
                nodes.append(self.inputs[str(level)](f) if str(level) in self.inputs else f)
            else:
                nodes.append(F.max_pool2d(nodes[-1], 2))
        lv = p["levels"]
        for convs in self.cells:
            for cell, conv in zip(p["cells"], convs):
                at = lambda n: resample(nodes[n], lv[n], cell["level"])
                f0, f1 = at(cell["operands"][0]), at(cell["operands"][1])
                y = f0 + f1 if cell["op"] == "sum" else f0 + f1 * torch.sigmoid(torch.amax(f0, dim=(2, 3), keepdim=True))
                for e in cell["extras"]:
                    y = y + at(e)
                nodes.append(conv(F.relu(y)))
            nodes = [nodes[o] for o in p["outputs"]]
        logits, deltas = [], []
        for i, f in enumerate(nodes):
            c, b = f, f
            for k in range(len(self.cls)):
                c, b = self.cls[k](c), self.box[k](b)
                if self.cls_bn is not None:
                    c, b = self.cls_bn[k][i](c), self.box_bn[k][i](b)
                c, b = F.relu(c), F.relu(b)
            n = f.shape[0]
            logits.append(self.cls_out(c).permute(0, 2, 3, 1).reshape(n, -1, s["classes"]))
            deltas.append(self.box_out(b).permute(0, 2, 3, 1).reshape(n, -1, 4))
        return torch.cat(logits, 1), torch.cat(deltas, 1)


def detection_loss(logits, deltas, labels, boxes, positives, alpha=0.25, gamma=2.0, beta=0.11):
    """src/tasks/detection/loss.ts: focal loss over non-ignored anchors + smooth L1 over positives."""
    onehot = F.one_hot(labels.clamp(min=0).long(), logits.shape[2]).float() * (labels >= 0).unsqueeze(-1).float()
    pos = (labels >= 0).unsqueeze(-1).float()
    use = (labels != -2).unsqueeze(-1).float()
    p = torch.sigmoid(logits)
    ce = F.relu(logits) - logits * onehot + torch.log1p(torch.exp(-logits.abs()))
    pt = p * onehot + (1 - p) * (1 - onehot)
    at = onehot * alpha + (1 - onehot) * (1 - alpha)
    norm = max(1, positives)
    cls = (at * (1 - pt) ** gamma * ce * use).sum() / norm
    diff = (deltas - boxes).abs()
    m = torch.clamp(diff, max=beta)
    return cls + ((0.5 * m * m / beta + diff - m) * pos).sum() / norm


def forward_flops(model, x):
    """2 x multiply-adds of the convs and linears in one forward pass, per image."""
    total = [0]

    def hook(mod, inp, out):
        if isinstance(mod, nn.Conv2d):
            total[0] += 2 * out.numel() * mod.in_channels // mod.groups * mod.kernel_size[0] * mod.kernel_size[1]
        else:
            total[0] += 2 * out.numel() * mod.in_features

    hs = [m.register_forward_hook(hook) for m in model.modules() if isinstance(m, (nn.Conv2d, nn.Linear))]
    with torch.no_grad():
        model.eval()
        model(x[:1])
        model.train()
    for h in hs:
        h.remove()
    return total[0]


class Job:
    """A model with its optimizer, fixed batches and training step."""

    def __init__(self, cmd):
        torch.manual_seed(1)
        if cmd["kind"] == "cnn":
            self.model, n = Cnn(), cmd["batch"]
            self.batches = [(torch.rand(n, 3, 32, 32), torch.randint(0, 10, (n,))) for _ in range(4)]
            self.loss = lambda out, y: F.cross_entropy(out, y)
        else:
            s = json.load(open(cmd["spec"]))
            self.model, n, size = Detector(s), s["batch"], s["imageSize"]
            read = lambda key, dtype: torch.from_file(s[key], size=s[key + "Count"], dtype=dtype)
            images = read("images", torch.float32).reshape(n, size, size, 1).permute(0, 3, 1, 2).contiguous()
            labels = read("labels", torch.int32).reshape(n, -1)
            boxes = read("boxes", torch.float32).reshape(n, -1, 4)
            self.batches = [(images, (labels, boxes, s["positives"]))]
            self.loss = lambda out, t: detection_loss(out[0], out[1], *t)
        self.images = n
        self.opt = torch.optim.Adam(self.model.parameters(), lr=1e-3)
        self.params = sum(p.numel() for p in self.model.parameters())
        self.flops = forward_flops(self.model, self.batches[0][0])
        self.i = 0

    def run(self, threads, steps):
        torch.set_num_threads(threads)
        t0, c0 = time.perf_counter(), time.process_time()
        for _ in range(steps):
            x, y = self.batches[self.i % len(self.batches)]
            self.i += 1
            self.opt.zero_grad(set_to_none=True)
            loss = self.loss(self.model(x), y)
            loss.backward()
            self.opt.step()
            value = loss.item()  # a sync point, as in the tsnas loop
        # CPU time of all threads (OpenMP spin-waiting included): a rate per CPU-second resists machine load.
        return {"seconds": time.perf_counter() - t0, "cpuSeconds": time.process_time() - c0, "images": steps * self.images, "loss": value}


def serve():
    jobs = {}
    for line in sys.stdin:
        if not line.strip():
            continue
        cmd = json.loads(line)
        try:
            if cmd["op"] == "build":
                job = jobs[cmd["name"]] = Job(cmd)
                reply = {"params": job.params, "flops": job.flops, "torch": torch.__version__}
            elif cmd["op"] == "run":
                reply = jobs[cmd["name"]].run(cmd["threads"], cmd["steps"])
            else:
                reply = {"error": f"unknown op {cmd['op']!r}"}
        except Exception as e:  # reported to the TypeScript side, which names the failing case
            reply = {"error": f"{type(e).__name__}: {e}"}
        print(json.dumps(reply), flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--serve", action="store_true")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--steps", type=int, default=10)
    ap.add_argument("--repeats", type=int, default=5)
    a = ap.parse_args()
    torch.set_num_interop_threads(1)  # intra-op threads are what is compared
    if a.serve:
        return serve()
    job = Job({"kind": "cnn", "batch": a.batch})
    job.run(a.threads, 3)
    rates = sorted(r["images"] / r["seconds"] for r in (job.run(a.threads, a.steps) for _ in range(a.repeats)))
    print(f"torch {torch.__version__}, {a.threads} thread(s): CNN {job.params} params, {job.flops / 1e6:.2f} MFLOP/img forward; "
          f"median {rates[len(rates) // 2]:.0f} img/s")


if __name__ == "__main__":
    main()
