#!/usr/bin/env bash
# The CUDA backend's check on a lent GPU machine (H100/H200, CUDA 13 driver and toolkit, PyTorch;
# no Java, no Maven, likely no cuBLAS 12), in ONE call:
#   1. the CUDA test classes against the reference (conformance suite, both GEMM paths),
#   2. square fp32 GEMM at 1024/2048/4096, ours (kernel, and cuBLAS when it loads) vs PyTorch
#      matmul with TF32 off and on,
#   3. a training step of ref-cnn-a (batch 128) and ref-cnn-b (batch 64) on our CUDA backend, and
#      ref-cnn-b's PyTorch twin (bench/torch_refcnn_step.py) when PyTorch has CUDA,
#   4. a summary table, last, always: every step runs under its own cap (tests 200 s, GEMM 75 s
#      each, training steps 30 s each) and all of them under one deadline (GPU_CHECK_SECONDS,
#      default 400 s), so the table prints even when a step hangs.
#
# Prepare on a build machine (JDK 25, Maven, nvcc so that the kernels are in the classes):
#   mvn -q -o package -DskipTests && mvn -q -o test-compile -pl java
#   bash bench/make-jre.sh                              # .jre/: runtime tarball, jars, architectures
# then run this with those carried (about 47 MiB; the device tool carries at most 64 MiB), e.g.
#   command "bash bench/gpu-check.sh", carry [".jre", "java/target/classes",
#   "java/target/test-classes", "bench/target/classes"], timeout_s 480.
# The kernels travel inside java/target/classes (native/linux-x86_64/nasengine_kernels.fatbin).
# Logs go to $OUT (the device tool's folder) when set, else out/gpu-check/: six files (tests.log,
# junit-jupiter.xml, gemm.log, steps.log, notes.txt, summary.txt), since the tool returns at most 8.
set -uo pipefail   # no -e: a failing step must not cost the summary

# A machine-wide TF32 override would turn every "fp32" product (cuBLAS's, PyTorch's) into TF32.
unset NVIDIA_TF32_OVERRIDE
export PYTHONUNBUFFERED=1   # a Python step stopped at its cap still leaves what it printed

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
logs=${OUT:-$root/out/gpu-check}
mkdir -p "$logs"
: >"$logs/notes.txt"
: >"$logs/gemm.log"
: >"$logs/steps.log"
sizes=(1024 2048 4096)
deadline=$((SECONDS + ${GPU_CHECK_SECONDS:-400}))
reserve=10   # seconds kept for the summary

step() { printf '\n== %s\n' "$*"; }
die() { echo "gpu-check: $*" >&2; exit 2; }
note() { echo "gpu-check: $*" | tee -a "$logs/notes.txt"; }
# failed WHAT RC: notes a step that failed by itself (capped has noted the ones it stopped or skipped)
failed() { (($2 == 124 || $2 == 137)) || note "$1 failed (rc $2)"; }

# capped NAME CAP CMD...: CMD under a timeout of CAP seconds, or of what is left before the
# deadline if less; a step with under 5 s left is skipped. Returns CMD's status (124: timed out).
capped() {
  local name=$1 cap=$2
  shift 2
  local left=$((deadline - SECONDS - reserve))
  ((left < cap)) && cap=$left
  if ((cap < 5)); then
    note "$name skipped: the ${GPU_CHECK_SECONDS:-400} s deadline is reached"
    return 124
  fi
  timeout --kill-after=5 "$cap" "$@"
  local rc=$?
  ((rc == 124 || rc == 137)) && note "$name stopped after $cap s (its cap)"
  return "$rc"
}

step "machine"
if command -v nvidia-smi >/dev/null; then
  timeout 20 nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || echo "nvidia-smi failed"
else
  echo "no nvidia-smi on PATH"
fi
if command -v nvcc >/dev/null; then nvcc --version | tail -n 1; fi

step "carried files"
fatbin=java/target/classes/native/linux-x86_64/nasengine_kernels.fatbin
[[ -f .jre/jre.tar.gz ]] || die ".jre/jre.tar.gz missing: run bench/make-jre.sh on the build machine and carry .jre"
compgen -G ".jre/lib/jcuda-natives-*.jar" >/dev/null || die ".jre/lib has no JCuda jars: rerun bench/make-jre.sh"
launcher=$(compgen -G ".jre/lib/junit-platform-console-standalone-*.jar" | head -n 1) ||
  die ".jre/lib has no JUnit console launcher: rerun bench/make-jre.sh"
