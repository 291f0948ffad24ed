#!/usr/bin/env bash
# Runs on a lent GPU machine over what scripts/gpu-machine/pack.sh put in .gpubench/: the GPU's name,
# the tfjs WebGPU trainer against the fused CPU trainer (speed at three batch sizes and what the app's
# automatic choice picks; where a WebGPU step's time goes; a training run of each on ml-100k, WebGPU's
# cut to 2 epochs since one takes ~75 s there), and the fused trainer on 1-15 of the machine's cores:
# their speed on ml-100k and ml-1m (N threads as asked), and whole validation-chosen stages asking for 15
# threads (the app's default there; the stage trains on as many as the data allow, 4 on ml-100k) for the
# seeds whose one-thread figures docs/BENCHMARKS.md has (one thread is reproducible to the digit across
# machines). JSON lines, each stage's log also under $OUT (stages: adapter speed-ml-1m
# steps-ml-1m train-webgpu-ml-100k train-fused-ml-100k threads-ml-100k threads-ml-1m stage-ml-100k
# stage-ml-1m). Each stage has its own time limit, so that one that hangs leaves the rest their time.
# docs/BENCHMARKS.md, "On a GPU machine" and "Strata on 16 cores", has their figures.
#
# Needs root (it unpacks the Vulkan loader into / and runs ldconfig), as commands on those machines run.
#
#   scripts/gpu-machine/run.sh [stage ...]     (the stages' limits add up to 1,000 s: name the stages a call has time for)
set -u
only=("$@") # stage names to run; none: every stage
cd "$(dirname "$0")/../.."
work=/tmp/gpubench
out=${OUT:-$work/out}
mkdir -p "$work" "$out"
node="$work/node"
splits="$work/splits"
bench="$work/pack/gpuInNode.mjs"

stage() { # name seconds command...
  local name=$1 seconds=$2
  shift 2
  if [ ${#only[@]} -gt 0 ] && [[ ! " ${only[*]} " == *" $name "* ]]; then return; fi
  echo "== $name (at most ${seconds}s, $(date +%T))"
  timeout "$seconds" "$@" 2>&1 | tee "$out/$name.log" | grep -v -e '^Hi, looks like' -e '^=*$' -e 'tfjs-node' -e '^$'
  echo "== $name: exit ${PIPESTATUS[0]}"
}

echo "== machine"
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
echo "cpu: $(nproc) × $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)"

xz -dc .gpubench/node.xz >"$node" && chmod +x "$node"
tar -C "$work" -xJf .gpubench/bench.tar.xz
# The Vulkan loader, and the GL vendor-neutral dispatch that NVIDIA's Vulkan driver (libGLX_nvidia) loads.
for deb in .gpubench/*.deb; do dpkg -x "$deb" /; done
ldconfig
for icd in /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json /usr/share/vulkan/icd.d/nvidia_icd.json /etc/vulkan/icd.d/nvidia_icd.json; do
  [ -f "$icd" ] && export VK_DRIVER_FILES=$icd && break
done
echo "node $("$node" --version), VK_DRIVER_FILES=${VK_DRIVER_FILES:-unset}"

stage adapter 30 "$node" "$bench" --mode adapter
stage speed-ml-1m 90 "$node" "$bench" --mode speed --data "$splits/ml-1m" --batches 1024,8192,32768 --ms 1500
stage steps-ml-1m 90 bash -c 'for flags in "" WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE=1000 WEBGPU_CPU_FORWARD=false; do
  "$0" "$1" --mode steps --data "$2" --batches 1024,32768 --flags "$flags"; done' "$node" "$bench" "$splits/ml-1m"
stage train-webgpu-ml-100k 210 "$node" "$bench" --mode train --data "$splits/ml-100k" --backend webgpu --epochs 2
stage train-fused-ml-100k 75 "$node" "$bench" --mode train --data "$splits/ml-100k" --backend fused --epochs 10
threads="$work/pack/threadsInNode.mjs"
stage threads-ml-100k 75 bash -c 'for threads in 1 2 4 8 15; do "$0" "$1" "$2" "$threads" 3; done' "$node" "$threads" "$splits/ml-100k"
stage threads-ml-1m 250 bash -c 'for threads in 1 2 4 8 15; do "$0" "$1" "$2" "$threads" 1; done' "$node" "$threads" "$splits/ml-1m"
stage stage-ml-1m 160 bash -c 'for seed in 2 3; do "$0" "$1" "$2" 15 0 stage $seed; done' "$node" "$threads" "$splits/ml-1m"
stage stage-ml-100k 70 bash -c 'for seed in 2017 1 2 3; do "$0" "$1" "$2" 15 0 stage $seed; done' "$node" "$threads" "$splits/ml-100k"
echo "== done $(date +%T)"
