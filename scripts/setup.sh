#!/usr/bin/env bash
# Installs the Debian 12 packages blubridge needs to build, test and benchmark.
# Idempotent: only missing packages are installed, and apt-get update runs only then.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  libboost1.81-all-dev libboost-url1.81-dev
  libpugixml-dev rapidjson-dev libyaml-cpp-dev libssl-dev libsqlite3-dev
  libbenchmark-dev clang libclang-rt-14-dev
  curl wrk openssl
  nginx-light gnuplot-nox    # bench/run: nginx as the reverse proxy compared against, the plot
  libsystemd-dev            # sd_notify: Type=notify and the watchdog
  prometheus-cpp-dev        # metrics: the registry and the text format (not its civetweb exposer)
  systemd groff-base        # systemd-analyze and groff check the unit and the man page
  dpkg-dev file             # cpack -G DEB: dpkg-shlibdeps finds the package's dependencies
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]} == 0)); then
  exit 0
fi

echo "setup: installing ${missing[*]}" >&2
sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then sudo_cmd=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
