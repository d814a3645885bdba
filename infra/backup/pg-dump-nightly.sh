#!/bin/bash
# Nightly logical backup for infra/compose.yml: sleeps until BACKUP_AT (UTC, HH:MM), then
# pg_dump --format=custom (consistent while Samakki runs) into BACKUP_DIR, written under a
# temporary name and renamed when complete; dumps older than BACKUP_KEEP_DAYS days are deleted,
# and so is what a run killed mid-dump left (a .partial over a day old).
# Runs in the postgres:15 image (pg_dump of the server's major version, GNU date), as PID 1 of
# its container: SIGTERM (docker compose stop) ends it at once, a dump in progress included.
set -euo pipefail
: "${BACKUP_DIR:=/backups}" "${BACKUP_AT:=02:30}" "${BACKUP_KEEP_DAYS:=14}"
# The dumps hold every coalition's data: readable by their owner only.
umask 077
trap 'echo "backup: stopped"; exit 0' TERM INT

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
  # -mmin, not -mtime +N: that counts whole days and kept a dump up to a day past the retention.
  find "$BACKUP_DIR" -maxdepth 1 -name 'samakki-*.dump' -mmin "+$((BACKUP_KEEP_DAYS * 1440))" -print -delete
  find "$BACKUP_DIR" -maxdepth 1 -name 'samakki-*.dump.partial' -mmin +1440 -print -delete
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
  # In the background and waited for: bash runs the TERM trap only between commands, and a
  # foreground sleep is one command until the next run.
  sleep $((next - now)) &
  wait $!
  backup_once || true
done
