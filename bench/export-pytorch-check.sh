#!/usr/bin/env bash
# Issue 16's PyTorch check: a network trained by nas-engine, saved (train --save), evaluated again
# from the file (train --load --epochs 0), exported (export --format pytorch) and run by Debian's
# python3-torch on the raw test images (pixels / 255, the normalization being inside the module):
# the two test accuracies must agree to the 4th digit. Also exports ONNX beside it.
# Usage: bench/export-pytorch-check.sh [fashion-mnist|cifar10] [ARCH.json]
#   (defaults: fashion-mnist and a small 3-layer macro CNN; 2,000 training images, 1 epoch: minutes on 2 cores)
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME_25:-/usr/lib/jvm/temurin-25-jdk-amd64}
dataset=${1:-fashion-mnist}
py=/usr/bin/python3
"$py" -c 'import torch' 2>/dev/null || { echo "error: $py cannot import torch; run: apt-get install -y python3-torch" >&2; exit 1; }
[ -f java/target/nas-engine.jar ] || mvn -B -q package -DskipTests
out=bench/results/export-pytorch
mkdir -p "$out"
arch=${2:-$out/small.json}
if [ -z "${2:-}" ]; then
  cat > "$arch" <<'JSON'
{
  "space": "macro-cnn",
  "layers": [
    {"kh": 3, "kw": 3, "filters": 16, "stride": 1, "inputs": []},
    {"kh": 3, "kw": 3, "filters": 24, "stride": 2, "inputs": [0]},
    {"kh": 5, "kw": 3, "filters": 24, "stride": 1, "inputs": [0, 1]}
  ]
}
JSON
fi
case "$dataset" in
  fashion-mnist) data_dir=/usr/share/datasets/fashion-mnist ;;
  cifar10) data_dir=$(cd ../shared/data/cifar10 2>/dev/null && pwd || cd shared/data/cifar10 && pwd) ;;
  *) echo "error: dataset '$dataset' is not fashion-mnist or cifar10" >&2; exit 2 ;;
esac
nas() { "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -jar java/target/nas-engine.jar "$@"; }

nas train --arch "$arch" --dataset "$dataset" --data-dir "$data_dir" --epochs 1 --train-subset 2000 --batch 64 \
  --save "$out/net.safetensors" | tail -1 > "$out/train.json"
nas train --arch "$arch" --dataset "$dataset" --data-dir "$data_dir" --epochs 0 --batch 64 \
  --load "$out/net.safetensors" | tail -1 > "$out/reload.json"
nas export --arch "$arch" --weights "$out/net.safetensors" --format pytorch --out "$out/model.py"
nas export --arch "$arch" --weights "$out/net.safetensors" --format onnx --out "$out/model.onnx"

ours=$("$py" -c 'import json,sys; print(json.load(open(sys.argv[1]))["test_accuracy"])' "$out/train.json")
reloaded=$("$py" -c 'import json,sys; print(json.load(open(sys.argv[1]))["test_accuracy"])' "$out/reload.json")
theirs=$("$py" bench/export_pytorch_check.py "$out/model.py" "$out/net.safetensors" "$dataset" "$data_dir")
printf 'test accuracy: nas-engine %.4f, reloaded from the file %.4f, PyTorch module %.4f\n' "$ours" "$reloaded" "$theirs"
same=$("$py" -c 'import sys; a,b,c=(round(float(x),4) for x in sys.argv[1:]); print(int(a==b==c))' "$ours" "$reloaded" "$theirs")
[ "$same" = 1 ] && echo "agree to the 4th digit" || { echo "MISMATCH" >&2; exit 1; }
