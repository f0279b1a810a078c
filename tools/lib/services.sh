# shellcheck shell=bash
# Private PostgreSQL and Redis servers for tests and local runs. Source it after common.sh.
#
#   start_postgres DATA_DIR PORT [test|dev]   a PostgreSQL 15 cluster in DATA_DIR on 127.0.0.1:PORT, with
#                                             role `audotics` owning database `audotics` (extensions pg_trgm,
#                                             unaccent, citext and pgcrypto created there and in template1).
#                                             `test` turns durability off (fsync, synchronous_commit) for speed.
#   stop_postgres DATA_DIR                    stop it (pg_ctl -m fast; the postmaster PID as a fallback).
#   postgres_running DATA_DIR                 true when the cluster's postmaster is alive.
#   postgres_url PORT                         postgresql://audotics@127.0.0.1:PORT/audotics
#   start_redis DATA_DIR PORT [yes|no]        a Redis on 127.0.0.1:PORT with its files in DATA_DIR; the third
#                                             argument is appendonly (default no: nothing is persisted).
#   stop_redis DATA_DIR                       stop it by the PID in DATA_DIR/redis.pid.
#   redis_running DATA_DIR                    true when that PID is alive.
#   redis_url PORT                            redis://127.0.0.1:PORT
#
# Everything is idempotent: starting a running server checks it and returns; stopping a stopped one is a no-op.
# Servers are always stopped by their own PID (never by name), so other PostgreSQL or Redis servers on the
# machine are left alone.

if [[ -n "${_AUDOTICS_SERVICES_SH:-}" ]]; then
    return 0
fi
_AUDOTICS_SERVICES_SH=1

# shellcheck source=tools/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

AUDOTICS_PG_BIN="${AUDOTICS_PG_BIN:-/usr/lib/postgresql/15/bin}"
AUDOTICS_PG_USER="${AUDOTICS_PG_USER:-postgres}"
AUDOTICS_DB_NAME="${AUDOTICS_DB_NAME:-audotics}"
AUDOTICS_DB_ROLE="${AUDOTICS_DB_ROLE:-audotics}"
AUDOTICS_PG_EXTENSIONS=(pg_trgm unaccent citext pgcrypto)

