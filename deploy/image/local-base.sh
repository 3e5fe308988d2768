#!/usr/bin/env bash
# A stand-in for the Containerfile's base image (NODE_IMAGE, docker.io/library/node:20.*-bookworm-slim) on a
# machine that can reach Debian's package mirror but no container registry: Debian bookworm built with
# debootstrap (minbase), this machine's Node.js 20 (binary, npm, corepack) copied in, and the `node` user
# (uid 1000) the official image has. Imported into podman's local storage as localhost/node:20-bookworm-slim.
#   deploy/image/local-base.sh [rootfs-dir]      (root; needs debootstrap and podman; vfs storage works anywhere)
set -euo pipefail
rootfs=${1:-/var/tmp/ganyun-rootfs}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
[ -x "$rootfs/usr/bin/apt-get" ] || debootstrap --variant=minbase bookworm "$rootfs" "$mirror"
node_bin=$(command -v node)
node_lib=$(dirname "$(readlink -f "$(command -v npm)")")/../..   # …/lib/node_modules
install -m 0755 "$node_bin" "$rootfs/usr/local/bin/node"
mkdir -p "$rootfs/usr/local/lib/node_modules"
cp -a "$node_lib/npm" "$node_lib/corepack" "$rootfs/usr/local/lib/node_modules/"
ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"
ln -sf ../lib/node_modules/corepack/dist/corepack.js "$rootfs/usr/local/bin/corepack"
chroot "$rootfs" sh -c 'getent passwd node >/dev/null || { groupadd -g 1000 node && useradd -u 1000 -g node -s /bin/bash -m node; }'
# A machine whose egress goes through a TLS-inspecting proxy trusts its CA: so must npm inside the build.
extra_ca=${EXTRA_CA_BUNDLE:-/etc/ssl/certs/ca-certificates.crt}
env_ca=()
if [ -f "$extra_ca" ]; then
  install -D -m 0644 "$extra_ca" "$rootfs/usr/local/share/ganyun-build/ca-bundle.crt"
  env_ca=(--change 'ENV NODE_EXTRA_CA_CERTS=/usr/local/share/ganyun-build/ca-bundle.crt')
fi
# What the slim image leaves out as well: apt lists, caches, docs.
rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/*
tar -C "$rootfs" --numeric-owner -c . | podman import "${env_ca[@]}" --change 'CMD ["node"]' --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' - localhost/node:20-bookworm-slim
