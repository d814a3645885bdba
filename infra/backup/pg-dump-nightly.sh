#!/bin/bash
# Nightly logical backup for infra/compose.yml: sleeps until BACKUP_AT (UTC, HH:MM), then
# pg_dump --format=custom (consistent while Samakki runs) into BACKUP_DIR, written under a
# temporary name and renamed when complete; dumps older than BACKUP_KEEP_DAYS days are deleted.
# Runs in the postgres:15 image (pg_dump of the server's major version, GNU date).
set -euo pipefail
: "${BACKUP_DIR:=/backups}" "${BACKUP_AT:=02:30}" "${BACKUP_KEEP_DAYS:=14}"

backup_once() {
  local name file
  name="samakki-$(date -u +%Y-%m-%dT%H%MZ).dump"
  file="$BACKUP_DIR/$name"
  if pg_dump --format=custom --no-owner --file="$file.partial"; then
    mv "$file.partial" "$file"
    echo "backup: wrote $file ($(du -h "$file" | cut -f1))"
  else
    rm -f "$file.partial"
    echo "backup: pg_dump FAILED" >&2
    return 1
  fi
  find "$BACKUP_DIR" -maxdepth 1 -name 'samakki-*.dump' -mtime "+$BACKUP_KEEP_DAYS" -print -delete
}

if [ "${1:-}" = "--now" ]; then
  backup_once
  exit $?
fi

while true; do
  now=$(date -u +%s)
  next=$(date -u -d "today $BACKUP_AT" +%s)
  if [ "$next" -le "$now" ]; then next=$(date -u -d "tomorrow $BACKUP_AT" +%s); fi
  echo "backup: next run at $(date -u -d "@$next" +%FT%TZ)"
  sleep $((next - now))
  backup_once || true
done
