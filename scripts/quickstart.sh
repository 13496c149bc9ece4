#!/usr/bin/env bash
# First contact: installs what is missing, builds, and runs herald-server in the foreground on its
# embedded defaults (SQLite, self-signed TLS) with a demo account, printing how to watch a
# notification flow with herald-term from a second terminal. Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

bash scripts/deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)"

data=${HERALD_DATA_DIR:-$root/herald-data}
server=("$root/build/server/herald-server" --data-dir "$data")
if ! "${server[@]}" user list 2>/dev/null | grep -q '^demo\b'; then
    password=$(head -c 12 /dev/urandom | base64 | tr -d '/+=')
    printf '%s\n' "$password" | "${server[@]}" user add demo >/dev/null
    printf '%s\n' "$password" > "$data/demo-password"
    chmod 600 "$data/demo-password"
fi

cat <<EOT

Herald is starting on https://localhost:7443 with its data in $data.
In a second terminal, act as a phone and watch:

  export HERALD_SERVER=https://localhost:7443 HERALD_TERM_STATE=$data/demo-term.json
  term="$root/build/client/herald-term --cacert $data/tls/herald-cert.pem"
  \$term register demo --device-id demo-phone --platform android --push-token demo-token --apps mail --password-stdin < $data/demo-password
  \$term login mail
  \$term session --foreground mail

and from a third terminal send new information (README.md, "Watch a notification flow"):

  token=\$($root/build/server/herald-server --data-dir $data source add demo-mail)
  curl --cacert $data/tls/herald-cert.pem -H "Authorization: Bearer \$token" -H 'Content-Type: application/json' \\
       https://localhost:7443/v1/events -d '{"account":"demo","app":"mail","eventId":"m-1","sender":"Alice","subject":"Lunch?"}'

Pushes (when mail is not on screen) are written to $data/pushes.jsonl.

EOT
exec "${server[@]}" --foreground --listen 127.0.0.1:7443