[[ -f java/target/classes/org/nasengine/backend/cuda/CudaBackend.class ]] ||
  die "java/target/classes missing: build with mvn (package) and carry it"
[[ -f $fatbin ]] || die "no nasengine_kernels.fatbin in java/target/classes: the build machine had no nvcc"
[[ -f java/target/test-classes/org/nasengine/backend/cuda/CudaBackendTest.class ]] ||
  die "java/target/test-classes missing: run mvn test-compile and carry it"
echo "ok: runtime, jars, classes, test classes, kernels"
if command -v cuobjdump >/dev/null; then
  echo "kernels: $(timeout 20 cuobjdump --list-elf "$fatbin" 2>&1 | grep -o 'sm_[0-9]*' | sort -u | paste -sd' ')"
fi
du -ch .jre java/target/classes java/target/test-classes bench/target/classes 2>/dev/null | tail -n 1

step "java runtime"
jre_parent=$(mktemp -d /tmp/nas-jre.XXXXXX)
tar -C "$jre_parent" -xzf .jre/jre.tar.gz || die "cannot unpack .jre/jre.tar.gz"
export JAVA_HOME="$jre_parent/jre"
export PATH="$JAVA_HOME/bin:$PATH"
java -version 2>&1 | head -n 1

step "cuBLAS"
# JCublas2 links libcublas.so.12. A CUDA 13 machine usually lacks it, but PyTorch's CUDA 12
# wheels bring their own (site-packages/nvidia/cublas/lib); the JVM finds it through
# LD_LIBRARY_PATH, which must be set before the JVM starts.
system_cublas=$(ldconfig -p 2>/dev/null | grep -i cublas || true)
echo "${system_cublas:-ldconfig lists no cuBLAS}"
cublas_dir=""
if ! grep -q 'libcublas\.so\.12 ' <<<"$system_cublas"; then
  candidates=$(timeout 30 python3 - <<'EOF' 2>/dev/null || true
import glob, os, site, sys
bases = list(site.getsitepackages()) + [site.getusersitepackages(), os.path.join(sys.prefix, "lib")]
for base in bases:
    for d in glob.glob(os.path.join(base, "nvidia", "cublas", "lib")) + [os.path.join(base, "torch", "lib"), base]:
        if os.path.isdir(d):
            print(d)
EOF
  )
  for d in $candidates /usr/local/cuda*/lib64 /usr/local/cuda*/targets/x86_64-linux/lib /opt/conda/lib; do
    if [[ -f "$d/libcublas.so.12" ]]; then cublas_dir=$d; break; fi
  done
  if [[ -n "$cublas_dir" ]]; then
    export LD_LIBRARY_PATH="$cublas_dir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
    echo "using $cublas_dir/libcublas.so.12 (LD_LIBRARY_PATH)"
  else
    echo "no libcublas.so.12 anywhere: the cuBLAS tests skip and our GEMM kernel is used"
  fi
fi

step "PyTorch"
if timeout 60 python3 -c 'import torch; assert torch.cuda.is_available()' 2>/dev/null; then
  torch_cuda=1
  echo "PyTorch with CUDA: the GEMM and training step comparisons run"
else
  torch_cuda=0
  note "no PyTorch with CUDA here: the PyTorch comparisons are skipped"
fi

