#!/usr/bin/env bash
# Installs every Debian package that the build, the tests and the runs need. Idempotent: packages
# already present are skipped by apt-get. Used by CI (.ci/run) and by the README's first command.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config git
  libtorch-dev libopenblas0-openmp          # OpenBLAS: Debian's reference BLAS is 20-40x slower
  libtbb-dev nlohmann-json3-dev libboost-dev
  libcli11-dev libspdlog-dev libfmt-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libmujoco-dev libqhull-dev                # mujoco::mujoco's include dir points into libqhull_r
  libegl-dev libgl-dev libegl-mesa0 libgl1-mesa-dri libosmesa6-dev   # offscreen rendering on the CPU
  libstb-dev libgif-dev graphviz libgraphviz-dev   # PNG and GIF run media; graph layout
  zlib1g-dev                                # checkpoint checksums
  chromium                                  # the viewer's browser test
  gnuplot-nox                               # return curves of the learning benchmarks (bench/)
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
echo "setup: all ${#packages[@]} packages present"
