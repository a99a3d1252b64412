# cargo-afl for the coverage-guided fuzz target in fuzz/ (docs/fuzzing.md says why AFL++ and not
# cargo-fuzz: cargo-fuzz needs a nightly compiler, cargo-afl instruments with the stable one).
#   ~/.cargo/bin/cargo-afl          the cargo subcommand (crates.io, pinned)
#   AFL++ (afl-fuzz) built once by `cargo afl config --build` from the source the afl crate ships
# Sourced by .ci/run as root (bash, set -euo pipefail). Idempotent: what is there is kept.
vsconf_fuzz_tools() {
  local version=0.18.2
  export PATH="$HOME/.cargo/bin:$PATH"
  if ! { cargo afl --version 2>/dev/null || true; } | grep -q "$version"; then
    echo "ci: installing cargo-afl $version" >&2
    nice cargo install --quiet --locked cargo-afl --version "$version"
  fi
  # cargo-afl builds AFL++ for the compiler it was installed with; a newer compiler needs its own build
  # (`cargo afl fuzz -h` then does not reach afl-fuzz's usage text; it exits 1 either way).
  if ! { cargo afl fuzz -h 2>&1 || true; } | grep -q 'afl-fuzz'; then
    echo "ci: building AFL++ for cargo-afl" >&2
    nice cargo afl config --build --force >/dev/null
  fi
  { cargo afl fuzz -h 2>&1 || true; } | grep -q 'afl-fuzz'
}
vsconf_fuzz_tools
unset -f vsconf_fuzz_tools
