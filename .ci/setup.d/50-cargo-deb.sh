# cargo-deb builds the .deb that tests/system/package.rs installs (issue 13). Sourced by .ci/run as root;
# idempotent: compiled once into ~/.cargo/bin (14 min wall, 3 min CPU here), skipped while that version is there.
# openssh-server and sudo are here too: the Ansible test runs sshd inside network namespaces (never as a
# service) and its playbook uses `become: true`.
# Pinned: the test packages the dev-profile binary, which cargo-deb 3.8 accepts with a warning that a
# later release may turn into an error.
cargo_deb_version=3.8.0
if ! cargo-deb --version 2>/dev/null | grep -qx "cargo-deb $cargo_deb_version"; then
  echo "ci: installing cargo-deb $cargo_deb_version (cargo install --locked)" >&2
  cargo install --locked --quiet --force --version "$cargo_deb_version" cargo-deb
fi
pkg_missing=()
for p in openssh-server openssh-client sudo; do dpkg -s "$p" >/dev/null 2>&1 || pkg_missing+=("$p"); done
if [ "${#pkg_missing[@]}" -gt 0 ]; then
  echo "ci: installing ${pkg_missing[*]}" >&2
  apt-get update -qq
  # The openssh-server package must not start a service on this machine: the test runs its own sshd.
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
  apt-get install -y -qq --no-install-recommends "${pkg_missing[@]}" >/dev/null
  rm -f /usr/sbin/policy-rc.d
fi
