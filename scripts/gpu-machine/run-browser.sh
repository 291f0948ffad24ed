#!/usr/bin/env bash
# Runs the app's backend probe and bench in Chromium on a lent GPU machine, over what
# scripts/gpu-machine/pack-browser.sh put in .gpubrowser/ (two parts, carried by two calls on one warm machine):
#
#   run-browser.sh first           call 1, carrying .gpubrowser/1: unpacks Chromium and the libraries the machine lacks
#   run-browser.sh [stage ...]     call 2, carrying .gpubrowser/2, within 30 s of call 1 (stages: info probe
#                                  bench-webgl bench-auto bench-webgpu bench-auto-b8192 bench-auto-b32768
#                                  bench-ml-1m-auto bench-ml-1m-auto-b8192 bench-ml-1m-webgpu-b8192; none: all)
#
# info launches Chromium with each set of GPU flags below and prints the WebGL renderer and WebGPU adapter it
# got; the later stages use the first set whose WebGL runs on the NVIDIA GPU (or, failing that, whose WebGPU
# does). probe: scripts/probe-backends.mjs's page (each trainer's samples/s at three batch sizes on NCF
# ml-1m's shape, and what the automatic choice picks). bench-*: `npm run bench`'s page on NCF ml-100k,
# seed 2017, with the automatic choice (every epoch) and tfjs WebGL and WebGPU forced (their first epochs).
# JSON lines on stdout; each stage's browser log in $OUT/<stage>.err. docs/BENCHMARKS.md has the figures.
set -u
cd "$(dirname "$0")/../.."
chrome=/tmp/reel-chrome
out=${OUT:-/tmp/reel-chrome-out}
mkdir -p "$out"

