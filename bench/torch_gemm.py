#!/usr/bin/env python3
"""Square fp32 matmul throughput of PyTorch on the GPU, TF32 off and on, the yardstick for our
GEMM in bench/gpu-check.sh. Prints lines in CudaGemmBenchmark's format:
  RESULT gemm_fp32 torch-fp32 4096 2.345 ms 58.61 TFLOP/s
Usage: torch_gemm.py [sizes...] (default 1024 2048 4096)."""
import sys

try:
    import torch
except ImportError as e:
    print(f"SKIP gemm_fp32 torch: PyTorch not importable ({e})")
    sys.exit(0)


def time_square(n: int) -> float:
    """Milliseconds per n x n x n product, after warm-up, over at least 0.5 s or 5 repetitions."""
    g = torch.Generator(device="cuda").manual_seed(n)
    a = torch.rand(n, n, device="cuda", generator=g) - 0.5
    b = torch.rand(n, n, device="cuda", generator=g) - 0.5
    for _ in range(3):
        torch.matmul(a, b)
    torch.cuda.synchronize()
    start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    reps, elapsed = 0, 0.0
    start.record()
    while elapsed < 500.0 and reps < 200:
        for _ in range(5):
            torch.matmul(a, b)
        reps += 5
        end.record()
        end.synchronize()
        elapsed = start.elapsed_time(end)
    return elapsed / reps


def main() -> None:
    if not torch.cuda.is_available():
        print("SKIP gemm_fp32 torch: torch.cuda.is_available() is False")
        return
    sizes = [int(s) for s in sys.argv[1:]] or [1024, 2048, 4096]
    print(f"torch {torch.__version__}, CUDA {torch.version.cuda}, {torch.cuda.get_device_name(0)}")
    for tf32 in (False, True):
        torch.backends.cuda.matmul.allow_tf32 = tf32
        label = "torch-tf32" if tf32 else "torch-fp32"
        for n in sizes:
            ms = time_square(n)
            print(f"RESULT gemm_fp32 {label} {n} {ms:.3f} ms {2.0 * n ** 3 / (ms * 1e-3) / 1e12:.2f} TFLOP/s")


if __name__ == "__main__":
    main()
