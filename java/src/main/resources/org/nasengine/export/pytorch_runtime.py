# ---- the safetensors loader and module placement: needs nothing but torch

_DTYPES = {"F64": torch.float64, "F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16,
           "I64": torch.int64, "I32": torch.int32, "I16": torch.int16, "I8": torch.int8, "U8": torch.uint8,
           "BOOL": torch.bool}


def read_safetensors(path):
    """{name: tensor} of a safetensors file: 8-byte little-endian header length, JSON header, raw data."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 8:
        raise ValueError(f"{path}: too short for a safetensors file")
    n = struct.unpack("<Q", data[:8])[0]
    if 8 + n > len(data):
        raise ValueError(f"{path}: header of {n} bytes runs past the end of the file (truncated)")
    header = json.loads(data[8:8 + n].decode("utf-8"))
    header.pop("__metadata__", None)
    base = 8 + n
    out = {}
    for name, t in header.items():
        begin, end = t["data_offsets"]
        if t["dtype"] not in _DTYPES:
            raise ValueError(f"{path}: tensor {name} has dtype {t['dtype']}, not one this loader reads")
        if base + end > len(data):
            raise ValueError(f"{path}: tensor {name}: data runs past the end of the file (truncated)")
        dtype = _DTYPES[t["dtype"]]
        if end > begin:
            out[name] = torch.frombuffer(bytearray(data[base + begin:base + end]), dtype=dtype).reshape(t["shape"])
        else:
            out[name] = torch.zeros(t["shape"], dtype=dtype)
    return out


def _place(root, path, module):
    """Registers module under a dotted path, making empty containers on the way, so that its
    parameters are named path.weight and so on, as in the safetensors file."""
    parts = path.split(".")
    parent = root
    for p in parts[:-1]:
        child = parent._modules.get(p)
        if child is None:
            child = nn.Module()
            parent.add_module(p, child)
        parent = child
    parent.add_module(parts[-1], module)
    return module


def load_weights(net, path):
    """Copies every tensor of the file into net; a missing, extra, mis-shaped or mis-typed tensor is an error naming it."""
    tensors = read_safetensors(path)
    own = net.state_dict()
    wanted = {k: v for k, v in own.items() if not k.endswith("num_batches_tracked")}
    problems = [f"tensor {k} is missing" for k in wanted if k not in tensors]
    problems += [f"tensor {k} is not in this architecture" for k in tensors if k not in wanted]
    for k, t in tensors.items():
        if k in wanted and (tuple(t.shape) != tuple(wanted[k].shape) or t.dtype != wanted[k].dtype):
            problems.append(f"tensor {k} is {t.dtype} {list(t.shape)}, the network needs {wanted[k].dtype} {list(wanted[k].shape)}")
    if problems:
        raise ValueError(f"{path}: " + "; ".join(problems))
    with torch.no_grad():
        for k, t in tensors.items():
            wanted[k].copy_(t)
    return net


def load(path):
    """The network of this file with the weights of path, in evaluation mode."""
    return load_weights(Network(), path).eval()
