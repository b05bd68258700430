#!/usr/bin/env bash
# quants-infra data-lake benchmark: our sync against rsync (and OpenSSH sftp for BIG) through a throwaway
# OpenSSH sshd on 127.0.0.1, on loopback and behind a latency proxy. See bench/README.md.
#
#   bench/run.sh                                          # everything (default)
#   SETS="LAKE SMALL NOOP" LINKS="loopback 40ms" RUNS=3 bench/run.sh
#   SETS="FLEET DEAD" LINKS=40ms bench/run.sh              # many profiles at once (issue #19)
#   SETS="M1 M1NOOP" LINKS=loopback RUNS=1 bench/run.sh    # a million files: about 20 GiB and 5M inodes
#   SETS="S3LAKE S3NOOP" LINKS=loopback bench/run.sh       # into S3Proxy, against rclone (issue #20)
#   SETS="XL XLNOOP" LINKS=loopback RUNS=1 bench/run.sh     # XL, and XL again in sync (issue #22)
#   SETS="NOOP INCR" LINKS="loopback 40ms" bench/run.sh     # LAKE in sync, and with one new day: the cron tick
#   PLAIN=0 bench/run.sh                                    # without the plain `java -jar` runs of ours
#
# Runs as root on Debian; installs openssh-server, rsync, time (and rclone for the S3 sets) with apt-get
# when they are missing.
# Never touches /etc/ssh or the system sshd. Everything it creates lives in bench/work/ (git-ignored);
# results go to bench/results/ (git-ignored).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)

# ---- knobs (environment) ------------------------------------------------------------------------------
SETS=${SETS:-"LAKE SMALL BIG NOOP INCR XL"}   # data sets, run in this order
LINKS=${LINKS:-"loopback 40ms 100ms"}         # "loopback" and/or "<RTT>ms" (a latency proxy, RTT/2 each way)
RUNS=${RUNS:-3}                               # timed runs per tool, set and link (alternating ours, rsync or rclone)
SKIP=${SKIP-"BIG@40ms XL@40ms BIG@100ms XL@100ms XLNOOP@100ms NOOP@100ms INCR@100ms FLEET@loopback FLEET@100ms DEAD@loopback DEAD@100ms M1@40ms M1NOOP@40ms M1@100ms M1NOOP@100ms"}  # SET@LINK pairs left out; SKIP="" runs every pair
RATE=${RATE:-0}                               # proxy bandwidth cap per direction, bytes/s (0 = none)
BIG_MIB=${BIG_MIB:-1024}                      # size of the BIG file
RUN_TIMEOUT=${RUN_TIMEOUT:-1800}              # seconds one timed command may take before it is killed
SERVER_MAX_SECONDS=${SERVER_MAX_SECONDS:-28800}  # sshd and proxies die by themselves after this
OURS_JAVA_OPTS=${OURS_JAVA_OPTS:-}            # extra JVM options for our CLI (QUANTS_INFRA_JAVA_OPTS of the launcher)
OURS_ARGS=${OURS_ARGS:-"-a --partial --delete"}  # rsync_args of our profile (default: the atomic publish); e.g. add -z
OURS_CLI_ARGS=${OURS_CLI_ARGS:-}              # extra options of our sync command, e.g. "--jobs 16"
OURS_PROFILE_KEY=${OURS_PROFILE_KEY:-}        # one more key of our profile, e.g. "parquet_patterns: []" (an A/B)
PLAIN=${PLAIN:-1}                             # 1: also time ours as a plain `java -jar` (no launcher, JVM options or CDS
                                              # archive), so that the engine's own speed stays visible (issue #22)
SSHD_CIPHERS=${SSHD_CIPHERS:-}                # restrict the sshd (so both tools) to these ciphers, e.g. aes128-ctr
SSHD_MACS=${SSHD_MACS:-}                      # ... and MACs, e.g. hmac-sha2-256-etm@openssh.com
SSHD_KEX=${SSHD_KEX:-}                        # ... and key exchanges, e.g. curve25519-sha256
SSHD_COMPRESSION=${SSHD_COMPRESSION:-}        # the sshd's Compression setting (OpenSSH's default: yes)
KEEP_WORK=${KEEP_WORK:-0}                     # 1: keep data sets and synced targets after the run
MVN_ARGS=${MVN_ARGS:-}                        # extra Maven arguments if the jar must be built (e.g. -o)
SETTLE_MAX=${SETTLE_MAX:-300}                 # seconds to wait for the disk to settle before timing (0: do not wait)
WORK_ROOT=${WORK_ROOT:-$ROOT/bench/work}
RESULTS_DIR=${RESULTS_DIR:-$ROOT/bench/results}

JAR=$ROOT/lake-cli/target/quants-infra.jar
PROXY_JAR=$ROOT/lake-testkit/target/lake-testkit.jar  # LatencyProxy: a test tool the CLI jar does not carry; needs only the JDK
RSYNC_ARGS=(-a --partial --inplace --delete)  # rsync's flags
RCLONE_ARGS=(--sftp-disable-hashcheck --transfers 16)  # rclone's flags for the S3 sets (issue #20)
S3_BUCKET=bench                               # the S3 server's first bucket; each run of an S3 set gets its own
PROFILE=bench

# ---- helpers ------------------------------------------------------------------------------------------
say() { printf '%s\n' "$*"; }
note() { printf '[bench] %s\n' "$*" >&2; }
die() { printf '[bench] error: %s\n' "$*" >&2; exit 1; }

BG_PIDS=()
WORK=""
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    local pid
    for pid in "${BG_PIDS[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in "${BG_PIDS[@]}"; do
        for _ in 1 2 3 4 5 6 7 8 9 10; do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.3
        done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    if [[ -n $WORK && -d $WORK && $KEEP_WORK != 1 ]]; then
        note "removing data sets and synced targets under $WORK (KEEP_WORK=1 keeps them); logs stay"
        rm -rf -- "$WORK/data" "$WORK/targets" "$WORK/checkpoints" "$WORK/s3"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'note "interrupted"; exit 130' INT
trap 'note "terminated"; exit 143' TERM

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

free_port() {
    local p
    for _ in $(seq 1 200); do
        p=$((20000 + RANDOM % 40000))
        port_in_use "$p" || { echo "$p"; return 0; }
    done
    die "no free TCP port found on 127.0.0.1"
}

median() { # numbers... -> median (empty if none)
    printf '%s\n' "$@" | sed '/^$/d' | sort -g | awk '{a[NR]=$1} END {
        if (NR == 0) exit; if (NR % 2) printf "%.2f\n", a[(NR+1)/2]; else printf "%.2f\n", (a[NR/2]+a[NR/2+1])/2 }'
}

mib() { if [[ -n $1 ]]; then echo $((($1 + 1023) / 1024)); else echo "—"; fi; }
max_of() { printf '%s\n' "$@" | sed '/^$/d' | sort -g | tail -n 1; }

