"""Loads an exported module and its weights, runs it on a dataset's test images (pixels / 255) and prints the accuracy.

Usage: export_pytorch_check.py MODEL.py WEIGHTS.safetensors fashion-mnist|cifar10 DATA_DIR
"""
import glob
import gzip
import importlib.util
import os
import struct
import sys

import torch


def fashion_mnist(folder):
    with gzip.open(os.path.join(folder, "t10k-images-idx3-ubyte.gz")) as f:
        _, n, h, w = struct.unpack(">IIII", f.read(16))
        images = torch.frombuffer(bytearray(f.read(n * h * w)), dtype=torch.uint8).reshape(n, 1, h, w)
    with gzip.open(os.path.join(folder, "t10k-labels-idx1-ubyte.gz")) as f:
        f.read(8)
        labels = torch.frombuffer(bytearray(f.read(n)), dtype=torch.uint8)
    return images, labels


def cifar10(folder):
    # test_batch.bin, or a subset such as test_batch_first1000.bin: records of 1 label byte + 3x32x32 pixels
    path = sorted(glob.glob(os.path.join(folder, "test_batch*.bin")))[0]
    raw = torch.frombuffer(bytearray(open(path, "rb").read()), dtype=torch.uint8).reshape(-1, 1 + 3 * 32 * 32)
    return raw[:, 1:].reshape(-1, 3, 32, 32), raw[:, 0]


model_py, weights, dataset, folder = sys.argv[1:5]
spec = importlib.util.spec_from_file_location("exported", model_py)
mod = importlib.util.module_from_spec(spec)
spec.loader.exec_module(mod)
net = mod.load(weights)
images, labels = (fashion_mnist if dataset == "fashion-mnist" else cifar10)(folder)
correct = 0
with torch.no_grad():
    for i in range(0, len(labels), 500):
        x = images[i:i + 500].float() / 255.0  # what a user has: float32 NCHW in [0, 1]
        correct += (net(x).argmax(1) == labels[i:i + 500].long()).sum().item()
print(correct / len(labels))
