# Tools the ecosystem tests drive for real (issue 13). Sourced by .ci/run as root; idempotent.
# - a Python venv with ansible-core (ansible-playbook), pre-commit and jsonschema;
# - the official SARIF 2.1.0 JSON schema, from the npm package @microsoft/jest-sarif (MIT), which ships
#   it as lib/schemas/sarif-2.1.0-rtm.5.json;
# - git (pre-commit needs it) and man-db (`man -l` reads the generated man pages).
eco_venv=/opt/vsconf-ci/venv
eco_pip=(ansible-core==2.17.* pre-commit==4.* jsonschema==4.*)
eco_missing=()
for p in git man-db python3-venv; do dpkg -s "$p" >/dev/null 2>&1 || eco_missing+=("$p"); done
if [ "${#eco_missing[@]}" -gt 0 ]; then
  apt-get update -qq && apt-get install -y -qq --no-install-recommends "${eco_missing[@]}" >/dev/null
fi
if [ ! -x "$eco_venv/bin/ansible-playbook" ] || [ ! -x "$eco_venv/bin/pre-commit" ] \
  || ! "$eco_venv/bin/python" -c 'import jsonschema' 2>/dev/null; then
  echo "ci: creating $eco_venv (${eco_pip[*]})" >&2
  mkdir -p /opt/vsconf-ci
  [ -x "$eco_venv/bin/python" ] || python3 -m venv "$eco_venv"
  "$eco_venv/bin/pip" install -q --disable-pip-version-check "${eco_pip[@]}"
fi
eco_schema=/opt/vsconf-ci/sarif/sarif-2.1.0-rtm.5.json
if [ ! -s "$eco_schema" ]; then
  if ! command -v npm >/dev/null 2>&1; then
    apt-get update -qq && apt-get install -y -qq --no-install-recommends npm >/dev/null
  fi
  eco_tmp=$(mktemp -d)
  (cd "$eco_tmp" && npm pack --silent @microsoft/jest-sarif@1.0.0-beta.0 >/dev/null \
    && tar xzf microsoft-jest-sarif-1.0.0-beta.0.tgz package/lib/schemas/sarif-2.1.0-rtm.5.json)
  mkdir -p "$(dirname "$eco_schema")"
  cp "$eco_tmp/package/lib/schemas/sarif-2.1.0-rtm.5.json" "$eco_schema"
  rm -rf "$eco_tmp"
fi
