#!/usr/bin/env bash
# The consumer check: the packages as a team adopting misas gets them from npm.
# Packs every package, installs the tarballs with npm into a fresh project outside the workspace,
# compiles a strict TypeScript consumer (.ci/consumer: nodenext, no skipLibCheck) and runs it with
# the misas bin on the lowest supported Node.js (22.16.0, the npm package `node`) and on Node 24;
# on an older system Node (20), checks the one-line refusals and that PostgreSQL still works.
# Then the CLI alone, as `npm install @misas/cli` gives it: its weight, the time of `misas --version`,
# `require` from CommonJS, `misas report` asking for @misas/report, and working once it is installed.
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

packages=(core adapters projections service report cli)
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
    if (misas.length < 6 || registry.length > 0) process.exit(1);
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

# The scenario schema and examples that @misas/cli ships: resolved through its exports, each
# example's $schema reaching the shipped schema, and the installed bin playing them from
# node_modules — a shipped example, and a project's own JSON file whose $schema is
# ./node_modules/@misas/cli/schema/scenario.schema.json (docs/scenarios.md).
shipped_scenarios() {
  cd "$app" && "$node24" -e '
    const fs = require("node:fs"), path = require("node:path");
    const schemaFile = fs.realpathSync(require.resolve("@misas/cli/scenario.schema.json"));
    const schema = JSON.parse(fs.readFileSync(schemaFile, "utf8"));
    if (schema.title !== "misas scenario") throw new Error(`${schemaFile}: not the scenario schema`);
    const examples = path.join("node_modules", "@misas", "cli", "examples");
    const files = fs.readdirSync(examples);
    if (!files.includes("remote-consent.json") || files.filter((f) => f.endsWith(".yaml")).length < 5) throw new Error(`examples: ${files}`);
    for (const file of files) {
      const text = fs.readFileSync(path.join(examples, file), "utf8");
      const reference = file.endsWith(".json") ? JSON.parse(text).$schema : /^# yaml-language-server: \$schema=(\S+)$/m.exec(text)?.[1];
      const target = reference && path.resolve(examples, reference);
      if (!target || !fs.existsSync(target) || fs.realpathSync(target) !== schemaFile) throw new Error(`${file}: $schema ${reference} does not reach ${schemaFile}`);
    }
    const own = { ...JSON.parse(fs.readFileSync(path.join(examples, "remote-consent.json"), "utf8")), $schema: "./node_modules/@misas/cli/schema/scenario.schema.json" };
    if (fs.realpathSync(own.$schema) !== schemaFile) throw new Error("./node_modules/@misas/cli/schema/scenario.schema.json is not the schema");
    const unknown = Object.keys(own).filter((key) => !(key in schema.properties));
    const missing = schema.required.filter((key) => !(key in own));
    if (unknown.length + missing.length > 0) throw new Error(`against the schema: unknown ${unknown}, missing ${missing}`);
    fs.writeFileSync("my-scenario.json", JSON.stringify(own, null, 2));
    console.log(`${files.length} examples, schema ${schemaFile}`);
  ' || return 1
  local file out
  for file in node_modules/@misas/cli/examples/remote-consent.json node_modules/@misas/cli/examples/diego.yaml my-scenario.json; do
    out=$(PATH="$(dirname "$node24"):$app/node_modules/.bin:$PATH" misas run "$file" 2>&1) && [[ "$out" == *"every expectation held"* ]] || { echo "misas run $file:"; echo "$out"; return 1; }
  done
}
step "scenario schema and examples from node_modules/@misas/cli; misas run plays them" shipped_scenarios

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

# The CLI alone: `npm install @misas/cli` in a fresh project. @misas/report is an optional peer, so
# npm leaves it (and Mermaid, Vega) out; its @misas dependencies come from the tarballs (overrides).
alone="$work/cli-alone"
make_alone() {
  mkdir -p "$alone" && "$node24" -e '
    const fs = require("node:fs");
    const [dir, tarballs] = process.argv.slice(1);
    const file = (name) => `file:${tarballs}/${fs.readdirSync(tarballs).find((f) => f.startsWith(`misas-${name}-`))}`;
    // Not @misas/report: installed later with `npm install TARBALL`, which an override of it would contradict.
    const names = fs.readdirSync(tarballs).map((f) => f.replace(/^misas-/, "").replace(/-\d+\.\d+\.\d+.*\.tgz$/, "")).filter((name) => name !== "report");
    const overrides = Object.fromEntries(names.map((name) => [`@misas/${name}`, file(name)]));
    const pkg = { name: "misas-cli-alone", private: true, dependencies: { "@misas/cli": file("cli") }, overrides };
    fs.writeFileSync(`${dir}/package.json`, JSON.stringify(pkg, null, 2));
  ' "$alone" "$work/tarballs" || return 1
  (cd "$alone" && npm install --prefer-offline --no-audit --no-fund --loglevel=error)
}
step "the CLI alone: a second fresh project, npm install @misas/cli" make_alone
alone_size() {
  local bytes; bytes=$(du -sb "$alone/node_modules" | cut -f1)
  echo "node_modules: $bytes bytes"
  [ ! -e "$alone/node_modules/@misas/report" ] && [ ! -e "$alone/node_modules/mermaid" ] && [ ! -e "$alone/node_modules/vega" ] && [ "$bytes" -lt 40000000 ]
}
alone_mb=$(du -sb "$alone/node_modules" 2>/dev/null | awk '{printf "%.1f", $1 / 1000000}')
step "the CLI alone weighs $alone_mb MB (< 40 MB), without @misas/report, Mermaid nor Vega" alone_size

