# Debian packages the system tests use. Sourced by .ci/run as root; installs only what is missing.
# openssh-server and sudo: the Ansible test runs sshd inside network namespaces (never as a service: the
# policy below keeps the package from starting one) and its playbook uses `become: true`.
packages=(vsftpd nftables iptables iproute2 curl openssl lftp python3 kmod procps strace time util-linux zsh fish
  openssh-server openssh-client sudo)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "ci: installing ${missing[*]}" >&2
  apt-get update -qq
  # Neither vsftpd nor sshd may start a service on this machine: tests run their own, isolated.
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  rm -f /usr/sbin/policy-rc.d
fi
mkdir -p /var/run/vsftpd/empty
modprobe nf_conntrack_ftp 2>/dev/null || true
