#!/usr/bin/env bash
# The server half of `npm run build`: providers, policies and control-plane compiled from src/ to dist/ as
# plain JavaScript (tsc project references; relative `.ts` imports rewritten to `.js`), plus the files the
# code reads at run time beside itself (SQL migrations, device output samples). Always from clean, so that a
# file deleted from src (a migration above all) cannot linger in dist.
# Run the result with: node --conditions=ganyun-release control-plane/dist/main.js
# (the condition points @ganyun/providers and @ganyun/policies at their dist/ instead of their sources).
set -euo pipefail
cd "$(dirname "$0")/.."
workspaces=(providers policies control-plane)
for ws in "${workspaces[@]}"; do rm -rf "$ws/dist"; done
npx tsc -b control-plane/tsconfig.build.json
for ws in "${workspaces[@]}"; do
  (cd "$ws/src" && find . -type f ! -name '*.ts' -exec cp --parents {} ../dist/ \;)
done
echo "server built: ${workspaces[*]/%//dist}"