jars=""
for jar in .jre/lib/*.jar; do
  [[ "$jar" == *console-standalone* ]] || jars="$jars:$jar"
done
cp="java/target/classes:java/target/test-classes$jars"
jvm=(java --enable-native-access=ALL-UNNAMED -Xmx8g)

step "tests (CUDA backend vs the reference; -Dnasengine.cuda.sync=true pins faults to their op)"
capped tests 200 "${jvm[@]}" -Dnasengine.cuda.sync=true -jar "$launcher" execute \
  --class-path "$cp" --disable-banner --disable-ansi-colors --details=tree --reports-dir "$jre_parent/junit" \
  --select-class org.nasengine.backend.cuda.CudaAvailabilityTest \
  --select-class org.nasengine.backend.cuda.CudaBackendTest \
  --select-class org.nasengine.backend.cuda.CudaOwnGemmTest \
  --select-class org.nasengine.backend.cuda.CudaCublasGemmTest \
  >"$logs/tests.log" 2>&1
tests_rc=$?
cat "$logs/tests.log"
cp "$jre_parent/junit/TEST-junit-jupiter.xml" "$logs/junit-jupiter.xml" 2>/dev/null || true

step "GEMM: ours"
capped "GEMM (ours)" 75 "${jvm[@]}" -cp "$cp" org.nasengine.backend.cuda.CudaGemmBenchmark "${sizes[@]}" \
  2>&1 | tee -a "$logs/gemm.log" || failed "our GEMM benchmark" "${PIPESTATUS[0]}"

step "GEMM: PyTorch"
if ((torch_cuda)); then
  capped "GEMM (PyTorch)" 75 python3 bench/torch_gemm.py "${sizes[@]}" \
    2>&1 | tee -a "$logs/gemm.log" || failed "the PyTorch GEMM benchmark" "${PIPESTATUS[0]}"
fi

step "training step: ours"
if [[ -f bench/target/classes/org/nasengine/bench/TrainStepRate.class && -d .jre/arch ]]; then
  for arch in ref-cnn-a ref-cnn-b; do
    capped "training step $arch (ours)" 30 "${jvm[@]}" -Dnasengine.arch.dir=.jre/arch \
      -cp "java/target/classes:bench/target/classes$jars" org.nasengine.bench.TrainStepRate cuda "$arch" \
      2>&1 | tee -a "$logs/steps.log" || failed "our $arch training step" "${PIPESTATUS[0]}"
  done
else
  note "no bench/target/classes or .jre/arch carried: our training steps are skipped"
fi

step "training step: PyTorch twin"
if ((torch_cuda)); then
  capped "training step ref-cnn-b (PyTorch)" 30 python3 bench/torch_refcnn_step.py .jre/arch/ref-cnn-b.json 64 \
    2>&1 | tee -a "$logs/steps.log" || failed "the PyTorch training step" "${PIPESTATUS[0]}"
fi

step "summary"
counts=$(grep -E 'tests (successful|failed|aborted|skipped)' "$logs/tests.log" | tr -s ' []' ' ' | paste -sd, -)
echo "tests:${counts:- no counts (see tests.log)} (exit $tests_rc)"
grep -h '^SKIP' "$logs/gemm.log" "$logs/steps.log" || true
cat "$logs/notes.txt"
# RESULT gemm_fp32 <label> <n> <ms> ms <tflops> TFLOP/s  ->  one row per size, TFLOP/s (ms)
awk '
  $1 == "RESULT" { v[$3 "," $4] = sprintf("%6.2f (%7.3f ms)", $7, $5); n[$4] = 1 }
  END {
    split("ours-kernel ours-cublas torch-fp32 torch-tf32", cols, " ")
    printf "%-6s", "n"
    for (c = 1; c <= 4; c++) printf " | %-19s", cols[c]
    printf " | kernel/torch-fp32\n"
    for (s in n) sizes[++k] = s + 0
    for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (sizes[j] < sizes[i]) { t = sizes[i]; sizes[i] = sizes[j]; sizes[j] = t }
    for (i = 1; i <= k; i++) {
      printf "%-6d", sizes[i]
      for (c = 1; c <= 4; c++) { key = cols[c] "," sizes[i]; printf " | %-19s", (key in v) ? v[key] : "-" }
      ours = v["ours-kernel," sizes[i]]; torch = v["torch-fp32," sizes[i]]
      if (ours != "" && torch != "") printf " | %.2f\n", (ours + 0) / (torch + 0); else printf " | -\n"
    }
    if (k == 0) print "(no GEMM results)"
  }' "$logs/gemm.log" | tee "$logs/summary.txt"
echo "(TFLOP/s, ms per product in parentheses)"
echo
# RESULT train_step <arch> <backend> <batch> <ms> ms <images/s> images/s ...  ->  one row per architecture
awk '
  $1 == "RESULT" { v[$3 "," $4] = sprintf("%8.1f (%7.2f ms)", $8, $6); ips[$3 "," $4] = $8; b[$3] = $5 }
  END {
    printf "%-10s | %-5s | %-21s | %-21s | ours/torch\n", "train step", "batch", "ours-cuda images/s", "torch images/s"
    split("ref-cnn-a ref-cnn-b", archs, " ")
    for (i = 1; i <= 2; i++) {
      a = archs[i]; o = a ",cuda"; t = a ",torch"
      printf "%-10s | %-5s | %-21s | %-21s | %s\n", a, (a in b) ? b[a] : "-", (o in v) ? v[o] : "-", (t in v) ? v[t] : "-",
        (o in ips && t in ips && ips[t] > 0) ? sprintf("%.2f", ips[o] / ips[t]) : "-"
    }
  }' "$logs/steps.log" | tee -a "$logs/summary.txt"
echo "(images/s, ms per step in parentheses; fp32; logs in $logs, $((SECONDS)) s in all)"
exit "$tests_rc"
