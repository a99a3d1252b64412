# cargo-deb builds the .deb that tests/system/package.rs installs (issue 13). Sourced by .ci/run as root;
# idempotent: compiled once into ~/.cargo/bin (14 min wall, 3 min CPU here), skipped while that version is there.
# Pinned: the test packages the dev-profile binary, which cargo-deb 3.8 accepts with a warning that a
# later release may turn into an error.
cargo_deb_version=3.8.0
if ! cargo-deb --version 2>/dev/null | grep -qx "cargo-deb $cargo_deb_version"; then
  echo "ci: installing cargo-deb $cargo_deb_version (cargo install --locked)" >&2
  cargo install --locked --quiet --force --version "$cargo_deb_version" cargo-deb
fi
