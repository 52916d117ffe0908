#!/usr/bin/env bash
# Training-step time and peak memory of macro children against batch size, filter count, depth
# and skip connections (org.nasengine.bench.CostSweep): bench/cost-{batch,filters,depth,skips}.png
# and a markdown table on stdout. About a minute on 2 cores. SKIP_BUILD=1 reuses the built jar.
#   bench/cost-sweep.sh [THREADS]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export JAVA_HOME=${NAS_JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}
export PATH="$JAVA_HOME/bin:$PATH"
cd "$root"
[[ "${SKIP_BUILD:-0}" == 1 ]] || mvn -q package -pl java,bench -am -DskipTests ${MVN_FLAGS:-}
echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; $(date)"
echo "OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-unset (OpenBLAS picks its kernels)}"
java --enable-native-access=ALL-UNNAMED -Xmx4g -cp bench/target/benchmarks.jar org.nasengine.bench.CostSweep bench "${1:-2}"
