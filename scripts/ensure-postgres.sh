#!/usr/bin/env bash
# Make sure a PostgreSQL server answers on 127.0.0.1:5432 with a role and database for the tests.
# Installs Debian's postgresql when missing (as root), starts the cluster, creates the role.
# Prints the URL to use on its last line.
set -euo pipefail
PGURL="postgresql://onewindow:onewindow@127.0.0.1:5432/onewindow_test"

as_postgres() { if [ "$(id -u)" = 0 ]; then su postgres -c "$*"; else sudo -u postgres sh -c "$*"; fi; }

if ! command -v pg_ctlcluster >/dev/null 2>&1 || ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  if [ "$(id -u)" != 0 ]; then
    echo "PostgreSQL is not installed and this is not root: install the Debian package postgresql" >&2
    exit 1
  fi
  echo "Installing PostgreSQL (Debian package)..." >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
fi

if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
  if ! pg_lsclusters -h 2>/dev/null | grep -q "^$version main"; then
    pg_createcluster "$version" main >&2
  fi
  pg_ctlcluster "$version" main start >&2 || true
  for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
fi
pg_isready -h 127.0.0.1 -p 5432 -q || { echo "PostgreSQL did not start on 127.0.0.1:5432" >&2; exit 1; }

as_postgres "psql -q -tAc \"SELECT 1 FROM pg_roles WHERE rolname='onewindow'\" | grep -q 1 || psql -q -c \"CREATE ROLE onewindow LOGIN PASSWORD 'onewindow' CREATEDB CREATEROLE\"" >&2
# The test role's password is the test URL's, whatever an earlier run left behind.
as_postgres "psql -q -c \"ALTER ROLE onewindow LOGIN PASSWORD 'onewindow' CREATEDB CREATEROLE\"" >&2
as_postgres "psql -q -tAc \"SELECT 1 FROM pg_database WHERE datname='onewindow_test'\" | grep -q 1 || createdb -O onewindow onewindow_test" >&2
echo "$PGURL"