ratio() { # a b -> a/b with two decimals, or "—"
    if [[ -z $1 || -z $2 ]]; then echo "—"; return; fi
    awk -v a="$1" -v b="$2" 'BEGIN { if (b <= 0) print "—"; else printf "%.2f\n", a / b }'
}

tree_stats() { # dir -> "files bytes"
    find "$1" -type f -printf '%s\n' | awk '{n++; s+=$1} END {printf "%d %d\n", n, s}'
}

# Ratio target for SET and LINK (empty: none): issue #22's where it set one (every loopback row and both
# 100 ms rows), else the earlier issues' (40 ms rows, FLEET, M1, S3).
ratio_target() {
    case "$1@$2" in
        LAKE@loopback | SMALL@loopback | BIG@loopback | NOOP@loopback | INCR@loopback | XL@loopback | XLNOOP@loopback)
            if [[ $1 == LAKE && $SSHD_CIPHERS == chacha20-poly1305@openssh.com ]]; then echo 1.5; else echo 1.0; fi ;;
        LAKE@40ms) echo 0.5 ;; SMALL@40ms) echo 1.25 ;; NOOP@40ms) echo 1.5 ;;
        LAKE@100ms) echo 0.3 ;; SMALL@100ms) echo 0.8 ;;
        FLEET@40ms) echo 0.5 ;;
        M1@loopback) echo 2.0 ;; M1NOOP@loopback) echo 1.5 ;;
        S3LAKE@loopback) echo 0.5 ;;
        *) echo "" ;;
    esac
}
# CPU target (ours/rsync, user + system) from issue #22: at most 2x on every row, 1.5x where the row is
# bound by per-file work (empty: none, e.g. for the S3 sets).
cpu_target() {
    case $1 in
        SMALL | XL | XLNOOP | INCR) echo 1.5 ;;
        LAKE | BIG | NOOP | FLEET | M1 | M1NOOP) echo 2.0 ;;
        *) echo "" ;;
    esac
}
# Seconds the DEAD row may take in all (issue #19): 10 good profiles and 4 silent hosts with 10 s timeouts.
DEAD_TARGET_S=25
FLEET_PROFILES=50   # FLEET: profiles of 20 × 256 KiB, synced by `sync --all` and by `xargs -P8 rsync`
DEAD_GOOD=10        # DEAD: the first 10 FLEET profiles, plus 4 hosts that accept TCP and never answer
DEAD_SILENT=4
RSS_TARGET_MIB=256
INCR_FILES=120      # INCR: LAKE plus one new day of 120 × 256 KiB
INCR_SIZE=262144

# ---- checks and installation --------------------------------------------------------------------------
for s in $SETS; do
    case $s in LAKE | SMALL | BIG | NOOP | INCR | XL | XLNOOP | FLEET | DEAD | M1 | M1NOOP | S3LAKE | S3NOOP) ;;
        *) die "unknown data set '$s' in SETS (use LAKE SMALL BIG NOOP INCR XL XLNOOP FLEET DEAD M1 M1NOOP S3LAKE S3NOOP)" ;;
    esac
done
for l in $LINKS; do
    [[ $l == loopback || $l =~ ^[0-9]+ms$ ]] || die "unknown link '$l' in LINKS (use loopback or <RTT>ms, e.g. 40ms)"
    if [[ $l =~ ^([0-9]+)ms$ ]] && ((BASH_REMATCH[1] % 2 != 0 || BASH_REMATCH[1] == 0)); then
        die "link '$l': the RTT must be an even number of milliseconds above 0 (half each way)"
    fi
done
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive whole number, got '$RUNS'"
[[ $BIG_MIB =~ ^[1-9][0-9]*$ ]] || die "BIG_MIB must be a positive whole number, got '$BIG_MIB'"
[[ $RATE =~ ^[0-9]+$ ]] || die "RATE must be a whole number of bytes per second, got '$RATE'"
[[ $PLAIN == [01] ]] || die "PLAIN must be 0 or 1, got '$PLAIN'"
[[ $(id -u) == 0 ]] || die "run as root (it starts its own sshd and logs in as root with a generated key): sudo $0"
[[ $ROOT$WORK_ROOT$RESULTS_DIR != *[[:space:]\"\'\\]* ]] || die "paths with spaces or quotes are not supported: $WORK_ROOT"

need_pkgs=()
[[ -x /usr/sbin/sshd ]] || need_pkgs+=(openssh-server)
command -v ssh >/dev/null && command -v sftp >/dev/null && command -v ssh-keygen >/dev/null || need_pkgs+=(openssh-client)
command -v rsync >/dev/null || need_pkgs+=(rsync)
[[ " $SETS " != *" S3"* ]] || command -v rclone >/dev/null || need_pkgs+=(rclone)
command -v python3 >/dev/null || need_pkgs+=(python3-minimal) # parquet_frame.py, and DEAD's silent hosts
[[ -x /usr/bin/time ]] || need_pkgs+=(time)
command -v timeout >/dev/null || need_pkgs+=(coreutils)
command -v java >/dev/null || need_pkgs+=(openjdk-17-jre-headless)
if ((${#need_pkgs[@]})); then
    command -v apt-get >/dev/null || die "missing ${need_pkgs[*]} and no apt-get to install them"
    note "installing ${need_pkgs[*]} with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >/dev/null || die "apt-get update failed"
    apt-get install -y -q --no-install-recommends "${need_pkgs[@]}" >/dev/null \
        || die "apt-get install ${need_pkgs[*]} failed"
fi

# Build the CLI and the test kit when either is missing or the CLI is older than the sources (the rule of
# bin/quants-infra); one package builds both.
if [[ ! -f $JAR || ! -f $PROXY_JAR || -n $(find "$ROOT/pom.xml" "$ROOT"/lake-*/pom.xml "$ROOT"/lake-*/src -newer "$JAR" -type f 2>/dev/null | head -n 1) ]]; then
    command -v mvn >/dev/null || die "$JAR or $PROXY_JAR is missing or stale and Maven is not installed (apt-get install maven openjdk-17-jdk-headless)"
    note "building the CLI and the test kit: mvn -q -B -DskipTests $MVN_ARGS package"
    # shellcheck disable=SC2086
    (cd "$ROOT" && mvn -q -B -DskipTests $MVN_ARGS package) || die "the build failed"
fi
# The launcher records its class-data-sharing archive on its first run after a build (a few
# seconds, once); do that now so that no timed run includes it.
"$ROOT/bin/quants-infra" data-lake --help >/dev/null || die "bin/quants-infra does not start"

# ---- plan ---------------------------------------------------------------------------------------------
skipped() { [[ " $SKIP " == *" $1@$2 "* ]]; }
PAIRS=()
for s in $SETS; do
    for l in $LINKS; do
        skipped "$s" "$l" || PAIRS+=("$s@$l")
    done
done
((${#PAIRS[@]})) || die "nothing to run: every SET@LINK pair of SETS='$SETS' LINKS='$LINKS' is in SKIP='$SKIP'"
USES_S3=0 # whether a pair puts its set into the S3 server
for p in "${PAIRS[@]}"; do if [[ $p == S3* ]]; then USES_S3=1; fi; done
# The data set a row reads: NOOP, XLNOOP and M1NOOP sync LAKE, XL and M1 again, DEAD uses FLEET's first profiles, the
# S3 sets put LAKE into a bucket.
stat_key() { case $1 in NOOP | S3LAKE | S3NOOP) echo LAKE ;; M1NOOP) echo M1 ;; XLNOOP) echo XL ;; DEAD) echo FLEET ;; *) echo "$1" ;; esac; }
# The tool our sync is timed against: rclone where the target is a bucket, else rsync.
other_tool() { case $1 in S3*) echo rclone ;; *) echo rsync ;; esac; }
# Whether a row times a second, no-change sync into a target its tool has just synced.
is_noop() { [[ $1 == NOOP || $1 == XLNOOP || $1 == M1NOOP || $1 == S3NOOP ]]; }
# The data set each tool first syncs, untimed, into the target of a row's timed run (empty: none): its own set for
# the NOOP rows, LAKE for INCR, whose timed run then brings the new day as a cron tick would.
prep_key() { if is_noop "$1"; then stat_key "$1"; elif [[ $1 == INCR ]]; then echo LAKE; fi; }
# Whether a row also times ours as a plain `java -jar`: not the many-profile rows (that is `sync --all`'s own
# start-up), the million-file rows (hours) or the bucket rows (against rclone).
has_plain() { ((PLAIN)) && case $1 in FLEET | DEAD | M1 | M1NOOP | S3*) false ;; *) true ;; esac; }
need_set() { # is data set $1 used by a pair?
    local p
    for p in "${PAIRS[@]}"; do
        [[ ${p%@*} == "$1" || $(stat_key "${p%@*}") == "$1" || $(prep_key "${p%@*}") == "$1" ]] && return 0
    done
    return 1
}

