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
  postgresql-15 libpq-dev   # the PostgreSQL state backend: tests start their own server; libpq, its client
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
# The tests run throwaway servers of their own on free ports; without this, installing
# postgresql-15 would also create (and where systemd runs, start) a "main" cluster on 5432.
createcluster_drop_in=/etc/postgresql-common/createcluster.d/blubridge.conf
if [[ ! -e $createcluster_drop_in ]]; then
  "${sudo_cmd[@]}" mkdir -p "$(dirname "$createcluster_drop_in")"
  echo "create_main_cluster = false" | "${sudo_cmd[@]}" tee "$createcluster_drop_in" >/dev/null
fi
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
