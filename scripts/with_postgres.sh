#!/usr/bin/env bash
# Run a command beside a throwaway PostgreSQL server:  ./scripts/with_postgres.sh CMD [ARG...]
#
# Installs Debian's postgresql with apt-get when no PostgreSQL binaries are found, creates a cluster
# in a temporary folder (as the postgres user when run as root: initdb refuses root), starts it on a
# free loopback port, exports QUOTEGRAPH_TEST_POSTGRES=postgresql://postgres@127.0.0.1:PORT/postgres,
# runs CMD, then stops the server and deletes the folder. Exits with CMD's exit code.
# When no server can be had, CMD still runs, without the variable, and the reason is printed
# (the PostgreSQL tests then skip, or fail when CI is set).
set -u

if [ $# -eq 0 ]; then
    echo "usage: $0 CMD [ARG...]" >&2
    exit 2
fi
cmd=("$@")
tmp=""
as_owner=()

say() { echo "with_postgres.sh: $*" >&2; }

cleanup() {
    if [ -n "$tmp" ]; then
        if [ -f "$tmp/data/postmaster.pid" ]; then
            "${as_owner[@]}" "$pgbin/pg_ctl" -D "$tmp/data" -m fast -w stop >/dev/null 2>&1
        fi
        rm -rf "$tmp"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

without_postgres() {
    say "$1; running the command without PostgreSQL (QUOTEGRAPH_TEST_POSTGRES unset)"
    unset QUOTEGRAPH_TEST_POSTGRES
    "${cmd[@]}"
    exit $?
}

find_bin() {
    local found
    found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
    if [ -z "$found" ] && command -v initdb >/dev/null 2>&1; then
        found=$(dirname "$(command -v initdb)")
    fi
    echo "$found"
}

pgbin=$(find_bin)
if [ -z "$pgbin" ]; then
    if [ "$(id -u)" -eq 0 ]; then
        sudo=()
    elif sudo -n true 2>/dev/null; then
        sudo=(sudo)
    else
        without_postgres "no PostgreSQL binaries, and no root or sudo to install Debian's postgresql"
    fi
    if ! command -v apt-get >/dev/null 2>&1; then
        without_postgres "no PostgreSQL binaries and no apt-get to install them"
    fi
    say "installing Debian's postgresql (apt-get)"
    "${sudo[@]}" apt-get update -qq >&2 &&
        DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq postgresql >&2 ||
        without_postgres "apt-get install postgresql failed"
    pgbin=$(find_bin)
    [ -n "$pgbin" ] || without_postgres "postgresql installed but no initdb found"
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/quotegraph-postgres.XXXXXX") || without_postgres "cannot create a temporary folder"
chmod 755 "$tmp"
if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || without_postgres "running as root but there is no postgres user to own the cluster"
    as_owner=(runuser -u postgres --)
    install -d -o postgres -g postgres -m 700 "$tmp/data"
    install -d -o postgres -g postgres "$tmp/run"
else
    install -d -m 700 "$tmp/data"
    install -d "$tmp/run"
fi

"${as_owner[@]}" "$pgbin/initdb" -D "$tmp/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
    >"$tmp/run/initdb.log" 2>&1 || {
    tail -5 "$tmp/run/initdb.log" >&2
    without_postgres "initdb failed"
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

started=""
for _ in 1 2 3; do  # another program may take the port between choosing and binding it
    port=$(free_port) || break
    # a test server: durability off, so each test's CREATE DATABASE is quick
    if "${as_owner[@]}" "$pgbin/pg_ctl" -D "$tmp/data" -l "$tmp/run/postgres.log" -w -t 30 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $tmp/run -c fsync=off -c full_page_writes=off" \
        start >/dev/null 2>&1; then
        started=yes
        break
    fi
done
if [ -z "$started" ]; then
    tail -5 "$tmp/run/postgres.log" >&2 2>/dev/null
    without_postgres "the PostgreSQL server did not start"
fi

export QUOTEGRAPH_TEST_POSTGRES="postgresql://postgres@127.0.0.1:$port/postgres"
say "PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}') at $QUOTEGRAPH_TEST_POSTGRES (removed afterwards)"
"${cmd[@]}"
exit $?
