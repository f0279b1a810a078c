# shellcheck shell=bash
# Helpers shared by tools/test, tools/up and .ci/run. Source it; do not run it.
#
#   source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
#
# After sourcing, AUDOTICS_REPO is the repository root (resolved from this file's path, so callers may run
# from any directory). Nothing here changes the caller's shell options; the scripts set `set -euo pipefail`.

if [[ -n "${_AUDOTICS_COMMON_SH:-}" ]]; then
    return 0
fi
_AUDOTICS_COMMON_SH=1

AUDOTICS_REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
export AUDOTICS_REPO

# Where the Swift toolchain lives on our machines (Swift 6.3).
AUDOTICS_SWIFT_BIN="${AUDOTICS_SWIFT_BIN:-/opt/swift/usr/bin}"

# How every release build of ours compiles (tools/up, the benchmarks): release mode, with Swift's run-time
# exclusivity checks off in every module, ours and our dependencies (the compile-time checks stay; debug builds,
# so the tests and fuzzers, keep the run-time ones). The checks cost about 10% of the gRPC server's throughput
# (docs/benchmarks.md); the Swift standard library is built the same way. Package.swift turns them off for our
# own targets in release builds too, so a plain `swift build -c release` differs only in the dependencies.
AUDOTICS_SWIFT_RELEASE=(-c release -Xswiftc -enforce-exclusivity=unchecked)

# Debian 12 packages that building, testing and running the platform need.
AUDOTICS_APT_PACKAGES=(
    build-essential pkg-config
    protobuf-compiler protobuf-c-compiler libprotobuf-c-dev libprotobuf-dev libprotoc-dev
    libnghttp2-dev nghttp2-client nghttp2-server
    libssl-dev
    libpq-dev postgresql postgresql-contrib
    redis-server libhiredis-dev
    libargon2-dev zlib1g-dev
    python3 python3-venv
    curl ca-certificates openssl
    valgrind
)

# log MESSAGE...: a timestamped line on stderr, prefixed with the calling script's name.
log() {
    printf '[%s %s] %s\n' "$(date +%H:%M:%S)" "${AUDOTICS_LOG_NAME:-$(basename "$0")}" "$*" >&2
}

# die MESSAGE...: log the message and exit 1.
die() {
    log "error: $*"
    exit 1
}

# now_seconds: seconds since the epoch (for phase timings).
now_seconds() {
    date +%s
}

# ensure_path: put the Swift toolchain first on PATH (and check it is there).
ensure_path() {
    case ":${PATH}:" in
        ":${AUDOTICS_SWIFT_BIN}:"*) ;;
        *) PATH="${AUDOTICS_SWIFT_BIN}:${PATH}" ;;
    esac
    export PATH
    if [[ ! -x "${AUDOTICS_SWIFT_BIN}/swift" ]]; then
        die "Swift is not at ${AUDOTICS_SWIFT_BIN}/swift (set AUDOTICS_SWIFT_BIN to the toolchain's usr/bin)"
    fi
}