# _abs_path PATH: an absolute path for PATH (which need not exist yet).
_abs_path() {
    local p="$1"
    [[ "$p" == /* ]] || p="${PWD}/${p}"
    # Normalise the existing part; keep the rest as given.
    local dir base
    dir="$(dirname "$p")"
    base="$(basename "$p")"
    if [[ -d "$dir" ]]; then
        echo "$(cd "$dir" && pwd -P)/${base}"
    else
        echo "$p"
    fi
}

# _as_pg CMD...: run a command as the postgres OS user (PostgreSQL's server programs refuse root), from /
# so that it never complains about an unreadable current directory.
_as_pg() {
    if [[ "$(id -u)" -eq 0 ]]; then
        (cd / && runuser -u "$AUDOTICS_PG_USER" -- "$@")
    else
        (cd / && "$@")
    fi
}

# _ensure_traversable DIR: make sure the postgres user can reach DIR (adds o+x to ancestors that lack it).
_ensure_traversable() {
    [[ "$(id -u)" -eq 0 ]] || return 0
    local d="$1"
    while [[ "$d" != "/" && -n "$d" ]]; do
        if ! runuser -u "$AUDOTICS_PG_USER" -- test -x "$d" 2>/dev/null; then
            log "allowing the ${AUDOTICS_PG_USER} user to traverse ${d} (chmod o+x)"
            chmod o+x "$d" || die "cannot chmod o+x ${d}; put the data folder elsewhere"
        fi
        d="$(dirname "$d")"
    done
}

# _pg_locale: C.UTF-8 when the system has it, else C.
_pg_locale() {
    if locale -a 2>/dev/null | grep -qiE '^c\.utf-?8$'; then
        echo C.UTF-8
    else
        echo C
    fi
}

# _pg_psql PORT DB ARGS...: psql as the postgres superuser over TCP, stopping at the first error.
_pg_psql() {
    local port="$1" db="$2"
    shift 2
    PGOPTIONS="-c client_min_messages=warning" "${AUDOTICS_PG_BIN}/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d "$db" "$@"
}

postgres_url() {
    echo "postgresql://${AUDOTICS_DB_ROLE}@127.0.0.1:$1/${AUDOTICS_DB_NAME}"
}

# _postmaster_pid DATA_DIR: the PID in postmaster.pid (empty if none).
_postmaster_pid() {
    local f="$1/postmaster.pid"
    if [[ -f "$f" ]]; then
        head -n 1 "$f" 2>/dev/null || true
    fi
}

postgres_running() {
    local data
    data="$(_abs_path "$1")"
    local pid
    pid="$(_postmaster_pid "$data")"
    pid_alive "$pid"
}

# _postgres_port DATA_DIR: the port the running cluster listens on (line 4 of postmaster.pid).
_postgres_port() {
    sed -n 4p "$1/postmaster.pid" 2>/dev/null || true
}

start_postgres() {
    [[ $# -ge 2 ]] || die "usage: start_postgres DATA_DIR PORT [test|dev]"
    local data port="$2" profile="${3:-dev}"
    data="$(_abs_path "$1")"
    [[ -x "${AUDOTICS_PG_BIN}/initdb" ]] ||
        die "PostgreSQL server programs not found in ${AUDOTICS_PG_BIN} (install postgresql)"

    if postgres_running "$data"; then
        local running_port
        running_port="$(_postgres_port "$data")"
        if [[ "$running_port" != "$port" ]]; then
            die "PostgreSQL in ${data} is already running on port ${running_port}, not ${port}; stop it first"
        fi
        log "PostgreSQL already running in ${data} on port ${port}"
    else
        if [[ -e "$data" && ! -f "${data}/PG_VERSION" && -n "$(ls -A "$data" 2>/dev/null)" ]]; then
            die "${data} exists, is not empty and is not a PostgreSQL cluster"
        fi
        mkdir -p "$data"
        _ensure_traversable "$(dirname "$data")"
        if [[ "$(id -u)" -eq 0 ]]; then
            chown -R "${AUDOTICS_PG_USER}:" "$data"
        fi
        chmod 700 "$data"

        if [[ ! -f "${data}/PG_VERSION" ]]; then
            local loc
            loc="$(_pg_locale)"
            log "creating a PostgreSQL cluster in ${data} (locale ${loc})"
            _as_pg "${AUDOTICS_PG_BIN}/initdb" -D "$data" --auth=trust --username=postgres -E UTF8 \
                --locale="$loc" >"${TMPDIR:-/tmp}/audotics-initdb.$$.log" 2>&1 || {
                cat "${TMPDIR:-/tmp}/audotics-initdb.$$.log" >&2
                rm -f "${TMPDIR:-/tmp}/audotics-initdb.$$.log"
                die "initdb failed for ${data}"
            }
            rm -f "${TMPDIR:-/tmp}/audotics-initdb.$$.log"
            # Our settings live in their own file, rewritten at every start (port may change).
            echo "include_if_exists = 'audotics.conf'" | _as_pg tee -a "${data}/postgresql.conf" >/dev/null
        fi

        # The Unix socket goes in the data folder when its path fits (sun_path holds 107 bytes); we
        # always connect over TCP anyway.
        local socket_dir="$data"
        if ((${#data} + 20 > 107)); then
            socket_dir=""
        fi
        {
            echo "# Written by tools/lib/services.sh at every start; edit postgresql.conf for your own settings."
            echo "listen_addresses = '127.0.0.1'"
            echo "port = ${port}"
            echo "unix_socket_directories = '${socket_dir}'"
            echo "max_connections = 200"
            echo "logging_collector = off"
            echo "log_min_messages = warning"
            echo "log_line_prefix = '%m [%p] %q%u@%d '"
            if [[ "$profile" == "test" ]]; then
                echo "fsync = off"
                echo "synchronous_commit = off"
                echo "full_page_writes = off"
            fi
        } | _as_pg tee "${data}/audotics.conf" >/dev/null

        if port_in_use "$port"; then
            die "port ${port} on 127.0.0.1 is already in use; choose another (AUDOTICS_PG_PORT)"
        fi
        log "starting PostgreSQL (${data}, 127.0.0.1:${port})"
        if ! _as_pg "${AUDOTICS_PG_BIN}/pg_ctl" start -D "$data" -l "${data}/postgresql.log" -w -t 60 \
            >/dev/null; then
            tail -n 30 "${data}/postgresql.log" >&2 || true
            die "PostgreSQL failed to start; see ${data}/postgresql.log"
        fi
    fi

    local tries=0
    until "${AUDOTICS_PG_BIN}/pg_isready" -q -h 127.0.0.1 -p "$port" -t 1; do
        tries=$((tries + 1))
        if ((tries > 60)); then
            tail -n 30 "${data}/postgresql.log" >&2 || true
            die "PostgreSQL on port ${port} is not ready after 60s"
        fi
        sleep 1
    done

    _postgres_provision "$port"
}

# _postgres_provision PORT: role, database and extensions (idempotent).
_postgres_provision() {
    local port="$1" ext
    local role="$AUDOTICS_DB_ROLE" db="$AUDOTICS_DB_NAME"
    # Extensions in template1 too, so that databases tests create inherit them.
    for ext in "${AUDOTICS_PG_EXTENSIONS[@]}"; do
        _pg_psql "$port" template1 -c "CREATE EXTENSION IF NOT EXISTS ${ext}" >/dev/null ||
            die "cannot create extension ${ext} in template1"
    done
    _pg_psql "$port" postgres >/dev/null <<SQL || die "cannot create role ${role} / database ${db}"
SELECT format('CREATE ROLE %I LOGIN CREATEDB', '${role}')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${role}')
\\gexec
SELECT format('CREATE DATABASE %I OWNER %I', '${db}', '${role}')
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = '${db}')
\\gexec
SQL
    for ext in "${AUDOTICS_PG_EXTENSIONS[@]}"; do
        _pg_psql "$port" "$db" -c "CREATE EXTENSION IF NOT EXISTS ${ext}" >/dev/null ||
            die "cannot create extension ${ext} in ${db}"
    done
}

stop_postgres() {
    [[ $# -ge 1 ]] || die "usage: stop_postgres DATA_DIR"
    local data pid
    data="$(_abs_path "$1")"
    pid="$(_postmaster_pid "$data")"
    if ! pid_alive "$pid"; then
        return 0
    fi
    if ! _as_pg "${AUDOTICS_PG_BIN}/pg_ctl" stop -D "$data" -m fast -w -t 30 >/dev/null 2>&1; then
        log "pg_ctl stop failed for ${data}; signalling postmaster ${pid}"
        stop_pid "$pid" "PostgreSQL postmaster" 30
    fi
    # pg_ctl returns once postmaster.pid is gone; make sure the process is too.
    local waited=0
    while pid_alive "$pid" && ((waited < 100)); do
        sleep 0.1
        waited=$((waited + 1))
    done
    pid_alive "$pid" && stop_pid "$pid" "PostgreSQL postmaster" 5
    return 0
}

redis_url() {
    echo "redis://127.0.0.1:$1"
}

_redis_pid() {
    local f="$1/redis.pid"
    if [[ -f "$f" ]]; then
        head -n 1 "$f" 2>/dev/null || true
    fi
}

# redis_running DATA_DIR: true when the PID in redis.pid is alive and is a redis-server.
redis_running() {
    local data pid
    data="$(_abs_path "$1")"
    pid="$(_redis_pid "$data")"
    pid_alive "$pid" && grep -q redis "/proc/${pid}/comm" 2>/dev/null
}

start_redis() {
    [[ $# -ge 2 ]] || die "usage: start_redis DATA_DIR PORT [appendonly: yes|no]"
    local data port="$2" aof="${3:-no}"
    data="$(_abs_path "$1")"
    command -v redis-server >/dev/null || die "redis-server not found (install redis-server)"
    mkdir -p "$data"
    data="$(cd "$data" && pwd -P)"

    if redis_running "$data"; then
        log "Redis already running in ${data} (pid $(_redis_pid "$data"))"
    else
        rm -f "${data}/redis.pid"
        if port_in_use "$port"; then
            die "port ${port} on 127.0.0.1 is already in use; choose another (AUDOTICS_REDIS_PORT)"
        fi
        log "starting Redis (${data}, 127.0.0.1:${port}, appendonly ${aof})"
        (cd "$data" && redis-server --port "$port" --bind 127.0.0.1 --protected-mode yes \
            --dir "$data" --daemonize yes --pidfile "${data}/redis.pid" --logfile "${data}/redis.log" \
            --save '' --appendonly "$aof" --appendfilename appendonly.aof) ||
            die "redis-server failed to start; see ${data}/redis.log"
    fi

    local tries=0
    until [[ "$(redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null)" == "PONG" ]]; do
        tries=$((tries + 1))
        if ((tries > 300)); then
            tail -n 30 "${data}/redis.log" >&2 || true
            die "Redis on port ${port} does not answer PING after 30s"
        fi
        sleep 0.1
    done
    # The pidfile is written just after daemonizing; wait for it so stop_redis can find the server.
    tries=0
    until redis_running "$data"; do
        tries=$((tries + 1))
        ((tries > 100)) && die "Redis answers on port ${port} but ${data}/redis.pid names no live redis-server"
        sleep 0.1
    done
}

stop_redis() {
    [[ $# -ge 1 ]] || die "usage: stop_redis DATA_DIR"
    local data pid
    data="$(_abs_path "$1")"
    pid="$(_redis_pid "$data")"
    if pid_alive "$pid" && grep -q redis "/proc/${pid}/comm" 2>/dev/null; then
        stop_pid "$pid" "redis-server" 30
    fi
    rm -f "${data}/redis.pid"
}