# Disk estimate: sources plus every target (files round up to 4 KiB blocks).
set_bytes() {
    case $1 in
        LAKE | NOOP | S3LAKE | S3NOOP) echo $((60 * 20 * 262144)) ;;
        INCR) echo $((60 * 20 * 262144 + INCR_FILES * INCR_SIZE)) ;;
        M1 | M1NOOP) echo $((1000 * 1000 * 4096)) ;;
        SMALL) echo $((100 * 50 * 4096)) ;;
        BIG) echo $((BIG_MIB * 1048576)) ;;
        XL | XLNOOP) echo $((1000 * 100 * 4096)) ;;
        FLEET) echo $((FLEET_PROFILES * 20 * 262144)) ;;
        DEAD) echo $((DEAD_GOOD * 20 * 262144)) ;;
    esac
}
need_bytes=0
for s in LAKE SMALL BIG XL FLEET M1; do
    if need_set "$s"; then need_bytes=$((need_bytes + $(set_bytes "$s"))); fi
done
# INCR's source is hard links to LAKE's files plus its new day.
if need_set INCR; then need_bytes=$((need_bytes + INCR_FILES * INCR_SIZE)); fi
for p in "${PAIRS[@]}"; do
    tools=2
    if [[ ${p%@*} == BIG ]]; then tools=3; fi
    if has_plain "${p%@*}"; then tools=$((tools + 1)); fi
    need_bytes=$((need_bytes + RUNS * tools * $(set_bytes "${p%@*}")))
done
mkdir -p "$WORK_ROOT" "$RESULTS_DIR"
avail=$(df --output=avail -B1 "$WORK_ROOT" | tail -n 1 | tr -d ' ')
if ((avail < need_bytes + 2 * 1024 * 1024 * 1024)); then
    die "needs about $((need_bytes / 1048576 / 1024 + 2)) GiB free under $WORK_ROOT, has $((avail / 1048576 / 1024)) GiB (use fewer SETS or RUNS)"
fi

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
WORK=$WORK_ROOT/$STAMP
mkdir -p "$WORK"/{ssh,data,targets,checkpoints,configs,logs}
CSV=$RESULTS_DIR/bench-$STAMP.csv
MD=$RESULTS_DIR/bench-$STAMP.md
note "work dir $WORK; about $((need_bytes / 1048576)) MiB of data and targets"

# ---- sshd ---------------------------------------------------------------------------------------------
SSHDIR=$WORK/ssh
KEY=$SSHDIR/client_ed25519
KNOWN_HOSTS=$SSHDIR/known_hosts
ssh-keygen -q -t ed25519 -N '' -C bench-host -f "$SSHDIR/host_ed25519"
ssh-keygen -q -t ed25519 -N '' -C bench-client -f "$KEY"
cp "$KEY.pub" "$SSHDIR/authorized_keys"
chmod 600 "$KEY" "$SSHDIR/host_ed25519" "$SSHDIR/authorized_keys"
: >"$KNOWN_HOSTS"
mkdir -p /run/sshd # sshd's privilege-separation directory (normally made by the system's unit)
SSHD_RESTRICTED=$(printf '%s' "${SSHD_CIPHERS:+Ciphers $SSHD_CIPHERS; }${SSHD_MACS:+MACs $SSHD_MACS; }${SSHD_KEX:+KexAlgorithms $SSHD_KEX; }${SSHD_COMPRESSION:+Compression $SSHD_COMPRESSION; }" | sed 's/; $//')

start_sshd() {
    local port=$1 cfg=$SSHDIR/sshd_config
    cat >"$cfg" <<EOF
# Throwaway sshd for bench/run.sh; never the system's.
${SSHD_CIPHERS:+Ciphers $SSHD_CIPHERS}
${SSHD_MACS:+MACs $SSHD_MACS}
${SSHD_KEX:+KexAlgorithms $SSHD_KEX}
${SSHD_COMPRESSION:+Compression $SSHD_COMPRESSION}
Port $port
ListenAddress 127.0.0.1
HostKey $SSHDIR/host_ed25519
PidFile $SSHDIR/sshd.pid
AuthorizedKeysFile $SSHDIR/authorized_keys
StrictModes no
UsePAM no
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
AllowTcpForwarding no
X11Forwarding no
PrintMotd no
MaxSessions 64
MaxStartups 200:30:400
LogLevel INFO
Subsystem sftp internal-sftp
EOF
    /usr/sbin/sshd -t -f "$cfg" || die "the generated $cfg is invalid"
    timeout -k 5 "$SERVER_MAX_SECONDS" /usr/sbin/sshd -D -f "$cfg" -E "$WORK/logs/sshd.log" &
    SSHD_PID=$!
    BG_PIDS+=("$SSHD_PID")
    for _ in $(seq 1 100); do
        port_in_use "$port" && return 0
        kill -0 "$SSHD_PID" 2>/dev/null || return 1
        sleep 0.1
    done
    return 1
}
SSH_PORT=""
for _ in 1 2 3 4 5; do
    p=$(free_port) || exit 1
    if start_sshd "$p"; then SSH_PORT=$p; break; fi
    kill "$SSHD_PID" 2>/dev/null || true
