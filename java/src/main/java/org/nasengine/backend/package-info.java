/**
 * Backends: the device primitives behind {@link org.nasengine.backend.Backend}.
 *
 * <p>Contract of the row operations, shared by every backend (the pure-Java reference defines it):
 * <ul>
 * <li>{@code logSoftmax}: y[r,j] = x[r,j] - log(sum_k exp(x[r,k])), computed with the row max
 *     subtracted. Backward: dx[r,j] += dy[r,j] - exp(y[r,j]) * sum_k dy[r,k].</li>
 * <li>{@code softmaxCrossEntropy}: labels are int32 (rows); probs[r,:] = softmax(logits[r,:]);
 *     loss[r] = -log softmax(logits[r,:])[labels[r]] (from the log-sum-exp, not log of probs).
 *     Backward: dLogits[r,j] += (probs[r,j] - [j == labels[r]]) * dLoss[r].</li>
 * <li>{@code gatherRows}: ids int32 (count); out[i,:] = table[ids[i],:] (width columns).
 *     Backward: dTable[ids[i],:] += dOut[i,:].</li>
 * <li>{@code dropoutMask}: mask[i] = (u(seed, i) &lt; keep) ? 1/keep : 0 with
 *     u(seed, i) = (splitmix64(seed + i * 0x9E3779B97F4A7C15) &gt;&gt;&gt; 40) / 2^24, so every backend
 *     draws the same mask (see {@link org.nasengine.backend.DropoutHash}).</li>
 * <li>{@code lstmCell}: gates (n, 4*hidden) pre-activations laid out [i | f | g | o] per row;
 *     c = sigmoid(f) * cPrev + sigmoid(i) * tanh(g); h = sigmoid(o) * tanh(c). Backward takes dh and
 *     dc (either may be null for zero) and adds into dGates (n, 4*hidden) and dcPrev (n, hidden).</li>
 * <li>{@code sumInto}: dst[sum_d i[d]*aStrides[d]] += src[i] over {@code shape}; bStrides unused.</li>
 * <li>{@code scale}: x *= factor. {@code sumOfSquares}: sum of x[i]^2 in double.</li>
 * <li>{@code gemm} with beta = 1 accumulates into C; beta = 0 overwrites (C may hold garbage).</li>
 * </ul>
 */
package org.nasengine.backend;
