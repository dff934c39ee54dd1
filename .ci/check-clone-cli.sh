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

# A real export the way docs/cli.md reads one: won deals only, a bad row skipped and reported, US dates, decimal
# commas; the hybrid saved with --model-out and served with --model-in; the HTML report.
nb="$prefix/bin/nextbest"
printf 'deal;account;product;stage;amount;closed\n1;acme;crm;Won;1.200,50;03/01/2017\n2;acme;erp;Won;300;03/15/2017\n3;;erp;Open;0;\n4;globex;crm;Won;800;04/02/2017\n5;globex;support;Won;zwolf;04/20/2017\n6;initech;crm;Won;500;05/02/2017\n7;initech;erp;Lost;250;05/09/2017\n8;initech;support;Won;90;06/01/2017\n' >"$scratch/deals.csv"
printf 'id,family,list_price\ncrm,sales,1200\nerp,finance,5000\nsupport,service,150\n' >"$scratch/products.csv"
read_options=(--interactions "$scratch/deals.csv" --user-column account --item-column product --value-column amount --timestamp-column closed --where stage=Won --skip-invalid --date-format MM/dd/yyyy --decimal-comma)
"$nb" recommend "${read_options[@]}" --items "$scratch/products.csv" --model hybrid --model-out "$scratch/hybrid.json" --k 2 >"$scratch/fitted.csv" 2>"$scratch/stderr.txt"
grep -q 'skipped 1 invalid row' "$scratch/stderr.txt" || { echo "--skip-invalid reported nothing: $(cat "$scratch/stderr.txt")" >&2; exit 1; }
"$nb" recommend --model-in "$scratch/hybrid.json" --k 2 --users acme,globex,initech >"$scratch/loaded.csv"
"$nb" recommend "${read_options[@]}" --items "$scratch/products.csv" --model hybrid --k 2 --users acme,globex,initech >"$scratch/refitted.csv" 2>/dev/null
cmp -s "$scratch/loaded.csv" "$scratch/refitted.csv" || { echo "the saved hybrid gave other lists than the fitted one" >&2; diff "$scratch/loaded.csv" "$scratch/refitted.csv" >&2; exit 1; }
crm=../shared/data/crm-sales-opportunities/sales_pipeline.csv
if [ -f "$crm" ]; then
  "$nb" report --interactions "$crm" --user-column account --item-column product --value-column close_value \
    --timestamp-column close_date --where deal_stage=Won --skip-invalid --out "$scratch/report.html" >/dev/null
  grep -q 'id="call-list"' "$scratch/report.html" || { echo "nextbest report wrote no call list" >&2; exit 1; }
else
  echo "skipped nextbest report on the CRM export: $crm is absent"
fi
echo "clone CLI: npm run cli and npm link both work; a messy export read, the hybrid saved and served"
