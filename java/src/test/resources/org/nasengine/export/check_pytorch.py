"""Runs each exported PyTorch module on its saved inputs and compares with nas-engine's logits.

Each case folder holds model.py, weights.safetensors, input.bin and expected.bin (float32 little-endian),
and shape.txt: the input shape then the kind ("image" or "lm"). Prints one line per case; exit 1 on a mismatch.
"""
import importlib.util
import sys

import torch

ATOL, RTOL = float(sys.argv[2]), float(sys.argv[3])
failed = False
for case in sys.argv[4:]:
    folder = f"{sys.argv[1]}/{case}"
    spec = importlib.util.spec_from_file_location(f"exported_{case}", f"{folder}/model.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    net = mod.load(f"{folder}/weights.safetensors")
    words = open(f"{folder}/shape.txt").read().split()
    shape, kind = [int(w) for w in words[:-1]], words[-1]
    raw = open(f"{folder}/input.bin", "rb").read()
    with torch.no_grad():
        if kind == "image":
            out = net(torch.frombuffer(bytearray(raw), dtype=torch.float32).reshape(shape))
        else:
            ids = torch.frombuffer(bytearray(raw), dtype=torch.int32).reshape(shape).long()
            out, _ = net(ids)
    out = out.reshape(-1)
    expected = torch.frombuffer(bytearray(open(f"{folder}/expected.bin", "rb").read()), dtype=torch.float32)
    diff = (out - expected).abs()
    bad = (diff > ATOL + RTOL * expected.abs()).nonzero().flatten().tolist()
    print(f"{case}: {out.numel()} logits, largest |torch - ours| {diff.max().item():.3g}" + (f", MISMATCH at {bad[:5]}" if bad else ""))
    failed |= bool(bad)
sys.exit(1 if failed else 0)
