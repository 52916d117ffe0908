#!/usr/bin/env python3
"""The PyTorch twin of a macro-cnn reference child's training step (bench/src/.../ImageStep.java),
the yardstick for our CUDA backend's images/s in bench/gpu-check.sh.

The network follows shared/spec/architectures.md, section macro-cnn: each layer is a convolution
with "same" padding and no bias, batch norm, ReLU; a layer with several inputs zero-pads them to
the largest height and width (the odd row or column at the bottom or right) and concatenates them
along channels; the layers no later layer reads are joined the same way, then global average
pooling and a linear layer with bias. The step is ImageStep's: softmax cross-entropy, SGD with
Nesterov momentum 0.9, weight decay 1e-4, lr 0.01, one fixed batch of Gaussian images, the loss
read back every step; fp32 throughout (TF32 off), cuDNN left to pick its fastest algorithms.

Prints one line in TrainStepRate's format:
  RESULT train_step ref-cnn-b torch 64 12.345 ms 5184.3 images/s
Usage: torch_refcnn_step.py ARCH.json [BATCH] [SECONDS]   (default batch 64, 3 s after warm-up;
       1x28x28 images for ref-cnn-a.json, else 3x32x32)
       torch_refcnn_step.py --plan ARCH.json              (shapes and parameter count, no PyTorch)
"""
import json
import os
import sys
import time

CLASSES = 10


def plan(layers, channels, size):
    """Per layer (cin, h, w) of its joined input and (filters, h, w) of its output, plus the
    layers joined into the head (those no later layer reads, in order) and the head's channels."""
    ins, outs = [], []
    for layer in layers:
        if layer["inputs"]:
            src = [outs[j] for j in layer["inputs"]]
            cin, h, w = sum(s[0] for s in src), max(s[1] for s in src), max(s[2] for s in src)
        else:
            cin, h, w = channels, size, size
        s = layer["stride"]
        ins.append((cin, h, w))
        outs.append((layer["filters"], -(-h // s), -(-w // s)))  # ceil(h / stride)
    read = {j for layer in layers for j in layer["inputs"]}
    unread = [i for i in range(len(layers)) if i not in read]
    return ins, outs, unread, sum(outs[i][0] for i in unread)


def parameter_count(layers, channels, size):
    """As the spec counts it: conv weights and the batch norm's scale and shift, then the classifier."""
    ins, _, _, head = plan(layers, channels, size)
    convs = sum(l["kh"] * l["kw"] * cin * l["filters"] + 2 * l["filters"] for l, (cin, _, _) in zip(layers, ins))
    return convs + head * CLASSES + CLASSES


def image_shape(path):
    return (1, 28) if os.path.basename(path).startswith("ref-cnn-a") else (3, 32)


def print_plan(path):
    layers = json.load(open(path))["layers"]
    channels, size = image_shape(path)
    ins, outs, unread, head = plan(layers, channels, size)
    for i, (l, a, b) in enumerate(zip(layers, ins, outs)):
        print(f"layer {i}: {l['kh']}x{l['kw']} s{l['stride']} inputs {l['inputs']}: in {a} -> out {b}")
    print(f"head: join of layers {unread}, {head} channels -> {CLASSES} classes")
    print(f"params {parameter_count(layers, channels, size)}")


def build(layers, channels, size):
    import torch
    import torch.nn.functional as F
    from torch import nn

    def join(maps):
        """The spec's join: zero-pad to the largest height and width, odd row/column bottom/right, concat."""
        if len(maps) == 1:
            return maps[0]
        h, w = max(m.shape[2] for m in maps), max(m.shape[3] for m in maps)
        padded = []
        for m in maps:
            top, left = (h - m.shape[2]) // 2, (w - m.shape[3]) // 2
            padded.append(F.pad(m, (left, w - m.shape[3] - left, top, h - m.shape[2] - top)))
        return torch.cat(padded, 1)

    class MacroCnn(nn.Module):
        def __init__(self):
            super().__init__()
            ins, _, self.unread, head = plan(layers, channels, size)
            self.convs = nn.ModuleList(
                nn.Conv2d(cin, l["filters"], (l["kh"], l["kw"]), l["stride"],
                          padding=((l["kh"] - 1) // 2, (l["kw"] - 1) // 2), bias=False)
                for l, (cin, _, _) in zip(layers, ins))
            self.norms = nn.ModuleList(nn.BatchNorm2d(l["filters"]) for l in layers)
            self.fc = nn.Linear(head, CLASSES)

        def forward(self, x):
            outs = []
            for l, conv, norm in zip(layers, self.convs, self.norms):
                inp = join([outs[j] for j in l["inputs"]]) if l["inputs"] else x
                outs.append(F.relu(norm(conv(inp))))
            return self.fc(join([outs[i] for i in self.unread]).mean((2, 3)))

    return MacroCnn()


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--plan":
        print_plan(sys.argv[2])
        return
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    path = sys.argv[1]
    name = os.path.basename(path).removesuffix(".json")
    batch = int(sys.argv[2]) if len(sys.argv) > 2 else 64
    seconds = float(sys.argv[3]) if len(sys.argv) > 3 else 3.0
    try:
        import torch
        import torch.nn.functional as F
    except ImportError as e:
        print(f"SKIP train_step {name} torch: PyTorch not importable ({e})")
        return
    if not torch.cuda.is_available():
        print(f"SKIP train_step {name} torch: torch.cuda.is_available() is False")
        return
    torch.backends.cuda.matmul.allow_tf32 = False  # fp32, as our kernels compute
    torch.backends.cudnn.allow_tf32 = False
    torch.backends.cudnn.benchmark = True
    layers = json.load(open(path))["layers"]
    channels, size = image_shape(path)
    torch.manual_seed(1)
    model = build(layers, channels, size).cuda().train()
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, nesterov=True, weight_decay=1e-4)
    x = torch.randn(batch, channels, size, size, device="cuda")
    y = torch.randint(0, CLASSES, (batch,), device="cuda")

    def step():
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        return loss.item()  # waits for the device, as ImageStep's loss.item() does

    for _ in range(5):  # cuDNN's algorithm search, allocator warm-up
        step()
    steps, start = 0, time.perf_counter()
    while True:
        step()
        steps += 1
        elapsed = time.perf_counter() - start
        if elapsed >= seconds and steps >= 5:
            break
    ms = elapsed * 1e3 / steps
    print(f"torch {torch.__version__}, CUDA {torch.version.cuda}, {torch.cuda.get_device_name(0)}, "
          f"{sum(p.numel() for p in model.parameters())} parameters")
    print(f"RESULT train_step {name} torch {batch} {ms:.3f} ms {batch / (ms / 1e3):.1f} images/s ({steps} steps)")


if __name__ == "__main__":
    main()
