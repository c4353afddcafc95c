#!/usr/bin/env bash
# Measure `seed_demo --participants 1000000` on PostgreSQL (issue 2, part 8).
#
# Creates a scratch database, migrates it, times the loader and drops the
# database again. Needs the PostgreSQL server of the dev machine / CI
# (postgres@127.0.0.1:5432). Usage: bench/seed_demo_1m.sh [participants] [seed]
set -euo pipefail
cd "$(dirname "$0")/.."

PARTICIPANTS="${1:-1000000}"
SEED="${2:-1}"
DB="${BENCH_DB:-jobbtorg_seed1m}"
PG="${BENCH_PG:-postgres://postgres@127.0.0.1:5432}"
export DATABASE_URL="$PG/$DB"

psql "$PG/postgres" -q -c "drop database if exists $DB" -c "create database $DB"
trap 'psql "$PG/postgres" -q -c "drop database if exists $DB"' EXIT

.venv/bin/python manage.py migrate --no-input -v 0
echo "seed_demo --participants $PARTICIPANTS --seed $SEED on PostgreSQL ($(nproc) cores):"
time .venv/bin/python manage.py seed_demo --participants "$PARTICIPANTS" --seed "$SEED"
psql "$PG/$DB" -q -At -c "select 'persons', count(*) from people_person
    union all select 'participations', count(*) from participations_participation
    union all select 'activities', count(*) from activities_activity"