done
[[ -n $SSH_PORT ]] || die "sshd did not start; see $WORK/logs/sshd.log"
note "sshd (OpenSSH) on 127.0.0.1:$SSH_PORT, pid $SSHD_PID, stops by itself after ${SERVER_MAX_SECONDS}s"

add_known_host() { echo "[127.0.0.1]:$1 $(cut -d' ' -f1,2 "$SSHDIR/host_ed25519.pub")" >>"$KNOWN_HOSTS"; }
add_known_host "$SSH_PORT"

# ---- links --------------------------------------------------------------------------------------------
declare -A LINK_PORT
for l in $LINKS; do
    if [[ $l == loopback ]]; then
        LINK_PORT[$l]=$SSH_PORT
        continue
    fi
    rtt=${l%ms}
    log=$WORK/logs/proxy-$l.log
    timeout -k 5 "$SERVER_MAX_SECONDS" java -cp "$PROXY_JAR" io.quantsinfra.lake.testkit.LatencyProxy --listen 0 \
        --target "$SSH_PORT" --delay-ms $((rtt / 2)) --rate "$RATE" --max-seconds "$SERVER_MAX_SECONDS" >"$log" 2>&1 &
    pid=$!
    BG_PIDS+=("$pid")
    port=""
    for _ in $(seq 1 200); do
        port=$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$log" | head -n 1)
        [[ -n $port ]] && break
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    [[ -n $port ]] || die "the latency proxy for $l did not start: $(cat "$log")"
    LINK_PORT[$l]=$port
    add_known_host "$port"
    note "latency proxy for $l on 127.0.0.1:$port (${rtt}/2 ms each way) -> $SSH_PORT, pid $pid"
done

# DEAD: hosts that accept TCP (the kernel completes the handshake on a listening socket) and never answer.
SILENT_PORTS=()
if need_set DEAD; then
    for ((i = 0; i < DEAD_SILENT; i++)); do
        log=$WORK/logs/silent-$i.log
        timeout -k 5 "$SERVER_MAX_SECONDS" python3 -c 'import socket, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(64)
print(s.getsockname()[1], flush=True); time.sleep(10**6)' >"$log" 2>&1 &
        BG_PIDS+=("$!")
        for _ in $(seq 1 50); do [[ -s $log ]] && break; sleep 0.1; done
        [[ -s $log ]] || die "a silent host did not start: $(cat "$log")"
        SILENT_PORTS+=("$(head -n 1 "$log")")
    done
    note "silent hosts on 127.0.0.1:${SILENT_PORTS[*]}"
fi

# S3 sets: one S3 server for every run, lake-demo's DemoS3Server (S3Proxy, filesystem backend) from the CLI jar,
# on 127.0.0.1 whatever the link: only the SFTP side goes through a latency proxy.
S3_DIR=$WORK/s3
S3_ENDPOINT=""
S3_KEYS=()
if ((USES_S3)); then
    log=$WORK/logs/s3-server.log
    timeout -k 5 "$SERVER_MAX_SECONDS" java -cp "$JAR" io.quantsinfra.lake.demo.DemoS3Server "$S3_DIR" "$S3_BUCKET" \
        >"$log" 2>&1 &
    pid=$!
    BG_PIDS+=("$pid")
    for _ in $(seq 1 300); do # it prints its endpoint, then its keys as AWS_ACCESS_KEY_ID=… AWS_SECRET_ACCESS_KEY=…
        if [[ $(sed -n 2p "$log") == AWS_ACCESS_KEY_ID=* ]]; then
            S3_ENDPOINT=$(sed -n 's|^listening on \(http://127\.0\.0\.1:[0-9]*\) .*|\1|p' "$log")
            read -r -a S3_KEYS < <(sed -n 2p "$log")
            break
        fi
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    [[ -n $S3_ENDPOINT && ${#S3_KEYS[@]} == 2 ]] || die "the S3 server did not start: $(cat "$log")"
    note "S3 server (S3Proxy, filesystem backend in $S3_DIR) at $S3_ENDPOINT, pid $pid"
fi
# Creates the bucket of run NAME of an S3 set, untimed, through the S3 API.
make_bucket() {
    env -u AWS_CA_BUNDLE rclone --config /dev/null mkdir "$(s3_remote "$(s3_bucket "$1")")" >>"$WORK/logs/buckets.log" 2>&1 \
        || die "cannot create the bucket $(s3_bucket "$1") on the S3 server; see $WORK/logs/buckets.log"
}
# An rclone remote for PATH (bucket/prefix) on the S3 server, given on the command line: no config file.
s3_remote() {
    echo ":s3,provider=Other,endpoint='$S3_ENDPOINT',region=us-east-1,force_path_style=true,access_key_id=${S3_KEYS[0]#*=},secret_access_key=${S3_KEYS[1]#*=}:$1"
}
# The bucket of a run of an S3 set: its own, so that what other runs wrote never weighs on it (S3Proxy's
# filesystem backend walks a whole bucket to list it even for one key: 2.5 s at 19,200 objects).
s3_bucket() { local b=${1,,}; echo "${b//[^a-z0-9-]/-}"; }

# OpenSSH client options for rsync, sftp and the log-in check (no user config, only the generated key and host key).
SSH_OPTS=(-F /dev/null -i "$KEY" -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=yes
    -o "UserKnownHostsFile=$KNOWN_HOSTS" -o LogLevel=ERROR)
for l in $LINKS; do
    ssh "${SSH_OPTS[@]}" -p "${LINK_PORT[$l]}" root@127.0.0.1 true \
        || die "cannot log in over $l (port ${LINK_PORT[$l]}); see $WORK/logs/sshd.log"
done

# ---- data sets ----------------------------------------------------------------------------------------
DATA=$WORK/data
declare -A SET_FILES SET_BYTES
gen_tree() { # dir ndirs nfiles size days
    local dir=$1 nd=$2 nf=$3 size=$4 days=$5 i k d
    local -a dates=()
    for ((k = 0; k < days; k++)); do dates+=("$(date -u -d "today - $k days" +%Y%m%d)"); done
    mkdir -p "$dir"
    for ((i = 0; i < nd; i++)); do
        d=$(printf '%s/gate_io_S%03d-USDT_%s' "$dir" $((i / days)) "${dates[i % days]}")
        mkdir "$d"
        head -c $((nf * size)) /dev/urandom | split -b "$size" -d -a 5 --additional-suffix=.parquet - "$d/part_"
    done
}
gen_set() {
    local s=$1 t0=$SECONDS d
    local fresh=$DATA/$s # what this set adds: all of it but for INCR, whose linked LAKE files are framed already
    case $s in
        LAKE) gen_tree "$DATA/LAKE" 60 20 262144 20 ;;
        SMALL) gen_tree "$DATA/SMALL" 100 50 4096 20 ;;
        XL) gen_tree "$DATA/XL" 1000 100 1024 25 ;;
        M1) gen_tree "$DATA/M1" 1000 1000 64 25 ;;
        FLEET)
            for ((i = 0; i < FLEET_PROFILES; i++)); do gen_tree "$DATA/FLEET/$(collector "$i")" 1 20 262144 1; done
            ;;
        BIG)
            mkdir -p "$DATA/BIG/gate_io_BTC-USDT_$(date -u +%Y%m%d)"
            head -c $((BIG_MIB * 1048576)) /dev/urandom >"$DATA/BIG/gate_io_BTC-USDT_$(date -u +%Y%m%d)/part_00000.parquet"
            ;;
        INCR)
            # LAKE as hard links (the tools only read their source; -a keeps the times rsync compares), plus the
            # day a collector has just written: tomorrow's date under a symbol LAKE lacks, so it is the newest
            # day by date and by name and collides with nothing.
            cp -al "$DATA/LAKE" "$DATA/INCR"
            d=$DATA/INCR/gate_io_S099-USDT_$(date -u -d tomorrow +%Y%m%d)
            mkdir "$d"
            head -c $((INCR_FILES * INCR_SIZE)) /dev/urandom \
                | split -b "$INCR_SIZE" -d -a 5 --additional-suffix=.parquet - "$d/part_"
            fresh=$d # writing LAKE's files again through the links would give LAKE new modification times
            ;;
    esac
    # The random files get the frame of a Parquet file (PAR1, a minimal footer, PAR1), so that the sync's footer
    # check decodes every file as it would a collector's instead of publishing random bytes unchecked.
    python3 "$ROOT/bench/parquet_frame.py" "$fresh"
    local files bytes
    read -r files bytes < <(tree_stats "$DATA/$s")
    SET_FILES[$s]=$files
    SET_BYTES[$s]=$bytes
    note "generated $s: ${SET_FILES[$s]} files, $((SET_BYTES[$s] / 1048576)) MiB in $((SECONDS - t0)) s"
}
collector() { printf 'c%02d' "$1"; }
for s in LAKE INCR SMALL BIG XL FLEET M1; do # INCR after LAKE: it links to LAKE's files
    if need_set "$s"; then gen_set "$s"; fi
