#!/usr/bin/env bash
# Packs what scripts/gpu-machine/run.sh needs on a lent GPU machine, which has no npm, no network and
# no Node: into .gpubench/ (git-ignored; carry it): this Node binary, the bundles of bench:gpu-node and
# bench:threads-node with Dawn for Linux, the NCF splits of ml-100k and ml-1m, and the Vulkan loader
# (Dawn talks to the GPU through Vulkan; NVIDIA's Vulkan driver also needs libglvnd). About 33 MB.
# The Node binary is carried as it is, so it must need nothing beyond glibc and libstdc++ (the official
# and NodeSource builds do; Debian's own links libnode and more: check with ldd).
#
#   scripts/gpu-machine/pack.sh [data folder, default ../shared/data]
set -euo pipefail
cd "$(dirname "$0")/../.."
data=${1:-../shared/data}
out=.gpubench
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$out" "$stage/splits"
node scripts/bench-gpu-node.mjs --pack "$stage/pack" >/dev/null
cp "$data"/ncf-splits/ml-100k.* "$data"/ncf-ml-1m/ml-1m.{train.rating,test.rating,test.negative} "$stage/splits/"
tar -C "$stage" -cJf "$out/bench.tar.xz" pack splits
[ "$out/node.xz" -nt "$(command -v node)" ] || xz -T0 -6 -c "$(command -v node)" >"$out/node.xz"
rm -f "$out"/*.deb
(cd "$out" && apt-get download libvulkan1 libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2) ||
  { echo "apt-get could not download the Vulkan loader: run apt-get update first" >&2; exit 1; }
du -sh "$out"/*
