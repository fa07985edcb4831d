#!/usr/bin/env bash
# Two app servers, one database and one cache: a session started on one is valid on the other.
#
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/meetings_two bench/two_instances.sh
#
# Starts two gunicorn instances (bin/serve) on 127.0.0.1:8091 and :8092 in production
# mode, signs in on the first through the real sign-in form, then opens the dashboard on
# the second with the same cookie. Loopback only; both instances are stopped at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/meetings_two}"
export CACHE_URL="${CACHE_URL:-redis://127.0.0.1:6379/3}"
export DJANGO_ENV=production ALLOWED_HOSTS=127.0.0.1 WORKERS=2 THREADS=2
export SECRET_KEY="${SECRET_KEY:-two-instances-$(head -c 48 /dev/urandom | base64 | tr -d '/+=\n')}"
export STATIC_ROOT="${STATIC_ROOT:-$(mktemp -d)}"
db="${DATABASE_URL##*/}"
createdb -h 127.0.0.1 -U postgres "$db" 2>/dev/null || true

work=$(mktemp -d)
pids=()
stop() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$work"; }
trap stop EXIT

.venv/bin/python manage.py migrate --noinput -v0
.venv/bin/python manage.py create_user two-instances --role viewer --clearance RESTRICTED \
  --password "two-instances-password-2024" -v0
BIND=127.0.0.1:8091 bin/serve >"$work/one.log" 2>&1 &
pids+=($!)
SKIP_RELEASE=1 BIND=127.0.0.1:8092 bin/serve >"$work/two.log" 2>&1 &
pids+=($!)
for port in 8091 8092; do
  for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 1; done
done

https=(-H "X-Forwarded-Proto: https")  # as the TLS proxy in front would say
jar="$work/cookies"
curl -s "${https[@]}" -c "$jar" -b "$jar" http://127.0.0.1:8091/accounts/login/ -o "$work/login.html"
token=$(sed -n 's/.*name="csrfmiddlewaretoken" value="\([^"]*\)".*/\1/p' "$work/login.html" | head -1)
status=$(curl -s "${https[@]}" -c "$jar" -b "$jar" -o /dev/null -w "%{http_code}" \
  -H "Referer: https://127.0.0.1:8091/accounts/login/" \
  --data-urlencode "csrfmiddlewaretoken=$token" --data-urlencode "username=two-instances" \
  --data-urlencode "password=two-instances-password-2024" http://127.0.0.1:8091/accounts/login/)
[ "$status" = 302 ] || { echo "FAIL: sign-in on the first instance answered $status" >&2; exit 1; }
# curl keeps Secure cookies for https only; send the session cookie by hand over loopback.
session=$(awk '$6 == "sessionid" {print $7}' "$jar")
[ -n "$session" ] || { echo "FAIL: no session cookie from the first instance" >&2; exit 1; }
for port in 8091 8092; do
  status=$(curl -s "${https[@]}" -H "Cookie: sessionid=$session" -o "$work/page.html" -w "%{http_code}" \
    "http://127.0.0.1:$port/")
  if [ "$status" != 200 ] || ! grep -q "two-instances" "$work/page.html"; then
    echo "FAIL: the dashboard on :$port answered $status without the signed-in user" >&2
    exit 1
  fi
  echo "instance :$port serves the session started on :8091 (HTTP $status)"
done
echo "OK: one session, two app servers"
