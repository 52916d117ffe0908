#!/usr/bin/env bash
# Ours against PyTorch (through DJL) on one macro-cnn child: alternate runs A B A B ..., each its
# own JVM, the same data, batch, optimizer and thread count; prints per-pair images/s, the ratio
# ours/peer, its median and spread, and both peak RSS figures.
#
#   bench/compare.sh ARCH [BATCH] [PAIRS]
#     ARCH   a reference name (ref-cnn-a, ref-cnn-b, ref-nasnet-a) or a macro-cnn or nasnet file
#     BATCH  default 128; PAIRS default 3
#   env: THREADS (2), STEPS timed steps a run (10), WARMUP (3), DATASET (fashion-mnist;
#        cifar10 for ref-cnn-b and nasnet, whose reference input is 3x32x32), BUILD=1 to rebuild first
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export JAVA_HOME=${NAS_JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}
export PATH="$JAVA_HOME/bin:$PATH"
cd "$root"

[[ $# -ge 1 ]] || { sed -n '2,12p' "$0"; exit 2; }
arch=$1; batch=${2:-128}; pairs=${3:-3}
if [[ ! -f "$arch" ]]; then
  for d in . .. ../..; do
    [[ -f "$d/shared/spec/arch/$arch.json" ]] && { arch="$d/shared/spec/arch/$arch.json"; break; }
  done
fi
[[ -f "$arch" ]] || { echo "compare: no architecture file or reference named '$1'" >&2; exit 2; }
case "$arch" in *ref-cnn-b*|*nasnet*) default_ds=cifar10 ;; *) default_ds=fashion-mnist ;; esac

jar=bench/peer/target/nas-engine-peer-0.1.0-SNAPSHOT.jar
if [[ "${BUILD:-0}" == 1 || ! -f "$jar" ]]; then
  mvn -q -Ppeer package -pl java,bench/peer -am -DskipTests ${MVN_FLAGS:-}
fi

echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; $(date)"
echo "command: bench/compare.sh $*"
echo "OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-unset (OpenBLAS picks its kernels)}"
java --enable-native-access=ALL-UNNAMED -Xmx512m -cp "$jar:bench/peer/target/lib/*" org.nasengine.bench.peer.Compare \
  --arch "$arch" --batch "$batch" --pairs "$pairs" --threads "${THREADS:-2}" --steps "${STEPS:-10}" \
  --warmup "${WARMUP:-3}" --dataset "${DATASET:-$default_ds}"
