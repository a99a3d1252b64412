#!/bin/sh
# Throughput of `vsconf serve` against the real vsftpd 3.0.3 in the same run: 100 concurrent anonymous
# clients, each listing a 200-file directory ROUNDS times over passive connections (benches/server_driver.py).
# Both servers run in one network namespace made here (needs root), on loopback, same config, same tree.
#
#   sh benches/server.sh [ROUNDS] [REPEATS]       (defaults 20 and 3)
#
# Raw results go to benches/runs/<date>-server/; the summary is printed. Uses target/debug/vsconf unless
# VSCONF is set (build it first: cargo build).
set -eu
ROUNDS=${1:-20}
REPEATS=${2:-3}
CLIENTS=100
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(dirname "$HERE")
VSCONF=${VSCONF:-$REPO/target/debug/vsconf}
OUT=$HERE/runs/$(date -u +%Y-%m-%dT%H%M)-server
NS=vscsrv-bench-$$
WORK=$(mktemp -d /tmp/vscsrv-bench-XXXXXX)
mkdir -p "$OUT"
cleanup() {
    for pid in $(ip netns pids "$NS" 2>/dev/null); do kill -9 "$pid" 2>/dev/null || true; done
    ip netns del "$NS" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

chmod 755 "$WORK"
mkdir -p "$WORK/root" /var/run/vsftpd/empty
i=0
while [ $i -lt 200 ]; do
    printf 'file %d\n' $i > "$WORK/root/file-$i.txt"
    i=$((i + 1))
done
touch -d @1700000000 "$WORK"/root/* "$WORK/root"
for who in real ours; do
    port=2121
    [ $who = ours ] && port=2122
    cat > "$WORK/$who.conf" <<CONF
listen=YES
listen_port=$port
anonymous_enable=YES
anon_root=$WORK/root
pasv_min_port=50000
pasv_max_port=59999
max_clients=0
max_per_ip=0
CONF
    chmod 600 "$WORK/$who.conf"
done

ip netns add "$NS"
ip netns exec "$NS" ip link set lo up
ip netns exec "$NS" /usr/sbin/vsftpd "$WORK/real.conf" &
ip netns exec "$NS" "$VSCONF" serve --dialect debian-3.0.3 "$WORK/ours.conf" 2>"$OUT/serve.stderr" &
sleep 1

{
    echo "machine: $(uname -srm), $(nproc) cores; date: $(date -u +%FT%TZ); commit: $(git -C "$REPO" rev-parse --short HEAD)"
    echo "vsconf binary: $VSCONF"
    echo "clients: $CLIENTS, rounds: $ROUNDS, repeats: $REPEATS"
} | tee "$OUT/summary.txt"
r=1
while [ $r -le "$REPEATS" ]; do
    for who in real ours; do
        port=2121
        [ $who = ours ] && port=2122
        res=$(ip netns exec "$NS" python3 "$HERE/server_driver.py" 127.0.0.1 $port $CLIENTS "$ROUNDS")
        echo "$res" > "$OUT/$who-$r.json"
        echo "$who run $r: $res" | tee -a "$OUT/summary.txt"
    done
    r=$((r + 1))
done
