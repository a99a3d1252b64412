# The extra live vsftpd builds the differential tests run (Debian 12's is the system package,
# /usr/sbin/vsftpd, installed by 10-system-packages.sh):
#   /opt/vsconf-ci/vsftpd-debian-3.0.5/vsftpd    Debian 13's binary (trixie package, unpacked, not installed)
#   /opt/vsconf-ci/vsftpd-upstream-3.0.5/vsftpd  pristine 3.0.5 built from the trixie source package's
#                                                orig tarball (no Debian patches applied)
# Sourced by .ci/run as root (bash, set -euo pipefail). Idempotent: a binary that exists is kept, downloads
# are cached under /var/cache/vsconf-ci/. apt gets a private sources file and state dir: the machine's own
# apt sources are never changed.
vsconf_builds() {
  local cache=/var/cache/vsconf-ci/vsftpd-builds opt=/opt/vsconf-ci
  local deb305="$opt/vsftpd-debian-3.0.5/vsftpd" up305="$opt/vsftpd-upstream-3.0.5/vsftpd"
  if [ -x "$deb305" ] && [ -x "$up305" ]; then
    return 0
  fi
  mkdir -p "$cache/lists/partial" "$cache/archives/partial" "$opt"
  local sources="$cache/trixie.sources"
  cat >"$sources" <<'EOF'
Types: deb deb-src
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  local apt_opts=(-o "Dir::Etc::sourcelist=$sources" -o Dir::Etc::sourceparts=- -o "Dir::State::Lists=$cache/lists"
    -o "Dir::Cache=$cache" -o "Dir::Cache::archives=$cache/archives" -o Debug::NoLocking=1)
  # Runtime libraries of Debian 13's binary and build dependencies of the upstream build (from the
  # machine's own sources).
  local need=() p
  for p in libssl3 libwrap0 libcap2 libpam0g libpam0g-dev libssl-dev libcap-dev gcc make dpkg-dev; do
    dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
  done
  if [ "${#need[@]}" -gt 0 ]; then
    echo "ci: installing ${need[*]}" >&2
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  fi
  if ! ls "$cache"/vsftpd_3.0.5-*.deb >/dev/null 2>&1 || ! ls "$cache"/vsftpd_3.0.5.orig.tar.gz >/dev/null 2>&1; then
    apt-get "${apt_opts[@]}" update -qq
    (cd "$cache" && apt-get "${apt_opts[@]}" download vsftpd && apt-get "${apt_opts[@]}" source --download-only vsftpd) >/dev/null
  fi
  if [ ! -x "$deb305" ]; then
    local unpack="$cache/deb305"
    rm -rf "$unpack" && mkdir -p "$unpack"
    dpkg-deb -x "$(ls "$cache"/vsftpd_3.0.5-*.deb | tail -n1)" "$unpack"
    mkdir -p "$(dirname "$deb305")"
    install -m 0755 "$unpack/usr/sbin/vsftpd" "$deb305"
  fi
  if [ ! -x "$up305" ]; then
    local src="$cache/upstream-src"
    rm -rf "$src" && mkdir -p "$src"
    tar -xzf "$cache/vsftpd_3.0.5.orig.tar.gz" -C "$src"
    local dir
    dir="$(ls -d "$src"/vsftpd-3.0.5*/ | head -n1)"
    sed -i 's/^#undef VSF_BUILD_SSL$/#define VSF_BUILD_SSL/' "$dir/builddefs.h"
    grep -q '^#define VSF_BUILD_SSL$' "$dir/builddefs.h"
    make -s -C "$dir" -j2 \
      CFLAGS='-O2 -fPIE -fstack-protector -Wall -W -Wshadow -Werror -Wformat-security -D_FORTIFY_SOURCE=2 -Wno-deprecated-declarations' \
      LIBS='-lpam -lcap -lssl -lcrypto' >/dev/null
    mkdir -p "$(dirname "$up305")"
    install -m 0755 "$dir/vsftpd" "$up305"
  fi
  "$deb305" -v 0>&1 | grep -q 'version 3.0.5'
  "$up305" -v 0>&1 | grep -q 'version 3.0.5'
}
vsconf_builds
unset -f vsconf_builds
