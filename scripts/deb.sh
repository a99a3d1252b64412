#!/usr/bin/env bash
# Builds the Debian package target/debian/vsconf_VERSION_ARCH.deb with cargo-deb
# (`cargo install --locked cargo-deb`; .ci/setup.d/50-cargo-deb.sh installs it in CI).
#
#   scripts/deb.sh              release build (what to ship; several minutes on two cores)
#   scripts/deb.sh --profile dev --no-build
#                               package the debug binary cargo test already built (the test adds --fast:
#                               quicker, larger compression)
#
# Steps: compile vsconf in the profile, run that binary to write the man pages (vsconf.1 and one page per
# subcommand) and the bash, zsh and fish completions into target/assets/, then package them with the
# binary, the README, docs/ and examples/ ([package.metadata.deb] in Cargo.toml) without building again.
set -euo pipefail
cd "$(dirname "$0")/.."

profile=release
output=
build=yes
fast=no
while [ $# -gt 0 ]; do
  case "$1" in
    --profile) profile="$2"; shift 2 ;;
    --output) output="$2"; shift 2 ;;
    --no-build) build=no; shift ;;
    --fast) fast=yes; shift ;;
    *) echo "usage: scripts/deb.sh [--profile release|dev] [--no-build] [--fast] [--output DIR]" >&2; exit 2 ;;
  esac
done
case "$profile" in
  release) dir=release ;;
  dev) dir=debug ;;
  *) dir="$profile" ;;
esac
command -v cargo-deb >/dev/null || { echo "deb.sh: cargo-deb not found: cargo install --locked cargo-deb" >&2; exit 2; }

target="${CARGO_TARGET_DIR:-target}"
[ "$build" = no ] || cargo build --locked --profile "$profile" --bin vsconf
bin="$target/$dir/vsconf"
[ -x "$bin" ] || { echo "deb.sh: $bin not built: run without --no-build" >&2; exit 2; }
assets="$target/assets"
rm -rf "$assets"
mkdir -p "$assets/man" "$assets/completions"
"$bin" generate man "$assets/man"
"$bin" generate completions bash > "$assets/completions/vsconf.bash"
"$bin" generate completions zsh > "$assets/completions/_vsconf"
"$bin" generate completions fish > "$assets/completions/vsconf.fish"

# [package.metadata.deb] names target/release/vsconf; another profile's binary replaces that asset.
args=(--no-build --locked --profile "$profile")
[ "$dir" = release ] || args+=(--deb-version "$(cargo pkgid | sed 's/.*[@#]//')+$profile")
[ -z "$output" ] || args+=(--output "$output")
[ "$fast" = no ] || args+=(--fast)
cargo deb "${args[@]}"
