#!/usr/bin/env bash
# The consumer check: the packages as a team adopting misas gets them from npm.
# Packs every package, installs the tarballs with npm into a fresh project outside the workspace,
# compiles a strict TypeScript consumer (.ci/consumer: nodenext, no skipLibCheck) and runs it with
# the misas bin on the lowest supported Node.js (22.16.0, the npm package `node`) and on Node 24;
# on an older system Node (20), checks the one-line refusals and that PostgreSQL still works.
# Prints one line per check; on a failure, the failing step's output, and exits 1.
# Usage: bash .ci/consumer-check.sh   (builds the packages first if needed; MISAS_PG_URL is optional)
# or `pnpm check:consumer`. It takes a few minutes, most of it npm installing the tarballs' dependencies.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
lowest_node=22.16.0
started=$(date +%s)
work=$(mktemp -d "${TMPDIR:-/tmp}/misas-consumer.XXXXXX")
cleanup() { [ -n "${MISAS_CONSUMER_KEEP:-}" ] || rm -rf "$work"; }  # MISAS_CONSUMER_KEEP=1 keeps it to look into
trap cleanup EXIT
passed=0

fail() { # NAME LOG
  echo "  FAILED $1"
  [ -f "$2" ] && sed -n '1,60p' "$2" | sed 's/^/    /'
  echo "consumer check: failed at '$1' after $passed checks, $(( $(date +%s) - started )) s"
  exit 1
}
# step NAME COMMAND...: runs the command quietly, one line when it passes, its output when not.
step() {
  local name=$1; shift
  local log="$work/step.log"
  local t0; t0=$(date +%s%N)
  if "$@" >"$log" 2>&1; then
    passed=$((passed + 1))
    echo "  ok $name ($(( ($(date +%s%N) - t0) / 1000000 )) ms)"
  else
    fail "$name" "$log"
  fi
}
pnpm() { npx -y pnpm@10 "$@"; }
node24="$root/node_modules/node/bin/node"
[ -x "$node24" ] || { echo "run 'npx -y pnpm@10 install' first (the workspace's Node 24 is missing)"; exit 1; }

echo "consumer check in $work"
step "build the packages" bash -c "cd '$root' && npx -y pnpm@10 -r build"

packages=(core adapters projections service cli)
mkdir -p "$work/tarballs"
step "pack ${#packages[@]} packages (pnpm pack, workspace:* becomes the version)" bash -c "cd '$root' && npx -y pnpm@10 --filter './packages/*' pack --pack-destination '$work/tarballs' && [ \$(ls '$work/tarballs' | wc -l) -eq ${#packages[@]} ]"

