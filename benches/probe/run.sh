#!/usr/bin/env bash
# Probe vs curl against the real vsftpd on loopback in a private network namespace.
# A full probe (login, 5 PASV + 5 EPSV, a listing through each) against curl listing the same
# directory once (login, EPSV, LIST). Needs root, vsftpd, curl, hyperfine.
# VSCONF=path picks the binary (default: a release build). Raw JSON goes to benches/probe/runs/<date>/.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ -z "${VSCONF:-}" ]; then cargo build --release --locked -q; VSCONF=target/release/vsconf; fi
run="benches/probe/runs/$(date -u +%Y-%m-%dT%H%M)"
mkdir -p "$run" /var/run/vsftpd/empty
ns=vscpr-bench-$$
root=$(mktemp -d /tmp/vsconf-probe-bench-XXXX); chmod 755 "$root"
for i in 1 2 3 4 5; do echo "file $i" > "$root/file$i.txt"; done
conf="$root.conf"
cat > "$conf" <<CONF
listen=YES
background=NO
anonymous_enable=YES
local_enable=NO
anon_root=$root
seccomp_sandbox=NO
pasv_min_port=50000
pasv_max_port=50009
max_per_ip=0
max_clients=0
CONF
ip netns add "$ns"; trap 'ip netns pids "$ns" | xargs -r kill -9; ip netns del "$ns"; rm -rf "$root" "$conf"' EXIT
ip -n "$ns" link set lo up
ip netns exec "$ns" /usr/sbin/vsftpd "$conf" & sleep 0.5

echo "== same work: both list the 5 files"
ip netns exec "$ns" curl -s ftp://127.0.0.1/ | tee "$run/curl.out" | wc -l
ip netns exec "$ns" "$VSCONF" probe ftp://127.0.0.1 --tls off --quiet --format json > "$run/probe.json"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); s=d["observations"]["sessions"][0]; print("probe exit", d["exit_status"], "listing lines", [c["listing_lines"] for c in s["data"]], "passive replies", len(s["passive_replies"]))' "$run/probe.json"

ip netns exec "$ns" hyperfine -N --warmup 3 --export-json "$run/probe-vs-curl.json" \
  -n "vsconf probe (login, 5 PASV + 5 EPSV, 2 listings)" "$VSCONF probe ftp://127.0.0.1 --tls off --quiet" \
  -n "curl listing (login, EPSV, 1 listing)" "curl -s ftp://127.0.0.1/"
