#!/usr/bin/env bash
# Set up, create the demo gathering on SQLite (instance/events.sqlite) and serve it on
# http://127.0.0.1:5000 . Prints an organiser token for the JSON API and, on the first run,
# the password of the console account "organiser".
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export FLASK_APP=wsgi
.venv/bin/flask demo create
.venv/bin/flask tokens create --name demo-organiser
if ! .venv/bin/flask accounts list | grep -q '^organiser '; then
  password=$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(12))')
  echo "$password" | .venv/bin/flask accounts create organiser --name "Demo organiser" --password-stdin
  echo "Console sign-in:   user organiser, password $password (shown once; change it with"
  echo "                   flask accounts password organiser)"
fi
echo "Registration form: http://127.0.0.1:5000/gatherings/hetao-youth-innovation-valley-launch/register"
echo "API document:      http://127.0.0.1:5000/api/v1/openapi.json"
echo "Organiser console: http://127.0.0.1:5000/organiser/ (user organiser)"
echo "Door scanner:      http://127.0.0.1:5000/door (enrol with a device set-up code)"
exec .venv/bin/flask run --host 127.0.0.1 --port 5000
