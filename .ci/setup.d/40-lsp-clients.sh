# The two language-server clients the `vsconf lsp` tests drive (tests/lsp/):
#   /opt/vsconf-ci/venv-lsp/bin/pytest   pytest with pytest-lsp (PyPI), a real LSP client
#   /usr/bin/nvim                        Debian's Neovim, attached headless
# Sourced by .ci/run as root (bash, set -euo pipefail). Idempotent: what is there is kept.
vsconf_lsp_clients() {
  local venv=/opt/vsconf-ci/venv-lsp
  if ! dpkg -s neovim >/dev/null 2>&1 || ! dpkg -s python3-venv >/dev/null 2>&1; then
    echo "ci: installing neovim python3-venv" >&2
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends neovim python3-venv >/dev/null
  fi
  if [ ! -x "$venv/bin/pytest" ] || ! "$venv/bin/python" -c 'import pytest_lsp' >/dev/null 2>&1; then
    echo "ci: installing pytest-lsp into $venv" >&2
    mkdir -p "$(dirname "$venv")"
    /usr/bin/python3 -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check 'pytest-lsp==1.0.1'
  fi
  "$venv/bin/python" -c 'import pytest_lsp'
  nvim --version | head -n1 | grep -q NVIM
}
vsconf_lsp_clients
unset -f vsconf_lsp_clients