done
SET_FILES[DEAD]=$((DEAD_GOOD * 20))
SET_BYTES[DEAD]=$((DEAD_GOOD * 20 * 262144))
sync

# The disk may still be busy when timing starts: with the data sets just written, or with an earlier
# deletion (on a file system mounted with discard, deleting tens of GB slows file creation for
# minutes). Linux reports how much of the last 10 s tasks spent waiting for I/O; wait for it to fall.
settle() {
    [[ -r /proc/pressure/io && $SETTLE_MAX -gt 0 ]] || return 0
    local waited=0 pct
    while :; do
        pct=$(awk '/^some/ { split($2, a, "="); print int(a[2]) }' /proc/pressure/io)
        (( pct < 5 )) && break
        if (( waited >= SETTLE_MAX )); then
            note "the disk is still busy after ${waited} s (I/O pressure ${pct} %); timing anyway, expect noise"
            return 0
        fi
        (( waited == 0 )) && note "waiting for the disk to settle (I/O pressure ${pct} % over the last 10 s)..."
        sleep 5
        waited=$((waited + 5))
    done
    (( waited == 0 )) || note "the disk settled after ${waited} s"
}
settle
src_of() { echo "$DATA/$(stat_key "$1")"; }

# ---- runs ---------------------------------------------------------------------------------------------
TARGETS=$WORK/targets
echo "stamp,set,link,tool,run,wall_s,user_s,sys_s,max_rss_kib,exit_code,status,files,bytes,target" >"$CSV"

ours_config() { # name set link source-dir -> config path
    local name=$1 dset=$2 link=$3 src=$4 cfg=$WORK/configs/$1.yml root=$TARGETS store="" key=""
    if [[ -n $OURS_PROFILE_KEY ]]; then key=$'\n'"      $OURS_PROFILE_KEY"; fi
    if [[ $dset == S3* ]]; then
        root=s3://$(s3_bucket "$name")
        store=$'\n'"  object_store: {endpoint: \"$S3_ENDPOINT\", region: us-east-1, path_style: true}"
    fi
    cat >"$cfg" <<EOF
data_lake:
  root_dir: "$root"
  checkpoint_dir: "$WORK/checkpoints/$name"$store
  profiles:
    $PROFILE:
      source:
        type: ssh
        host: 127.0.0.1
        port: ${LINK_PORT[$link]}
        user: root
        ssh_key: "$KEY"
        known_hosts: "$KNOWN_HOSTS"
        remote_root: "$src"
      local_subdir: "$name"
      retention_days: 0
      rsync_args: "$OURS_ARGS"$key
EOF
    echo "$cfg"
}

