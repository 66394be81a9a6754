#!/usr/bin/env bash
# Set up, create the demo gathering on SQLite (instance/events.sqlite) and serve it on
# http://127.0.0.1:5000 . Prints an organiser token for the JSON API.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export FLASK_APP=wsgi
.venv/bin/flask demo create
.venv/bin/flask tokens create --name demo-organiser
echo "Registration form: http://127.0.0.1:5000/events/hetao-youth-innovation-valley-launch/register"
echo "API document:      http://127.0.0.1:5000/api/v1/openapi.json"
echo "Organiser pages:   http://127.0.0.1:5000/organiser/sign-in (with the token above)"
echo "Door scanner:      http://127.0.0.1:5000/door (enrol with a device set-up code)"
exec .venv/bin/flask run --host 127.0.0.1 --port 5000
