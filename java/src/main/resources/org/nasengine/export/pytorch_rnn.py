# ---- the language model around the searched cell (two layers, dropout on non-recurrent connections)

def _act(name, x):
    if name == "tanh":
        return torch.tanh(x)
    if name == "relu":
        return torch.relu(x)
    if name == "sigmoid":
        return torch.sigmoid(x)
    return x


def _combine(how, a, b):
    return a + b if how == "add" else a * b


class RnnCellLayer(nn.Module):
    """One layer of the cell tree: leaf i is act(combine(W_i x + b_i, U_i h)); internal node base+k
    combines nodes 2k and 2k+1; the inject node mixes in c; c is the memory node before its activation."""

    def __init__(self, cell, input_size, hidden):
        super().__init__()
        self.cell, self.hidden, self.base = cell, hidden, cell["base"]
        rows = self.base * hidden
        self.weight_ih = nn.Parameter(torch.zeros(rows, input_size))
        self.bias = nn.Parameter(torch.zeros(rows))
        self.weight_hh = nn.Parameter(torch.zeros(rows, hidden))

    def step(self, wx, h, c):
        cell, hid, base = self.cell, self.hidden, self.base
        uh = h @ self.weight_hh.t()
        nodes = cell["nodes"]
        out, c_next = [None] * len(nodes), None
        for node, spec in enumerate(nodes):
            if node < base:
                cols = slice(node * hid, (node + 1) * hid)
                pre = _combine(spec["combine"], wx[:, cols], uh[:, cols])
            else:
                k = node - base
                pre = _combine(spec["combine"], out[2 * k], out[2 * k + 1])
            if node == cell["memoryNode"]:
                c_next = pre
            value = _act(spec["activation"], pre)
            if node == cell["injectNode"]:
                value = _act(cell["inject"]["activation"], _combine(cell["inject"]["combine"], value, c))
            out[node] = value
        return out[-1], c_next

    def forward(self, x, state):
        """x (N, T, in), state (h, c) each (N, H) -> outputs (N, T, H), last state."""
        h, c = state
        wx = x @ self.weight_ih.t() + self.bias
        outs = []
        for t in range(x.shape[1]):
            h, c = self.step(wx[:, t], h, c)
            outs.append(h)
        return torch.stack(outs, 1), (h, c)


class Network(nn.Module):
    """Token ids int64 (N, T) and an optional state -> logits (N, T, vocab) and the state after step T."""

    def __init__(self, dropout=0.0):
        super().__init__()
        self.embedding = nn.Embedding(VOCAB, HIDDEN)
        self.layers = nn.ModuleList([RnnCellLayer(ARCH, HIDDEN, HIDDEN) for _ in range(LAYERS)])
        self.drop = nn.Dropout(dropout)
        self.softmax = nn.Linear(HIDDEN, VOCAB)

    def zero_state(self, n):
        w = self.softmax.weight
        return [(w.new_zeros(n, HIDDEN), w.new_zeros(n, HIDDEN)) for _ in range(LAYERS)]

    def forward(self, ids, state=None):
        state = self.zero_state(ids.shape[0]) if state is None else state
        x = self.embedding(ids)
        nxt = []
        for layer, s in zip(self.layers, state):
            x, s = layer(self.drop(x), s)
            nxt.append(s)
        return self.softmax(self.drop(x)), nxt
