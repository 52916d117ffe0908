#!/usr/bin/env bash
# The CUDA backend's check on a lent GPU machine (H100/H200, CUDA 13 driver and toolkit, PyTorch;
# no Java, no Maven, likely no cuBLAS 12), in ONE call:
#   1. the CUDA test classes against the reference (conformance suite, both GEMM paths),
#   2. square fp32 GEMM at 1024/2048/4096, ours (kernel, and cuBLAS when it loads) vs PyTorch
#      matmul with TF32 off and on,
#   3. a short table, last.
#
# Prepare on a build machine (JDK 25, Maven, nvcc so that the kernels are in the classes):
#   bash bench/make-jre.sh                              # .jre/: runtime tarball + jars
#   mvn -q -o package -pl java -DskipTests && mvn -q -o test-compile -pl java
# then run this with those carried, e.g. through the device tool:
#   command "bash bench/gpu-check.sh", carry [".jre", "java/target/classes", "java/target/test-classes"],
#   timeout_s 540 (the steps below are capped at 300 + 120 + 120 s).
# Logs go to $OUT (the device tool's folder) when set, else out/gpu-check/.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
logs=${OUT:-$root/out/gpu-check}
mkdir -p "$logs"
sizes=(1024 2048 4096)

step() { printf '\n== %s\n' "$*"; }
die() { echo "gpu-check: $*" >&2; exit 2; }

step "machine"
if command -v nvidia-smi >/dev/null; then
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || echo "nvidia-smi failed"
else
  echo "no nvidia-smi on PATH"
fi
if command -v nvcc >/dev/null; then nvcc --version | tail -n 1; fi

step "carried files"
[[ -f .jre/jre.tar.gz ]] || die ".jre/jre.tar.gz missing: run bench/make-jre.sh on the build machine and carry .jre"
compgen -G ".jre/lib/jcuda-natives-*.jar" >/dev/null || die ".jre/lib has no JCuda jars: rerun bench/make-jre.sh"
launcher=$(compgen -G ".jre/lib/junit-platform-console-standalone-*.jar" | head -n 1) ||
  die ".jre/lib has no JUnit console launcher: rerun bench/make-jre.sh"
[[ -f java/target/classes/org/nasengine/backend/cuda/CudaBackend.class ]] ||
  die "java/target/classes missing: build with mvn (package) and carry it"
[[ -f java/target/classes/native/linux-x86_64/nasengine_kernels.fatbin ]] ||
  die "no nasengine_kernels.fatbin in java/target/classes: the build machine had no nvcc"
[[ -f java/target/test-classes/org/nasengine/backend/cuda/CudaBackendTest.class ]] ||
  die "java/target/test-classes missing: run mvn test-compile and carry it"
echo "ok: runtime, jars, classes, test classes, kernels"

step "java runtime"
jre_parent=$(mktemp -d /tmp/nas-jre.XXXXXX)
tar -C "$jre_parent" -xzf .jre/jre.tar.gz
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

cp="java/target/classes:java/target/test-classes"
for jar in .jre/lib/*.jar; do
  [[ "$jar" == *console-standalone* ]] || cp="$cp:$jar"
done
jvm=(java --enable-native-access=ALL-UNNAMED -Xmx8g)

step "tests (CUDA backend vs the reference; -Dnasengine.cuda.sync=true pins faults to their op)"
set +e
timeout 300 "${jvm[@]}" -Dnasengine.cuda.sync=true -jar "$launcher" execute \
  --class-path "$cp" --disable-banner --disable-ansi-colors --details=tree \
  --select-class org.nasengine.backend.cuda.CudaAvailabilityTest \
  --select-class org.nasengine.backend.cuda.CudaBackendTest \
  --select-class org.nasengine.backend.cuda.CudaOwnGemmTest \
  --select-class org.nasengine.backend.cuda.CudaCublasGemmTest \
  >"$logs/tests.log" 2>&1
tests_rc=$?
set -e
cat "$logs/tests.log"
[[ $tests_rc -eq 124 ]] && echo "gpu-check: the tests ran past 300 s and were stopped"

step "GEMM: ours"
timeout 120 "${jvm[@]}" -cp "$cp" org.nasengine.backend.cuda.CudaGemmBenchmark "${sizes[@]}" \
  2>&1 | tee "$logs/gemm-ours.log" || echo "gpu-check: our GEMM benchmark failed (rc ${PIPESTATUS[0]})"

step "GEMM: PyTorch"
timeout 120 python3 bench/torch_gemm.py "${sizes[@]}" \
  2>&1 | tee "$logs/gemm-torch.log" || echo "gpu-check: the PyTorch benchmark failed (rc ${PIPESTATUS[0]})"

step "summary"
echo "tests: $(grep -E 'tests (successful|failed|aborted|skipped)' "$logs/tests.log" | tr -s ' []' ' ' | paste -sd, -) (exit $tests_rc)"
grep -h '^SKIP' "$logs/gemm-ours.log" "$logs/gemm-torch.log" 2>/dev/null || true
# RESULT gemm_fp32 <label> <n> <ms> ms <tflops> TFLOP/s  ->  one row per size, TFLOP/s (ms)
cat "$logs"/gemm-*.log 2>/dev/null | awk '
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
  }' | tee "$logs/summary.txt"
echo "(TFLOP/s, ms per product in parentheses; logs in $logs)"
exit "$tests_rc"