# FLEET and DEAD: one profile per collector, each into NAME/<collector>; DEAD adds the silent hosts.
fleet_config() { # name set link -> config path
    local name=$1 dset=$2 link=$3 cfg=$WORK/configs/$1.yml i n=$FLEET_PROFILES args=$OURS_ARGS
    if [[ $dset == DEAD ]]; then n=$DEAD_GOOD args="$OURS_ARGS --timeout=10 --contimeout=10"; fi
    {
        printf 'data_lake:\n  root_dir: "%s"\n  checkpoint_dir: "%s"\n  profiles:\n' "$TARGETS" "$WORK/checkpoints/$name"
        for ((i = 0; i < n; i++)); do fleet_profile "$(collector "$i")" "${LINK_PORT[$link]}" "$name" "$args"; done
        if [[ $dset == DEAD ]]; then
            for ((i = 0; i < ${#SILENT_PORTS[@]}; i++)); do fleet_profile "silent$i" "${SILENT_PORTS[i]}" "$name" "$args"; done
        fi
    } >"$cfg"
    echo "$cfg"
}
fleet_profile() { # collector port target args
    cat <<EOF
    $1:
      source: {type: ssh, host: 127.0.0.1, port: $2, user: root, ssh_key: "$KEY", known_hosts: "$KNOWN_HOSTS", remote_root: "$DATA/FLEET/$1"}
      local_subdir: "$3/$1"
      retention_days: 0
      rsync_args: "$4"
EOF
}

# The command line of TOOL syncing SET's source (or that of the data set SOURCE: a row's preparation) over LINK
# into target NAME, as an array in CMD. Ours and plain write NAME's config anew each time: the same profile,
# target and checkpoint, only remote_root following SOURCE.
tool_cmd() { # tool set link name [source]
    local tool=$1 dset=$2 link=$3 name=$4 port=${LINK_PORT[$3]} src
    src=$(src_of "${5:-$dset}") # a data set's own name is its key
    case $tool@$dset in
        ours@FLEET | ours@DEAD)
            # shellcheck disable=SC2206
            CMD=(env QUANTS_INFRA_JAVA_OPTS="$OURS_JAVA_OPTS" "$ROOT/bin/quants-infra" data-lake sync --all \
                --config "$(fleet_config "$name" "$dset" "$link")" --no-cleanup $OURS_CLI_ARGS)
            ;;
        rsync@FLEET)
            CMD=(bash -c "mkdir -p '$TARGETS/$name' && for ((i = 0; i < $FLEET_PROFILES; i++)); do printf 'c%02d\n' \$i; done | xargs -P8 -I{} rsync ${RSYNC_ARGS[*]} -e 'ssh ${SSH_OPTS[*]} -p $port' 'root@127.0.0.1:$DATA/FLEET/{}/' '$TARGETS/$name/{}/'")
            ;;
        ours@*)
            # shellcheck disable=SC2206
            # through the launcher, with the JVM options every user gets; the S3 server's keys for the S3 sets
            CMD=(env QUANTS_INFRA_JAVA_OPTS="$OURS_JAVA_OPTS" "${S3_KEYS[@]}" "$ROOT/bin/quants-infra" data-lake sync \
                "$PROFILE" --config "$(ours_config "$name" "$dset" "$link" "$src")" --no-cleanup $OURS_CLI_ARGS)
            ;;
        plain@*)
            # shellcheck disable=SC2206
            # the same jar and config with the JVM's defaults: no launcher, no jvm.options, no CDS archive
            CMD=(java -jar "$JAR" data-lake sync "$PROFILE" --config "$(ours_config "$name" "$dset" "$link" "$src")" \
                --no-cleanup $OURS_CLI_ARGS)
            ;;
        rclone@*)
            # Remotes given on the command line (:backend,option=value:path), no config file. rclone's AWS SDK
            # fails with LoadCustomCABundleError when AWS_CA_BUNDLE is set, though the endpoint is plain HTTP.
            CMD=(env -u AWS_CA_BUNDLE rclone --config /dev/null sync \
                ":sftp,host=127.0.0.1,port=$port,user=root,key_file='$KEY',known_hosts_file='$KNOWN_HOSTS':$src" \
                "$(s3_remote "$(s3_bucket "$name")/$name")" "${RCLONE_ARGS[@]}")
            ;;
        rsync@*)
            CMD=(rsync "${RSYNC_ARGS[@]}" -e "ssh ${SSH_OPTS[*]} -p $port" "root@127.0.0.1:$src/" "$TARGETS/$name/")
            ;;
        sftp@*)
            printf 'get -r "%s" "%s"\n' "$src" "$TARGETS/$name" >"$WORK/configs/$name.sftp"
            CMD=(sftp "${SSH_OPTS[@]}" -q -P "$port" -r -b "$WORK/configs/$name.sftp" root@127.0.0.1)
            ;;
    esac
}

declare -A WALLS RSSES CPUS FAILS
FAILED=0
total=0
for p in "${PAIRS[@]}"; do
    n=2
    if [[ ${p%@*} == BIG ]]; then n=3; fi
    if [[ ${p%@*} == DEAD ]]; then n=1; fi
    if has_plain "${p%@*}"; then n=$((n + 1)); fi
    total=$((total + RUNS * n))
done
done_runs=0

timed_run() { # set link tool run
    local dset=$1 link=$2 tool=$3 run=$4
    local name=$dset-$link-$tool-$run tf=$WORK/logs/$dset-$link-$tool-$run.time log=$WORK/logs/$dset-$link-$tool-$run.log
    local rc status wall user sys rss files bytes target=$TARGETS/$name prep prep_rc=0
    if [[ $dset == S3* ]]; then # the objects, as files of the filesystem backend
        target=$S3_DIR/$(s3_bucket "$name")/$name
        make_bucket "$name"
    fi
    prep=$(prep_key "$dset")
    if [[ -n $prep ]]; then
        # NOOP times a second, no-change sync into a target this tool has just synced with the same command; INCR
        # a sync of LAKE plus a new day into a target this tool has just synced from LAKE (for ours, with the
        # same profile, target and checkpoint, as the next cron tick would find them).
        tool_cmd "$tool" "$dset" "$link" "$name" "$prep"
        set +e
        timeout -k 10 "$RUN_TIMEOUT" "${CMD[@]}" >"$log.prepare" 2>&1
        prep_rc=$?
        set -e
        ((prep_rc == 0)) || note "preparation of $name failed (exit $prep_rc); see $log.prepare"
    fi
    tool_cmd "$tool" "$dset" "$link" "$name"
    sync # start every timed run with no dirty pages from the previous one
    set +e
    /usr/bin/time -f '%e %U %S %M' -o "$tf" timeout -k 10 "$RUN_TIMEOUT" "${CMD[@]}" >"$log" 2>&1
    rc=$?
    set -e
    read -r wall user sys rss < <(tail -n 1 "$tf")
    if [[ -d $target ]]; then read -r files bytes < <(tree_stats "$target"); else files=0 bytes=0; fi
    local key
    key=$(stat_key "$dset")
    [[ $dset == DEAD ]] && key=DEAD # it reads FLEET's first profiles only
    if ((prep_rc != 0)); then # the timed run would not have measured what the row is for
        status=prepare-exit-$prep_rc
    elif ((rc == 124 || rc == 137)); then
        status=timeout
    elif ((rc != 0)) && ! [[ $dset == DEAD && $rc == 3 ]]; then # DEAD ends in exit 3: some hosts are unreachable
        status=exit-$rc
    elif [[ $files != "${SET_FILES[$key]}" || $bytes != "${SET_BYTES[$key]}" ]]; then
        status=mismatch
    else
        status=ok
    fi
    if [[ $status == ok && $dset == BIG ]]; then
        cmp -s "$DATA/BIG/"*/part_00000.parquet "$TARGETS/$name/"*/part_00000.parquet 2>/dev/null \
            || cmp -s "$DATA/BIG/"*/part_00000.parquet "$TARGETS/$name/BIG/"*/part_00000.parquet 2>/dev/null \
            || status=mismatch
    fi
    echo "$STAMP,$dset,$link,$tool,$run,$wall,$user,$sys,$rss,$rc,$status,$files,$bytes,$target" >>"$CSV"
    done_runs=$((done_runs + 1))
    if [[ $status == ok ]]; then
        WALLS[$dset@$link@$tool]+=" $wall"
        RSSES[$dset@$link@$tool]+=" $rss"
        CPUS[$dset@$link@$tool]+=" $(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')"
        printf '[%3d/%d] %-6s %-8s %-6s run %d: %7.2f s  %5d MiB\n' "$done_runs" "$total" "$dset" "$link" "$tool" "$run" \
            "$wall" $((rss / 1024))
    else
        FAILS[$dset@$link@$tool]=$((${FAILS[$dset@$link@$tool]:-0} + 1))
        FAILED=1
        printf '[%3d/%d] %-6s %-8s %-6s run %d: FAILED (%s, %s files, %s bytes; expected %s, %s); log %s\n' \
            "$done_runs" "$total" "$dset" "$link" "$tool" "$run" "$status" "$files" "$bytes" \
            "${SET_FILES[$key]}" "${SET_BYTES[$key]}" "$log"
    fi
}

