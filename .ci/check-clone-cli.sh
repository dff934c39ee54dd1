#!/usr/bin/env bash
# The command line from a clone, the two ways README.md and docs/cli.md say: `npm run cli -- ...` from the sources,
# and `npm run build && npm link` then `nextbest ...` (linked into a throw-away global prefix, removed afterwards).
set -euo pipefail
cd "$(dirname "$0")/.."
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
printf 'user,item,value\nacme,crm,3\nacme,support,1\nglobex,crm,1\nglobex,erp,2\ninitech,support,1\n' >"$scratch/purchases.csv"

npm run --silent cli -- --help | grep -q '^Usage:' || { echo "npm run cli -- --help printed no usage" >&2; exit 1; }
out=$(npm run --silent cli -- recommend --interactions "$scratch/purchases.csv" --model popularity --k 2)
echo "$out" | head -3
echo "$out" | grep -q '^initech,' || { echo "npm run cli -- recommend gave no row for initech" >&2; exit 1; }

[ -f dist/cli/bin.js ] || { echo "dist/cli/bin.js missing: run npm run build first" >&2; exit 1; }
prefix="$scratch/global"
npm_config_prefix="$prefix" npm link --no-audit --no-fund >/dev/null
"$prefix/bin/nextbest" --help | grep -q '^Usage:' || { echo "linked nextbest --help printed no usage" >&2; exit 1; }
"$prefix/bin/nextbest" recommend --interactions "$scratch/purchases.csv" --model popularity --k 2 | grep -q '^initech,' \
  || { echo "linked nextbest recommend gave no row for initech" >&2; exit 1; }
echo "clone CLI: npm run cli and npm link both work"