if [ "${1:-}" = first ]; then
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
  echo "cpu: $(nproc) × $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2); $(grep PRETTY_NAME /etc/os-release)"
  rm -rf "$chrome" && mkdir -p "$chrome/lib"
  xz -dc .gpubrowser/1/chromium-headless-shell.xz >"$chrome/chromium-headless-shell" && chmod +x "$chrome/chromium-headless-shell"
  tar -C "$chrome/lib" -xJf .gpubrowser/1/libs.tar.xz
  # The Vulkan loader and GL dispatch, as run.sh installs them.
  for deb in .gpubrowser/1/*.deb; do dpkg -x "$deb" /; done
  ldconfig
  # A library the machine has is the machine's (newer, and built for it); the carried one stays only where it lacks one.
  for lib in "$chrome"/lib/*; do
    ldconfig -p | grep -qF "	$(basename "$lib") (" && rm "$lib"
  done
  echo "carried libraries this machine lacks: $(ls "$chrome/lib" | tr '\n' ' ')"
  LD_LIBRARY_PATH="$chrome/lib" ldd "$chrome/chromium-headless-shell" | grep 'not found' || echo 'every library found'
  exit 0
fi

if [ ! -x "$chrome/chromium-headless-shell" ]; then
  echo "no Chromium in $chrome: this is a fresh machine (the first call's went back); run 'run-browser.sh first' again"
  exit 3
fi
only=("$@")
tar -C "$chrome" -xJf .gpubrowser/2/chromium-rest.tar.xz
rm -rf "$chrome/web" && mkdir -p "$chrome/web" && tar -C "$chrome/web" -xJf .gpubrowser/2/web.tar.xz
export LD_LIBRARY_PATH="$chrome/lib" LANG=en_US.UTF-8
for icd in /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json /usr/share/vulkan/icd.d/nvidia_icd.json /etc/vulkan/icd.d/nvidia_icd.json; do
  [ -f "$icd" ] && export VK_DRIVER_FILES=$icd && break
done
for egl in /usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json /usr/share/glvnd/egl_vendor.d/10_nvidia.json; do
  [ -f "$egl" ] && export __EGL_VENDOR_LIBRARY_FILENAMES=$egl && break
done
echo "VK_DRIVER_FILES=${VK_DRIVER_FILES:-unset} __EGL_VENDOR_LIBRARY_FILENAMES=${__EGL_VENDOR_LIBRARY_FILENAMES:-unset}"

browser_bench() { # seconds flags mode args...: the driver, which closes Chromium when `timeout` stops it
  local seconds=$1 flags=$2
  shift 2
  local flag_args=()
  for f in $flags; do flag_args+=("--flag=$f"); done
  timeout "$seconds" python3 scripts/gpu-machine/browser_bench.py --chrome "$chrome/chromium-headless-shell" \
    --args-json "$chrome/web/chromium-args.json" "${flag_args[@]}" --timeout "$((seconds - 10))" "$@"
}
stage() { # name seconds flags mode args...
  local name=$1
  if [ ${#only[@]} -gt 0 ] && [[ ! " ${only[*]} " == *" $name "* ]]; then return; fi
  shift
  echo "== $name (at most ${1}s, $(date +%T))"
  browser_bench "$@" 2>"$out/$name.err"
  echo "== $name: exit $?"
}

# Ways to give headless Chromium the GPU: ANGLE on Vulkan (the way Chrome's own docs run WebGPU and WebGL tests on
# Linux GPU servers), ANGLE on the driver's EGL, and Chromium's defaults (which fall back to SwiftShader).
flag_sets=(
  "--enable-unsafe-webgpu --ignore-gpu-blocklist --use-angle=vulkan --enable-features=Vulkan --disable-vulkan-surface"
  "--enable-unsafe-webgpu --ignore-gpu-blocklist --use-gl=angle --use-angle=gl-egl --enable-features=Vulkan"
  "--enable-unsafe-webgpu --ignore-gpu-blocklist --enable-unsafe-swiftshader"
)
chosen="" fallback=""
for flags in "${flag_sets[@]}"; do
  echo "== info: $flags"
  line=$(browser_bench 30 "$flags" info --site "$chrome/web/probe" 2>>"$out/info.err")
  echo "$line"
  if [ -z "$chosen" ] && grep -qi '"webgl": "[^"]*nvidia' <<<"$line"; then chosen=$flags; fi
  if [ -z "$fallback" ] && grep -qi '"vendor": "nvidia' <<<"$line"; then fallback=$flags; fi
done
# REEL_BROWSER_FLAGS: a set to use whatever info found (a rerun with other flags, or a try on a machine without the GPU).
chosen=${REEL_BROWSER_FLAGS:-${chosen:-$fallback}}
if [ -z "$chosen" ]; then
  echo "== no set of flags gave Chromium the NVIDIA GPU: see $out/info.err"
  exit 4
fi
echo "== using: $chosen"

stage probe 150 "$chosen" probe --site "$chrome/web/probe" --backends auto,fused,webgl,webgpu --batches 1024,8192,32768 --ms 1500
stage bench-webgl 180 "$chosen" bench --site "$chrome/web/bench" --ncf "$chrome/web/splits/ml-100k" --seed 2017 --backend webgl --epochs 2
stage bench-auto 100 "$chosen" bench --site "$chrome/web/bench" --ncf "$chrome/web/splits/ml-100k" --seed 2017
stage bench-webgpu 110 "$chosen" bench --site "$chrome/web/bench" --ncf "$chrome/web/splits/ml-100k" --seed 2017 --backend webgpu --epochs 1
# The automatic choice at larger batches, where a GPU step costs about what a small one does (3 epochs each).
stage bench-auto-b8192 60 "$chosen" bench --site "$chrome/web/bench" --ncf "$chrome/web/splits/ml-100k" --seed 2017 --batch 8192 --epochs 3
stage bench-auto-b32768 60 "$chosen" bench --site "$chrome/web/bench" --ncf "$chrome/web/splits/ml-100k" --seed 2017 --batch 32768 --epochs 3
# NCF ml-1m, one epoch each: the automatic choice where the fused trainer would train on many threads (15 at the
# default batch) and on two (batch 8,192: `threadsTheDataAllow`), and WebGPU forced at that batch beside it.
ml1m=(--site "$chrome/web/bench" --ncf "$chrome/web/splits/ml-1m" --seed 2017 --epochs 1)
stage bench-ml-1m-auto 90 "$chosen" bench "${ml1m[@]}"
stage bench-ml-1m-auto-b8192 90 "$chosen" bench "${ml1m[@]}" --batch 8192
stage bench-ml-1m-webgpu-b8192 90 "$chosen" bench "${ml1m[@]}" --batch 8192 --backend webgpu
stage bench-ml-1m-fused-b8192 90 "$chosen" bench "${ml1m[@]}" --batch 8192 --backend fused
stage bench-ml-1m-fused1-b8192 90 "$chosen" bench "${ml1m[@]}" --batch 8192 --backend fused --threads 1
echo "== done $(date +%T)"