# Reads a data set's files once, untimed. The runs write far more than the page cache holds (BIG alone
# 15 GiB), so a set timed later may have left it; whichever tool ran first then read it from the disk
# for both (XL: ours 10-12 s in its first run, 7-8 s in the others, rsync the same in all five).
warm() {
    find "$1" -type f -print0 | xargs -0 -r cat >/dev/null
}

# The S3 server is a JVM that stays up: its first requests run interpreted. Before its first timed run, an
# untimed sync of the set by each tool into a bucket of its own warms it, so that no timed run pays for that.
S3_WARM=0
warm_s3() { # set link
    local tool
    ((S3_WARM)) && return 0
    S3_WARM=1
    for tool in ours rclone; do
        make_bucket "$1-$2-$tool-warmup"
        tool_cmd "$tool" "$1" "$2" "$1-$2-$tool-warmup"
        timeout -k 10 "$RUN_TIMEOUT" "${CMD[@]}" >"$WORK/logs/$1-$2-$tool-warmup.log" 2>&1 \
            || note "warm-up of the S3 server by $tool failed (exit $?); see $WORK/logs/$1-$2-$tool-warmup.log"
    done
}

note "timing $total runs: ${PAIRS[*]} (RUNS=$RUNS, alternating ours and rsync, or rclone for the S3 sets$( ((PLAIN)) && echo ', then plain'))"
for p in "${PAIRS[@]}"; do
    dset=${p%@*} link=${p#*@}
    warm "$(src_of "$dset")"
    if [[ $dset == S3* ]]; then warm_s3 "$dset" "$link"; fi # once
    for ((r = 1; r <= RUNS; r++)); do
        # A source edited since the build makes the launcher rebuild the jar inside the timed run.
        [[ -z $(find "$ROOT/pom.xml" "$ROOT"/lake-*/pom.xml "$ROOT"/lake-*/src -newer "$JAR" -type f 2>/dev/null | head -n 1) ]] \
            || die "the sources changed during the bench: the launcher would rebuild its jar inside a timed run; start again"
        timed_run "$dset" "$link" ours "$r"
        # rsync has no run of many profiles to compare
        [[ $dset == DEAD ]] || timed_run "$dset" "$link" "$(other_tool "$dset")" "$r"
        if has_plain "$dset"; then timed_run "$dset" "$link" plain "$r"; fi
        if [[ $dset == BIG ]]; then timed_run "$dset" "$link" sftp "$r"; fi
    done
done

# ---- stats on the XL and M1 lakes ---------------------------------------------------------------------
# `stats` reads metadata only: a few seconds for 100,000 files, and bounded memory for a million.
STATS_LINES=()
for s in XL M1; do
    cfg=$WORK/configs/$s-loopback-ours-1.yml
    [[ -f $cfg && -d $TARGETS/$s-loopback-ours-1 ]] || continue
    stats_walls=() stats_rss=()
    for ((r = 1; r <= RUNS; r++)); do
        sync
        /usr/bin/time -f '%e %M' -o "$WORK/logs/$s-stats-$r.time" \
            "$ROOT/bin/quants-infra" data-lake stats "$PROFILE" --config "$cfg" >"$WORK/logs/$s-stats-$r.log" 2>&1 \
            || note "stats of the $s lake failed; see $WORK/logs/$s-stats-$r.log"
        read -r wall rss < <(tail -n 1 "$WORK/logs/$s-stats-$r.time")
        stats_walls+=("$wall") stats_rss+=("$rss")
    done
    STATS_LINES+=("\`stats\` of the $s lake (${SET_FILES[$s]} files, metadata only): median $(median "${stats_walls[@]}") s, peak RSS $(mib "$(max_of "${stats_rss[@]}")") MiB.")
    note "${STATS_LINES[-1]}"
done

# ---- summary ------------------------------------------------------------------------------------------
or_dash() { if [[ -n $1 ]]; then echo "$1"; else echo "—"; fi; }
ok_mark() { # value limit -> ✓/✗/empty
    [[ -z $1 || -z $2 || $1 == "—" ]] && return 0
    awk -v v="$1" -v t="$2" 'BEGIN { print (v <= t) ? "✓" : "✗" }'
}
describe_set() {
    case $1 in
        LAKE) echo "60 dirs × 20 files × 256 KiB" ;;
        SMALL) echo "100 dirs × 50 files × 4 KiB" ;;
        BIG) echo "1 file × $BIG_MIB MiB" ;;
        NOOP) echo "LAKE again, already synced" ;;
        INCR) echo "LAKE plus one new day ($INCR_FILES files × $((INCR_SIZE / 1024)) KiB) into a target its tool has synced from LAKE: the hourly cron tick" ;;
        M1) echo "1,000 dirs × 1,000 files × 64 B" ;;
        M1NOOP) echo "M1 again, already synced" ;;
        XL) echo "1,000 dirs × 100 files × 1 KiB" ;;
        XLNOOP) echo "XL again, already synced" ;;
        FLEET) echo "$FLEET_PROFILES profiles × 20 files × 256 KiB; ours \`sync --all\`, rsync \`xargs -P8\` one per profile" ;;
        DEAD) echo "$DEAD_GOOD FLEET profiles + $DEAD_SILENT hosts that accept TCP and never answer, --timeout=10 --contimeout=10; exit 3 expected" ;;
        S3LAKE) echo "LAKE from the sshd into a new bucket of the S3 server; against \`rclone sync\`" ;;
        S3NOOP) echo "S3LAKE again into a bucket already synced by the same tool" ;;
    esac
}
# One table per tool ours is timed against (rsync, rclone), of the pairs timed against it. rsync's has the plain
# `java -jar` runs beside the launcher's (no S3 row has them).
summary_table() { # other-tool
    local other=$1 p dset link o r f orss rrss q t tcell fs fq rsscell fails oc rc cq ct pl plcells="" plhead="" plrule=""
    if [[ $other == rsync ]]; then plhead=" Ours plain-JVM s | Plain/rsync |" plrule="---:|---:|"; fi
    echo "| Set | Link | Ours median s | $other median s | Ours/$other | Target |$plhead Ours CPU s | $other CPU s | CPU ratio | sftp median s | Ours/sftp | Ours peak RSS MiB | $other peak RSS MiB | Failed runs |"
    echo "|---|---|---:|---:|---:|---|$plrule---:|---:|---:|---:|---:|---:|---:|---:|"
    for p in "${PAIRS[@]}"; do
        dset=${p%@*} link=${p#*@}
        [[ $(other_tool "$dset") == "$other" ]] || continue
        # shellcheck disable=SC2086
        {
            o=$(median ${WALLS[$p@ours]:-}); r=$(median ${WALLS[$p@$other]:-}); f=$(median ${WALLS[$p@sftp]:-})
            pl=$(median ${WALLS[$p@plain]:-})
            orss=$(max_of ${RSSES[$p@ours]:-}); rrss=$(max_of ${RSSES[$p@$other]:-})
            oc=$(median ${CPUS[$p@ours]:-}); rc=$(median ${CPUS[$p@$other]:-})
        }
        q=$(ratio "$o" "$r")
        cq=$(ratio "$oc" "$rc")
        ct=$(cpu_target "$dset")
        if [[ -n $ct && $cq != "—" ]]; then cq+=" (≤$ct $(ok_mark "$cq" "$ct"))"; fi
        t=$(ratio_target "$dset" "$link")
        tcell="—"
        if [[ -n $t ]]; then tcell="≤$t× $(ok_mark "$q" "$t")"; fi
        if [[ $dset == DEAD ]]; then tcell="≤$DEAD_TARGET_S s $(ok_mark "$o" "$DEAD_TARGET_S")"; fi
        fs="—"; fq="—"
        if [[ $dset == BIG ]]; then fs=$(or_dash "$f"); fq=$(ratio "$o" "$f"); fi
        rsscell="$(mib "$orss")"
        if [[ -n $orss ]]; then rsscell+=" $(ok_mark "$(mib "$orss")" "$RSS_TARGET_MIB")"; fi
        if [[ $other == rsync ]]; then plcells=" $(or_dash "$pl") | $(ratio "$pl" "$r") |"; fi
        fails=$((${FAILS[$p@ours]:-0} + ${FAILS[$p@$other]:-0} + ${FAILS[$p@sftp]:-0} + ${FAILS[$p@plain]:-0}))
        echo "| $dset | $link | $(or_dash "$o") | $(or_dash "$r") | $q | $tcell |$plcells $(or_dash "$oc") | $(or_dash "$rc") | $cq | $fs | $fq | $rsscell | $(mib "$rrss") | $fails |"
    done
}
{
    sep=""
    for other in rsync rclone; do
        for p in "${PAIRS[@]}"; do
            if [[ $(other_tool "${p%@*}") == "$other" ]]; then
                printf '%s' "$sep"
                summary_table "$other"
                sep=$'\n'
                break
            fi
        done
    done
} >"$WORK/table.md"

rate_note=""
if [[ $RATE != 0 ]]; then rate_note=", capped at $RATE B/s per direction"; fi
{
    echo "# data-lake benchmark $STAMP"
    echo
    echo "Ours: \`bin/quants-infra data-lake sync $PROFILE --config … --no-cleanup${OURS_CLI_ARGS:+ $OURS_CLI_ARGS}\` (the launcher's JVM options),"
    echo "\`rsync_args: \"$OURS_ARGS\"\` (atomic publish: temp file, made durable, rename), default \`parallel_files\`,"
    echo "\`retention_days: 0\`${OURS_JAVA_OPTS:+, JVM options \`$OURS_JAVA_OPTS\`}."
    if ((PLAIN)); then
        echo "Plain JVM (\`PLAIN=1\`; not FLEET, DEAD, M1, M1NOOP or the S3 sets): \`java -jar lake-cli/target/quants-infra.jar data-lake sync $PROFILE"
        echo "--config … --no-cleanup${OURS_CLI_ARGS:+ $OURS_CLI_ARGS}\` with a config like ours, the JVM's defaults: no launcher, no JVM options, no CDS archive."
    fi
    echo "rsync: \`rsync ${RSYNC_ARGS[*]} -e \"ssh …\" src/ dst/\`. sftp (BIG only): \`sftp -r -b\` with \`get -r\`."
    if ((USES_S3)); then
        echo "S3 sets: into S3Proxy 2.6.0 (lake-demo's \`DemoS3Server\`, filesystem backend on the same disk) at $S3_ENDPOINT, ours with"
        echo "\`root_dir: s3://BUCKET\` and the run's name NAME as \`local_subdir\`, each run into a bucket of its own; rclone: \`rclone sync"
        echo ":sftp,host=…,key_file=…,known_hosts_file=…:SRC :s3,provider=Other,endpoint=…,force_path_style=true,…:BUCKET/NAME ${RCLONE_ARGS[*]}\`."
    fi
    echo "Server: OpenSSH sshd on 127.0.0.1 (\`internal-sftp\`), Ed25519 keys${SSHD_RESTRICTED:+, restricted to $SSHD_RESTRICTED}. Links: loopback; \`Nms\` = LatencyProxy"
    echo "with N/2 ms each way$rate_note."
    echo "Runs: $RUNS per tool, alternating ours and rsync (rclone)$( ((PLAIN)) && echo ', then plain'), each into a new directory (bucket); medians of wall time;"
    echo "peak RSS is the largest maximum resident set size over the runs (\`/usr/bin/time\`)."
    echo "Targets from the issues: ratio ours/rsync, ours/rclone for the S3 sets (Target column), CPU ratio (issue #22: ≤ 2, ≤ 1.5 for the"
    echo "per-file rows SMALL, XL, XLNOOP, INCR), and ours peak RSS ≤ $RSS_TARGET_MIB MiB."
    echo
    for s in $SETS; do echo "- $s: $(describe_set "$s")"; done
    echo
    cat "$WORK/table.md"
    echo
    for line in "${STATS_LINES[@]}"; do
        echo "$line"
        echo
    done
    echo "Machine:"
    echo
    echo '```'
    echo "uname -a: $(uname -a)"
    echo "nproc: $(nproc)"
    echo "cpu: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
    echo "memory: $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
    echo "disk: $(df -T "$WORK_ROOT" | awk 'NR == 2 {print $2 " on " $1}')"
    echo "java: $(java -version 2>&1 | head -n 2 | tr '\n' ' ')"
    echo "openssh: $(ssh -V 2>&1); sshd $(dpkg-query -W -f '${Version}' openssh-server 2>/dev/null || echo '?')"
    echo "rsync: $(rsync --version | head -n 1)"
    if ((USES_S3)); then echo "rclone: $(rclone version 2>/dev/null | head -n 1)"; fi
    echo "load average (1/5/15 min): $LOAD_START at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end; took $((SECONDS / 60)) min"
    echo "engine: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?') ($(git -C "$ROOT" rev-parse --abbrev-ref HEAD 2>/dev/null || echo '?')$([[ -n $(git -C "$ROOT" status --porcelain -- lake-core lake-s3 lake-demo lake-cli 2>/dev/null) ]] && echo ', uncommitted changes'))"
    echo '```'
    echo
    echo "Every run: \`$(realpath --relative-to="$ROOT" "$CSV" 2>/dev/null || echo "$CSV")\`."
} >"$MD"

say ""
cat "$WORK/table.md"
say ""
say "CSV (every run): $CSV"
say "Markdown:        $MD"
if ((FAILED)); then
    note "some runs failed; see the Failed runs column and the logs in $WORK/logs"
    exit 1
fi
