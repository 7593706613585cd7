#!/usr/bin/env bash
# Builds the .deb from a build tree, extracts it into a scratch root (dpkg-deb -x) and checks
# what an operator gets: its dependencies and conffiles, the installed gateway's --version,
# its --check-config on the installed configuration (the API key as the unit passes it, a
# systemd credential), the installed unit and the sandbox.
# Usage: deb_package.sh BUILD_DIR CHECK_UNIT_SCRIPT
set -euo pipefail
build=$1 check_unit=$2

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

cpack -G DEB --config "$build/CPackConfig.cmake" -B "$scratch/out" >"$scratch/cpack.log" 2>&1 ||
  { cat "$scratch/cpack.log" >&2; fail "cpack -G DEB"; }
deb=$(ls "$scratch"/out/*.deb)
echo "built $(basename "$deb")"

depends=$(dpkg-deb -f "$deb" Depends)
for lib in libc6 libssl3 libsystemd0 libyaml-cpp; do  # found by dpkg-shlibdeps, not listed by hand
  [[ $depends == *"$lib"* ]] || fail "Depends lacks $lib: $depends"
done
dpkg-deb --ctrl-tarfile "$deb" | tar -x -O ./conffiles >"$scratch/conffiles"
grep -qx /etc/blubridge/blubridge.yaml "$scratch/conffiles" || fail "conffiles: $(cat "$scratch/conffiles")"
dpkg-deb --ctrl-tarfile "$deb" | tar -x -O ./postinst >"$scratch/postinst"
sh -n "$scratch/postinst" || fail "postinst is not valid sh"
if grep -v '^ *#' "$scratch/postinst" | grep -Eq 'systemctl|deb-systemd'; then fail "postinst enables or starts a service"; fi

root=$scratch/root
dpkg-deb -x "$deb" "$root"
for f in usr/bin/blubridge usr/bin/billagain-sandbox etc/blubridge/blubridge.yaml \
         lib/systemd/system/blubridge.service lib/systemd/system/blubridge.socket usr/share/man/man8/blubridge.8.gz \
         usr/share/blubridge/mappings/customer.yaml; do
  [[ -e $root/$f ]] || fail "the package has no /$f"
done

version=$("$root/usr/bin/blubridge" --version)
echo "$version"
[[ $version == "blubridge "*" (commit "*")" ]] || fail "--version printed: $version"

# The unit's LoadCredential= hands the service its API key in $CREDENTIALS_DIRECTORY.
mkdir "$scratch/credentials"
echo "a-billagain-api-key" >"$scratch/credentials/billagain-api-key"
CREDENTIALS_DIRECTORY=$scratch/credentials \
  "$root/usr/bin/blubridge" --config "$root/etc/blubridge/blubridge.yaml" --check-config ||
  fail "the installed configuration does not pass --check-config"
# And the same check fails when the credential is missing (so the pass above means something).
if "$root/usr/bin/blubridge" --config "$root/etc/blubridge/blubridge.yaml" --check-config 2>"$scratch/err"; then
  fail "--check-config passed without the API key credential"
fi
grep -q "blubridge.yaml:[0-9]*:[0-9]*: .*CREDENTIALS_DIRECTORY" "$scratch/err" || fail "no file:line problem: $(cat "$scratch/err")"

"$check_unit" "$root/lib/systemd/system/blubridge.service" 2.0 "$root/usr/bin" "$root/usr/share/man"
"$root/usr/bin/billagain-sandbox" --help >/dev/null || fail "billagain-sandbox --help"
echo "package checked"
