#!/usr/bin/env bash
# Installs what netlens needs and is missing: Debian packages (apt) and the web
# tool chain (npm ci from the committed package-lock.json). Idempotent: a second
# run installs nothing and takes about a second.
#
#   scripts/bootstrap.sh           packages to build, run and test, MNIST and Fashion-MNIST
#   scripts/bootstrap.sh bench     also the benchmark peer's threaded OpenBLAS (PyTorch is a test package)
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  g++ cmake make pkg-config
  libboost-dev nlohmann-json3-dev libcli11-dev libopenblas-dev
  libpng-dev libgif-dev zlib1g-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  imagemagick ffmpeg  # render writes MP4s with ffmpeg; tests decode exports with identify and ffprobe
  chromium
  dataset-fashion-mnist
  clang-14 libfuzzer-14-dev  # make fuzz: libFuzzer targets, built with clang
  libonnx-dev libprotobuf-dev  # ONNX import and export (libonnx's generated onnx_proto)
  python3-onnx python3-torch libonnx-testdata  # ONNX tests: the checker, torch.onnx.export, the backend test models
  emscripten  # make static: the engine compiled to WebAssembly for the in-page build
)
# Node.js 20.19 or newer (for Vite): the machine's own when it has one (it may come from
# another source whose nodejs conflicts with Debian's npm), else Debian's.
command -v node >/dev/null && command -v npm >/dev/null || packages+=(nodejs npm)
if [[ "${1:-}" == bench ]]; then
  packages+=(libopenblas0-pthread)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "bootstrap: installing ${missing[*]}"
  sudo=""
  [[ $(id -u) -eq 0 ]] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# npm ci only when the lock file changed since the last install.
stamp=node_modules/.bootstrap-lock
if [[ ! -f $stamp ]] || ! cmp -s package-lock.json "$stamp"; then
  echo "bootstrap: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json "$stamp"
fi

scripts/fetch_mnist.sh