# The consumer project: the tarballs (and, through overrides, no @misas package from the registry),
# TypeScript as the workspace pins it, and the types of the lowest supported Node.
app="$work/app"
mkdir -p "$app/src"
make_app() {
  "$node24" -e '
    const fs = require("node:fs");
    const [dir, tarballs, ts] = process.argv.slice(1);
    const deps = {};
    for (const file of fs.readdirSync(tarballs)) {
      const name = "@misas/" + file.replace(/^misas-/, "").replace(/-\d+\.\d+\.\d+.*\.tgz$/, "");
      deps[name] = `file:${tarballs}/${file}`;
    }
    const overrides = Object.fromEntries(Object.keys(deps).map((name) => [name, `$${name}`]));
    const pkg = { name: "misas-consumer", private: true, type: "module", dependencies: deps, overrides,
      devDependencies: { typescript: ts, "@types/node": "^22.16.0" } };
    fs.writeFileSync(`${dir}/package.json`, JSON.stringify(pkg, null, 2));
  ' "$app" "$work/tarballs" "$(cd "$root" && "$node24" -p 'require("./package.json").devDependencies.typescript')" || return 1
  cp "$root/.ci/consumer/tsconfig.json" "$app/" && cp "$root"/.ci/consumer/src/*.ts "$app/src/" || return 1
  # The README's quickstart, as the README quotes it.
  cp "$root/examples/quickstart/main.ts" "$app/src/quickstart.ts"
}
step "write a fresh project outside the workspace" make_app
step "npm install the tarballs" bash -c "cd '$app' && npm install --prefer-offline --no-audit --no-fund --loglevel=error"
from_tarballs() {
  "$node24" -e '
    const lock = require(process.argv[1]);
    const misas = Object.entries(lock.packages).filter(([path]) => /node_modules\/@misas\//.test(path));
    const registry = misas.filter(([, entry]) => !String(entry.resolved ?? "").startsWith("file:"));
    console.log(misas.map(([path, entry]) => `${path} ${entry.resolved}`).join("\n"));
    if (misas.length < 5 || registry.length > 0) process.exit(1);
  ' "$app/package-lock.json"
}
step "every @misas package comes from a tarball" from_tarballs
step "strict TypeScript consumer (nodenext, no skipLibCheck)" bash -c "cd '$app' && '$node24' node_modules/typescript/bin/tsc -p tsconfig.json"

# The lowest supported Node.js, from the npm package `node` (a registry package, like the workspace's Node 24).
node22_dir="$work/node-$lowest_node"
step "Node.js $lowest_node (npm i node@$lowest_node)" bash -c "npm install --prefix '$node22_dir' --no-audit --no-fund --loglevel=error 'node@$lowest_node' && '$node22_dir/node_modules/node/bin/node' --version | grep -qx 'v$lowest_node'"
node22="$node22_dir/node_modules/node/bin/node"

export MISAS_MASTER_KEY="${MISAS_MASTER_KEY:-$(head -c 32 /dev/urandom | base64)}"
for node in "$node22" "$node24"; do
  version=$("$node" --version)
  scratch="$work/run-$version"
  mkdir -p "$scratch"
  # The bin's `#!/usr/bin/env node` takes the first node on PATH: this one.
  bin_path="$(dirname "$node"):$app/node_modules/.bin:$PATH"
  step "$version: quickstart, SQLite store, service session, register" bash -c "cd '$app' && '$node' dist/main.js '$scratch'"
  step "$version: misas --help" bash -c "cd '$scratch' && PATH='$bin_path' misas --help | grep -q 'simulate'"
  step "$version: misas simulate --cases 12" bash -c "cd '$scratch' && PATH='$bin_path' misas simulate --cases 12 --from 2026-01-01 --to 2026-02-28 --seed 7"
  step "$version: misas report" bash -c "cd '$scratch' && PATH='$bin_path' misas report --out report.html && grep -q '<html' report.html"
done

# On a Node.js without node:sqlite (the system's Node 20 here), the refusals are one line, and
# @misas/adapters still serves PostgreSQL.
system_node=$(command -v node || true)
if [ -n "$system_node" ] && [ "$("$system_node" -p 'process.versions.node.split(".")[0]')" -lt 22 ]; then
  old=$("$system_node" --version)
  if [ -n "${MISAS_PG_URL:-}" ]; then postgres="PostgreSQL works"; else postgres="PostgreSQL not tried (no MISAS_PG_URL)"; fi
  step "$old: @misas/adapters imports; SQLite refused in one line; $postgres" bash -c "cd '$app' && '$system_node' dist/main.js --old-runtime"
  refuse_bin() {
    local out status
    out=$(cd "$app" && PATH="$(dirname "$system_node"):$PATH" ./node_modules/.bin/misas --help 2>&1); status=$?
    echo "exit $status: $out"
    [ "$status" -eq 1 ] && [ "$(printf '%s\n' "$out" | wc -l)" -eq 1 ] && [[ "$out" == *"misas needs Node.js >= $lowest_node"* ]]
  }
  step "$old: misas refuses in one line naming $lowest_node" refuse_bin
fi

echo "consumer check: $passed checks passed in $(( $(date +%s) - started )) s"
