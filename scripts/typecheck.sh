#!/usr/bin/env bash
# Type-checks every TypeScript workspace (tsx strips types at run time, so this is where they are checked).
set -euo pipefail
cd "$(dirname "$0")/.."
rc=0
for project in control-plane providers policies test bench deploy; do
  if [[ -f $project/tsconfig.json ]]; then
    echo "tsc -p $project"
    npx tsc -p "$project/tsconfig.json" || rc=1
  fi
done
exit $rc
