#!/usr/bin/env bash
# Packs what scripts/gpu-machine/run-browser.sh needs to run the app's bench and backend probe in Chromium on a
# lent GPU machine (no browser, no Node, no network there; Python is). Two parts, since a call carries at most
# 64 MiB and Debian's headless Chromium alone is 52 MB compressed:
#   .gpubrowser/1: the chromium-headless-shell binary, the libraries it links that the machine may lack, and
#                  the Vulkan loader and GL dispatch (as pack.sh): carried by a first call, which unpacks it to /tmp;
#   .gpubrowser/2: the rest of Chromium (ANGLE, ICU data, V8 snapshots, resources), the bench build (dist-bench),
#                  the probe page's build, the NCF ml-100k and ml-1m splits and the launch arguments of scripts/lib/chromium.mjs:
#                  carried by a second call on the same, still warm machine (a lent machine stays 30 s after a call).
# Needs the apt lists (apt-get update) for Debian's chromium-headless-shell of the installed Chromium's version.
#
#   scripts/gpu-machine/pack-browser.sh [data folder, default ../shared/data]
set -euo pipefail
cd "$(dirname "$0")/../.."
data=${1:-../shared/data}
out=.gpubrowser
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
rm -rf "$out/1" "$out/2" && mkdir -p "$out/1" "$out/2" "$out/cache"

(cd "$stage" && apt-get download chromium-headless-shell chromium-common) >/dev/null
for deb in "$stage"/*.deb; do dpkg -x "$deb" "$stage/x"; done
chromium="$stage/x/usr/lib/chromium"
# Compressing it takes ~3 minutes: kept in .gpubrowser/cache under the package's name.
packed="$out/cache/$(basename "$stage"/chromium-headless-shell_*.deb .deb).xz"
[ -f "$packed" ] || xz -T0 -9e -c "$chromium/chromium-headless-shell" >"$packed"
cp "$packed" "$out/1/chromium-headless-shell.xz"

# Every library the browser and ANGLE link, resolved here (Debian), but glibc's own; run-browser.sh keeps only
# those the machine lacks. NSS loads its soft token and the root certificates at run time, from its own folder.
mkdir -p "$stage/lib"
(ldd "$chromium/chromium-headless-shell" && ldd "$chromium/libGLESv2.so" && ldd "$chromium/libEGL.so") |
  awk '/=> \// {print $3}' | sort -u | grep -v -E '/(libc|libm|libdl|libpthread|librt|ld-linux-x86-64)\.so' |
  xargs -I{} cp -L {} "$stage/lib/"
cp -L /usr/lib/x86_64-linux-gnu/nss/*.so "$stage/lib/"
tar -C "$stage/lib" -cf - . | xz -T0 -9e >"$out/1/libs.tar.xz"
(cd "$out/1" && apt-get download libvulkan1 libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2) >/dev/null

# What the headless shell reads beside itself (its own paks, not the full browser's resources.pak), and the
# SwiftShader driver, so that a machine whose GPU Chromium cannot use still shows which fallback it took.
tar -C "$chromium" -cf - headless_command_resources.pak headless_lib_data.pak headless_lib_strings.pak libEGL.so \
  libGLESv2.so icudtl.dat snapshot_blob.bin v8_context_snapshot.bin libvulkan.so.1 libvk_swiftshader.so \
  vk_swiftshader_icd.json | xz -T0 -9e >"$out/2/chromium-rest.tar.xz"

npx vite build --outDir dist-bench --emptyOutDir >/dev/null 2>&1
node scripts/probe-backends.mjs --pack "$stage/web/probe" >/dev/null 2>&1
cp -r dist-bench "$stage/web/bench"
mkdir -p "$stage/web/splits" && cp "$data"/ncf-splits/ml-100k.* "$data"/ncf-ml-1m/ml-1m.{train.rating,test.rating,test.negative} "$stage/web/splits/"
node -e "import('./scripts/lib/chromium.mjs').then((m) => console.log(JSON.stringify(m.CHROMIUM_ARGS)))" >"$stage/web/chromium-args.json"
tar -C "$stage/web" -cf - . | xz -T0 -9 >"$out/2/web.tar.xz"
du -b "$out"/1/* "$out"/2/* | awk '{print} {s[substr($2, 1, 13)] += $1} END {for (k in s) printf "%s together: %.1f MB\n", k, s[k] / 1e6}'
