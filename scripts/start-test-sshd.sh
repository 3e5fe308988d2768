#!/usr/bin/env bash
# Starts Debian's OpenSSH server on 127.0.0.1:PORT for tests, with throw-away keys.
#   usage: scripts/start-test-sshd.sh PORT
# Prints the temp dir (one line) and exits, leaving sshd running. The dir holds:
#   client_key (+ .pub)   the client key, authorised for the current user
#   host_key.pub          the host public key, to pin
#   sshd.pid              sshd's PID: stop it with `kill "$(cat DIR/sshd.pid)"`
#   sshd.log              sshd's log
# Public-key auth only, UsePAM no, StrictModes no (the keys live under /tmp).
set -euo pipefail
port=${1:?usage: start-test-sshd.sh PORT}
sshd=${SSHD:-/usr/sbin/sshd}
[[ -x $sshd ]] || { echo "no $sshd (apt-get install openssh-server)" >&2; exit 2; }

dir=$(mktemp -d "${TMPDIR:-/tmp}/ganyun-sshd.XXXXXX")
ssh-keygen -q -t ed25519 -N '' -C ganyun-test-host -f "$dir/host_key"
ssh-keygen -q -t ed25519 -N '' -C ganyun-test-client -f "$dir/client_key"
cp "$dir/client_key.pub" "$dir/authorized_keys"
chmod 600 "$dir/authorized_keys"
mkdir -p /run/sshd

cat >"$dir/sshd_config" <<CONF
Port $port
ListenAddress 127.0.0.1
HostKey $dir/host_key
PidFile $dir/sshd.pid
AuthorizedKeysFile $dir/authorized_keys
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
PermitRootLogin prohibit-password
MaxSessions 10
LogLevel INFO
CONF

# Without -D, sshd daemonises once it listens: when this returns, the port is open.
"$sshd" -f "$dir/sshd_config" -E "$dir/sshd.log"
for _ in $(seq 50); do
  [[ -s $dir/sshd.pid ]] && break
  sleep 0.1
done
[[ -s $dir/sshd.pid ]] || { echo "sshd did not start; see $dir/sshd.log" >&2; cat "$dir/sshd.log" >&2; exit 1; }
echo "$dir"