# _apt_installed PKG: true when dpkg says PKG is installed.
_apt_installed() {
    [[ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null || true)" == "installed" ]]
}

_AUDOTICS_APT_UPDATED=""

# ensure_apt_packages [PKG...]: install the packages that are missing (default: AUDOTICS_APT_PACKAGES).
# shellcheck disable=SC2120 # arguments are optional
# Runs `apt-get update` once, and only when something has to be installed. Needs root.
ensure_apt_packages() {
    local wanted=("$@")
    if [[ ${#wanted[@]} -eq 0 ]]; then
        wanted=("${AUDOTICS_APT_PACKAGES[@]}")
    fi
    local missing=() pkg
    for pkg in "${wanted[@]}"; do
        _apt_installed "$pkg" || missing+=("$pkg")
    done
    if [[ ${#missing[@]} -eq 0 ]]; then
        return 0
    fi
    if [[ "$(id -u)" -ne 0 ]]; then
        die "missing Debian packages: ${missing[*]} (run as root, or: sudo apt-get install ${missing[*]})"
    fi
    log "installing Debian packages: ${missing[*]}"
    local apt_opts=(-o DPkg::Lock::Timeout=600 -o Dpkg::Use-Pty=0)
    if [[ -z "${_AUDOTICS_APT_UPDATED}" ]]; then
        DEBIAN_FRONTEND=noninteractive apt-get "${apt_opts[@]}" update -q >&2 ||
            die "apt-get update failed"
        _AUDOTICS_APT_UPDATED=1
    fi
    # Keep packages (redis-server, postgresql) from starting their system-wide services on the default
    # ports during installation: we always run our own servers on our own ports. policy-rc.d is the
    # Debian-standard switch; we add it only if none exists, and always remove what we added.
    local policy=/usr/sbin/policy-rc.d added_policy="" status=0
    if [[ ! -e "$policy" ]]; then
        printf '#!/bin/sh\n# added by audotics tools/lib/common.sh during apt-get install\nexit 101\n' >"$policy"
        chmod 755 "$policy"
        added_policy=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get "${apt_opts[@]}" install -y -q --no-install-recommends \
        "${missing[@]}" >&2 || status=$?
    if [[ -n "$added_policy" ]]; then
        rm -f "$policy"
    fi
    [[ $status -eq 0 ]] || die "apt-get install failed (status $status) for: ${missing[*]}"
    for pkg in "${missing[@]}"; do
        _apt_installed "$pkg" || die "package $pkg is still not installed after apt-get install"
    done
}

# system_python: the interpreter used to create the venv and for small helpers. Debian's python3 is
# preferred (pyenv's shim may point elsewhere); it must have venv + ensurepip (python3-venv).
system_python() {
    if [[ -x /usr/bin/python3 ]] && /usr/bin/python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
        echo /usr/bin/python3
    elif command -v python3 >/dev/null 2>&1 && python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
        command -v python3
    else
        die "no python3 with venv support (install python3-venv)"
    fi
}

# ensure_venv: create $AUDOTICS_REPO/.venv and install tools/requirements.txt into it, only when the
# requirements (or the interpreter) changed since the last successful install. Exports AUDOTICS_PYTHON.
ensure_venv() {
    local venv="${AUDOTICS_REPO}/.venv"
    local req="${AUDOTICS_REPO}/tools/requirements.txt"
    local stamp="${venv}/.audotics-requirements.sha256"
    local python
    python="$(system_python)"

    if [[ -d "$venv" ]] && ! "${venv}/bin/python" -c 'import sys' >/dev/null 2>&1; then
        log "the virtualenv at ${venv} is broken; recreating it"
        rm -rf "$venv"
    fi
    if [[ ! -x "${venv}/bin/python" ]]; then
        log "creating the Python virtualenv ${venv} (with ${python})"
        "$python" -m venv "$venv" || die "python3 -m venv failed"
    fi

    [[ -f "$req" ]] || die "missing ${req}"
    local want have=""
    want="$( { sha256sum <"$req"; "${venv}/bin/python" -c 'import sys; print(sys.version)'; } | sha256sum | cut -d' ' -f1)"
    [[ -f "$stamp" ]] && have="$(cat "$stamp")"
    if [[ "$want" != "$have" ]]; then
        log "installing Python packages from tools/requirements.txt into .venv"
        rm -f "$stamp"
        "${venv}/bin/python" -m pip install --disable-pip-version-check -q --upgrade pip >&2 ||
            die "pip upgrade failed"
        "${venv}/bin/python" -m pip install --disable-pip-version-check -q -r "$req" >&2 ||
            die "pip install -r tools/requirements.txt failed"
        echo "$want" >"$stamp"
    fi
    AUDOTICS_PYTHON="${venv}/bin/python"
    export AUDOTICS_PYTHON
}

# ensure_prerequisites: everything the scripts need: Swift on PATH, Debian packages, the Python venv.
ensure_prerequisites() {
    ensure_path
    ensure_apt_packages "${AUDOTICS_APT_PACKAGES[@]}"
    ensure_venv
}

# free_port: print a TCP port on 127.0.0.1 that the kernel says is free right now.
free_port() {
    "$(system_python)" -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()
'
}

# port_in_use PORT: true when something accepts TCP connections on 127.0.0.1:PORT.
port_in_use() {
    "$(system_python)" -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.settimeout(1)
try:
    s.connect(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(1)
finally:
    s.close()
' "$1"
}

# pid_alive PID: true when a process with that PID exists and is not a zombie (an exited daemon may stay a
# zombie for a while when PID 1 is slow to reap it).
pid_alive() {
    [[ -n "${1:-}" ]] && kill -0 "$1" 2>/dev/null || return 1
    local stat=""
    stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
    stat="${stat##*) }"
    [[ "${stat:0:1}" != "Z" ]]
}

# descendants PID: the PIDs of all processes below PID (children, grandchildren...), one a line.
descendants() {
    ps -eo pid=,ppid= | awk -v root="$1" '
        { parent[$1] = $2; pids[NR] = $1 }
        END {
            for (i = 1; i <= NR; i++) {
                p = pids[i]; q = parent[p]; depth = 0
                while (q != "" && q != 0 && q != 1 && depth < 64) {
                    if (q == root) { print p; break }
                    q = parent[q]; depth++
                }
            }
        }'
}

# stop_pid PID [NAME] [TIMEOUT]: SIGTERM, wait up to TIMEOUT seconds (default 20), then SIGKILL.
stop_pid() {
    local pid="$1" name="${2:-process}" timeout="${3:-20}" waited=0
    pid_alive "$pid" || return 0
    kill -TERM "$pid" 2>/dev/null || true
    while pid_alive "$pid"; do
        if ((waited >= timeout * 10)); then
            log "${name} (pid ${pid}) did not stop in ${timeout}s; sending SIGKILL"
            kill -KILL "$pid" 2>/dev/null || true
            waited=0
            while pid_alive "$pid" && ((waited < 50)); do
                sleep 0.1
                waited=$((waited + 1))
            done
            break
        fi
        sleep 0.1
        waited=$((waited + 1))
    done
    # Reap it if it is our child (ignore the status); harmless otherwise.
    wait "$pid" 2>/dev/null || true
}

# format_seconds N: "1m05s".
format_seconds() {
    printf '%dm%02ds' $(($1 / 60)) $(($1 % 60))
}