# `misas --version` five times on Node 24: the medians of the wall-clock time and of the CPU time
# (user + system, bash's `time`). The CPU time is what is checked: on a shared machine the wall
# clock also counts the time spent waiting for a core (a bare `node -e 0` is timed beside it).
alone_bin_path="$(dirname "$node24"):$alone/node_modules/.bin:$PATH"
version_times() { # COMMAND...: prints "wall_ms cpu_ms", the medians of 5 runs
  local TIMEFORMAT='%R %U %S' i
  for i in 1 2 3 4 5; do { time "$@" >/dev/null 2>&1; } 2>&1; done | awk '{ print int($1 * 1000), int(($2 + $3) * 1000) }' |
    "$node24" -e 'const runs = require("node:fs").readFileSync(0, "utf8").trim().split("\n").map((line) => line.split(" ").map(Number));
      const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
      console.log(median(runs.map((run) => run[0])), median(runs.map((run) => run[1])));'
}
read -r version_wall version_cpu < <(PATH="$alone_bin_path" version_times misas --version)
read -r bare_wall bare_cpu < <(version_times "$node24" -e 0)
version_fast() {
  local printed expected
  printed=$(PATH="$alone_bin_path" misas --version)
  expected=$("$node24" -p 'JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8")).version' "$alone/node_modules/@misas/cli/package.json")
  echo "printed $printed, package $expected; CPU ${version_cpu} ms, wall ${version_wall} ms"
  [ "$printed" = "$expected" ] && [ "$version_cpu" -lt 300 ]
}
step "$("$node24" --version): misas --version, median of 5: ${version_cpu} ms CPU (< 300 ms), ${version_wall} ms wall; node -e 0: ${bare_cpu} ms CPU, ${bare_wall} ms wall" version_fast

# require(esm): a CommonJS project requires the ESM package on Node >= 22.12 (no top-level await in its graph).
printf '%s\n' "const cli = require('@misas/cli');" "if (typeof cli.runCli !== 'function' || typeof cli.parseScenarioText !== 'function') throw new Error('@misas/cli: missing exports');" "console.log('required @misas/cli: ' + Object.keys(cli).length + ' exports');" >"$alone/require-check.cjs"
for node in "$node22" "$node24"; do
  step "$("$node" --version): require('@misas/cli') from CommonJS" bash -c "cd '$alone' && '$node' require-check.cjs"
done

alone_run="$work/run-alone"
mkdir -p "$alone_run"
step "the CLI alone: misas simulate --cases 12" bash -c "cd '$alone_run' && PATH='$alone_bin_path' misas simulate --cases 12 --from 2026-01-01 --to 2026-02-28 --seed 7 --no-progress"
report_missing() {
  local out status
  out=$(cd "$alone_run" && PATH="$alone_bin_path" misas report --out report.html 2>&1); status=$?
  echo "exit $status: $out"
  [ "$status" -eq 1 ] && [ "$(printf '%s\n' "$out" | wc -l)" -eq 1 ] && [[ "$out" == "misas: "*"npm install @misas/report"* ]] && [ ! -e "$alone_run/report.html" ]
}
step "the CLI alone: misas report says in one line to npm install @misas/report (exit 1)" report_missing
report_tarball=$(ls "$work"/tarballs/misas-report-*.tgz)
step "npm install @misas/report beside the CLI" bash -c "cd '$alone' && npm install --prefer-offline --no-audit --no-fund --loglevel=error '$report_tarball'"
step "the CLI with @misas/report: misas report" bash -c "cd '$alone_run' && PATH='$alone_bin_path' misas report --out report.html && grep -q 'mermaid.run(' report.html"

echo "consumer check: $passed checks passed in $(( $(date +%s) - started )) s"
