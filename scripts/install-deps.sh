#!/usr/bin/env bash
# scripts/install-deps.sh - install what mpcsim needs on Debian 12 (idempotent).
#
# Installs only the packages that are missing, so a second run costs one
# dpkg query.  Needs root (or sudo) when something is missing.
set -euo pipefail

pkgs=(
    build-essential cmake pkg-config clang clang-format libclang-rt-14-dev
    libyaml-dev libgsl-dev libgmp-dev libsodium-dev libcmocka-dev
    gnuplot-nox valgrind
    gcovr   # scripts/coverage.sh
    python3 # the shell tests' validators (trace, per-party, check, estimate)
)
# MPI sweeps (optional feature; MPCSIM_WITH_MPI=0 skips it).
if [ "${MPCSIM_WITH_MPI:-1}" = 1 ]; then
    pkgs+=(libopenmpi-dev openmpi-bin)
fi

missing=()
for p in "${pkgs[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
        missing+=("$p")
    fi
done
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
    sudo="sudo"
fi
echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
