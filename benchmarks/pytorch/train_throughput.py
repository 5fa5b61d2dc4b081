"""PyTorch side of benchmarks/throughput-vs-pytorch.ts: the same networks, trained the same way.

Serve mode (what the TypeScript benchmark uses): one JSON command per stdin line, one JSON reply per
stdout line, so both frameworks' measurements can be interleaved within one run:
  {"op": "build", "name": "cnn", "kind": "cnn", "batch": 64}
  {"op": "build", "name": "det", "kind": "detector", "spec": "/tmp/.../spec.json"}
  {"op": "build", "name": "nasnet", "kind": "nasnet", "spec": {"net": {...}, "normal": {...}, "reduction": {...}, "batch": 32}}
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


def relu_conv_bn(cin, cout, kh, kw, stride=1, dilation=1):
    """ReLU -> conv -> BN (src/nn/conv.ts reluConvBn), 'same' padding."""
    pad = (dilation * (kh - 1) // 2, dilation * (kw - 1) // 2)
    return nn.Sequential(nn.ReLU(), nn.Conv2d(cin, cout, (kh, kw), stride, pad, dilation, bias=False), nn.BatchNorm2d(cout, eps=BN_EPS))


def relu_sep_conv_bn(cin, cout, k, stride=1, dilation=1):
    """ReLU -> depthwise -> pointwise -> BN: one separable unit (src/nn/conv.ts reluSepConvBn)."""
    depthwise = nn.Conv2d(cin, cin, k, stride, dilation * (k - 1) // 2, dilation, groups=cin, bias=False)
    return nn.Sequential(nn.ReLU(), depthwise, nn.Conv2d(cin, cout, 1, bias=False), nn.BatchNorm2d(cout, eps=BN_EPS))


class FactorizedReduction(nn.Module):
    """src/nn/reduce.ts: two strided 1x1 convs, on the grid and shifted by a pixel, concatenated, then BN."""

    def __init__(self, cin, cout):
        super().__init__()
        half = cout // 2
        self.path1, self.path2 = nn.Conv2d(cin, half, 1, 2, bias=False), nn.Conv2d(cin, cout - half, 1, 2, bias=False)
        self.bn = nn.BatchNorm2d(cout, eps=BN_EPS)

    def forward(self, x):
        shifted = F.pad(x, (0, 1, 0, 1))[:, :, 1:, 1:]
        return self.bn(torch.cat([self.path1(x), self.path2(shifted)], 1))


class Pool(nn.Module):
    """A 'same' pool (TF's average counts only the pixels inside), then 1x1 conv + BN where channels change."""

    def __init__(self, kind, k, stride, cin, cout):
        super().__init__()
        self.kind, self.k, self.stride = kind, k, stride
        self.proj = nn.Sequential(nn.Conv2d(cin, cout, 1, bias=False), nn.BatchNorm2d(cout, eps=BN_EPS)) if cin != cout else None

    def forward(self, x):
        if self.kind == "avg":
            y = F.avg_pool2d(x, self.k, self.stride, self.k // 2, count_include_pad=False)
        else:
            y = F.max_pool2d(x, self.k, self.stride, self.k // 2)
        return y if self.proj is None else self.proj(y)


class Zeros(nn.Module):
    def __init__(self, stride, cout):
        super().__init__()
        self.stride, self.cout = stride, cout

    def forward(self, x):
        n, _, h, w = x.shape
        return x.new_zeros(n, self.cout, -(-h // self.stride), -(-w // self.stride))


def nasnet_op(op, cin, f, stride):
    """src/architectures/nasnet/ops.ts applyOp: one op of a block, `f` channels out."""
    sep_twice = lambda k: nn.Sequential(relu_sep_conv_bn(cin, f, k, stride), relu_sep_conv_bn(f, f, k))
    factorized = lambda k: nn.Sequential(relu_conv_bn(cin, f, 1, k, stride), relu_conv_bn(f, f, k, 1))
    table = {
        "none": lambda: Zeros(stride, f),
        "identity": lambda: nn.Identity() if stride == 1 and cin == f else relu_conv_bn(cin, f, 1, 1, stride),
        "conv1x1": lambda: relu_conv_bn(cin, f, 1, 1, stride),
        "conv3x3": lambda: relu_conv_bn(cin, f, 3, 3, stride),
        "dil_conv3x3": lambda: relu_conv_bn(cin, f, 3, 3, stride, 2),
        "conv1x3_3x1": lambda: factorized(3),
        "conv1x7_7x1": lambda: factorized(7),
        "avg_pool3x3": lambda: Pool("avg", 3, stride, cin, f),
        "max_pool3x3": lambda: Pool("max", 3, stride, cin, f),
        "max_pool5x5": lambda: Pool("max", 5, stride, cin, f),
        "max_pool7x7": lambda: Pool("max", 7, stride, cin, f),
        "sep_conv3x3": lambda: sep_twice(3),
        "sep_conv5x5": lambda: sep_twice(5),
        "sep_conv7x7": lambda: sep_twice(7),
        "dil_sep_conv3x3": lambda: relu_sep_conv_bn(cin, f, 3, stride, 2),
        "dil_sep_conv5x5": lambda: relu_sep_conv_bn(cin, f, 5, stride, 2),
    }
    return table[op]()


class Cell(nn.Module):
    """src/architectures/nasnet/cell.ts buildCell, built for inputs of known (side, channels)."""

    def __init__(self, cell, cur, prev, f, reduction):
        super().__init__()
        (side, c_cur), (p_side, c_prev) = cur, prev
        self.base = relu_conv_bn(c_cur, f, 1, 1)
        if p_side != side:
            self.adjust = nn.Sequential(nn.ReLU(), FactorizedReduction(c_prev, f))
        else:
            self.adjust = relu_conv_bn(c_prev, f, 1, 1) if c_prev != f else nn.Identity()
        self.blocks, self.combine = nn.ModuleList(), []
        states = [(side, f), (side, f)]
        out_side = -(-side // 2) if reduction else side
        for b in cell["blocks"]:
            ops = nn.ModuleList()
            for s, op in zip(b["inputs"], b["ops"]):
                stride = 2 if reduction and s < 2 else 1
                ops.append(nasnet_op(op, states[s][1], f, stride))
            self.blocks.append(ops)
            self.combine.append(b.get("combine", "add"))
            # An op reading the cell's inputs in a reduction cell has stride 2; one reading a block keeps its side.
            s0 = b["inputs"][0]
            states.append((out_side if reduction and s0 < 2 else states[s0][0], f if self.combine[-1] == "add" else 2 * f))
        self.inputs = [b["inputs"] for b in cell["blocks"]]
        self.outputs = cell["outputs"]
        self.reduce = nn.ModuleDict({str(s): nn.Sequential(nn.ReLU(), FactorizedReduction(states[s][1], states[s][1])) for s in self.outputs if states[s][0] != out_side})
        self.shape = (out_side, sum(states[s][1] for s in self.outputs))

    def forward(self, cur, prev):
        states = [self.base(cur), self.adjust(prev)]
        for ops, (i, j), combine in zip(self.blocks, self.inputs, self.combine):
            a, c = ops[0](states[i]), ops[1](states[j])
            states.append(a + c if combine == "add" else torch.cat([a, c], 1))
        outs = [self.reduce[str(s)](states[s]) if str(s) in self.reduce else states[s] for s in self.outputs]
        return outs[0] if len(outs) == 1 else torch.cat(outs, 1)


class NasNet(nn.Module):
    """src/tasks/classification/nasnet-classifier.ts: 3x3 conv + BN stem, the cells in stages, ReLU, mean, dense."""

    def __init__(self, s):
        super().__init__()
        c = s["net"]
        side, _, channels = c["imageShape"]
        stem = max(1, round(c["stemMultiplier"] * c["filters"]))
        self.stem = nn.Sequential(nn.Conv2d(channels, stem, 3, 1, 1, bias=False), nn.BatchNorm2d(stem, eps=BN_EPS))
        self.cells = nn.ModuleList()
        prev = cur = (side, stem)
        f = c["filters"]
        for stage in range(c["reductions"] + 1):
            kinds = ([True] if stage > 0 else []) + [False] * c["cellsPerStage"]
            if stage > 0:
                f *= 2
            for reduction in kinds:
                cell = Cell(s["reduction" if reduction else "normal"], cur, prev, f, reduction)
                self.cells.append(cell)
                prev, cur = cur, cell.shape
        self.fc = nn.Linear(cur[1], c["classes"])

    def forward(self, x):
        prev = cur = self.stem(x)
        for cell in self.cells:
            prev, cur = cur, cell(cur, prev)
        return self.fc(F.relu(cur).mean(dim=(2, 3)))


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
        elif cmd["kind"] == "nasnet":
            s = cmd["spec"]
            self.model, n = NasNet(s), s["batch"]
            side, _, channels = s["net"]["imageShape"]
            classes = s["net"]["classes"]
            self.batches = [(torch.rand(n, channels, side, side), torch.randint(0, classes, (n,))) for _ in range(4)]
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
