#!/bin/sh
# Installs the emulators into the image (run by the Dockerfile, as root, with network).
# Usage: install-emulators.sh DIST   where DIST may hold a Renode .deb or .tar.gz.
# Always: qemu-system-arm. A .deb is installed with its dependencies; a tarball is unpacked
# into /opt/renode, with mono-complete when it is a Mono build (it has a Renode.exe).
set -eu
dist=$1
export DEBIAN_FRONTEND=noninteractive
packages="qemu-system-arm"
deb=$(find "$dist" -maxdepth 1 -name '*.deb' | head -n 1)
tarball=$(find "$dist" -maxdepth 1 \( -name '*.tar.gz' -o -name '*.tgz' \) | head -n 1)
if [ -n "$deb" ]; then
  packages="$packages $deb"
elif [ -n "$tarball" ]; then
  mkdir -p /opt/renode
  tar -xzf "$tarball" -C /opt/renode --strip-components=1
  if [ -n "$(find /opt/renode -name Renode.exe | head -n 1)" ]; then
    packages="$packages mono-complete"
  fi
  # A wrapper, not a symlink: the renode script finds its files relative to its own folder.
  printf '#!/bin/sh\nexec /opt/renode/renode "$@"\n' > /usr/local/bin/renode
  chmod 755 /usr/local/bin/renode
fi
apt-get update -qq
# shellcheck disable=SC2086  # word splitting of the package list is intended
apt-get install -y --no-install-recommends $packages
apt-get clean
rm -rf /var/lib/apt/lists/*
qemu-system-arm --version
if command -v renode >/dev/null; then
  # Renode writes its config under $HOME; containers run as the caller's uid with HOME=/tmp.
  HOME=/tmp renode --version
fi
