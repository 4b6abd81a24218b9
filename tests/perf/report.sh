#!/usr/bin/env bash
# report.sh: the README's "Speed" tables, measured on this machine.
#
# Configures and builds a Release build of codec_bench, transport_bench, receiver_bench,
# outbox_bench and edge_bench (with chathooks_cli, whose `serve` it runs), runs each benchmark N
# times (interleaved: codec, transport, receiver, receiver --stores, outbox, edge, then again)
# with the arguments the README states, and prints the
# tables in Markdown: every figure as the median over the N runs and, in brackets, the lowest
# and highest of them.
# outbox_bench needs PostgreSQL's server binaries (it starts a private server, stopped at its
# exit); without them its table is replaced by a note. `receiver_bench --stores` (the
# idempotency stores' cost, run after receiver_bench in each run) needs PostgreSQL's and
# Redis's server binaries likewise. A first line names the date, the CPU,
# the cores, the compiler and the load average before and after, since timings depend on all of
# them. With --callgrind it adds the decode and encode ratios in instructions (callgrind's Ir
# of codec_bench --count), which do not depend on machine load; one run each, as instruction
# counts repeat exactly.
#
#   bash tests/perf/report.sh [--runs N] [--build-dir DIR] [--callgrind]
#                             [--rounds R] [--millis M] [--outbox-messages M]
#
#   --runs N        runs of each benchmark (default 3)
#   --build-dir DIR the Release build directory (default <repo>/build-release)
#   --callgrind     also count instructions with valgrind --tool=callgrind (about a minute)
#   --rounds, --millis  passed to codec_bench and receiver_bench (default 7 and 150, as in
#                   the README); smaller values give a quick, noisier check
#   --outbox-messages M  passed to outbox_bench as --messages (default 2000, its own default)
#
# Progress goes to stderr, the tables to stdout.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
runs=3
build_dir="$repo/build-release"
callgrind=no
rounds=7
millis=150
outbox_messages=2000
# Iterations of the counted loop under callgrind: enough that the warm-up and the loop's own
# cost are noise, few enough that the 32 valgrind runs take about a minute.
count_iterations=1000

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; }

while (($#)); do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --build-dir) build_dir="$2"; shift 2 ;;
    --callgrind) callgrind=yes; shift ;;
    --rounds) rounds="$2"; shift 2 ;;
    --millis) millis="$2"; shift 2 ;;
    --outbox-messages) outbox_messages="$2"; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) echo "report.sh: unknown argument $1" >&2; usage; exit 2 ;;
  esac
done
for n in "$runs" "$rounds" "$millis" "$outbox_messages"; do
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "report.sh: not a positive number: $n" >&2; exit 2; }
done

echo "report.sh: building in $build_dir" >&2
cmake -S "$repo" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release >&2
cmake --build "$build_dir" --target codec_bench transport_bench receiver_bench outbox_bench \
  edge_bench chathooks_cli >&2
bin="$build_dir/tests/perf"

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

cxx="$(sed -n 's/^CMAKE_CXX_COMPILER:[A-Z]*=//p' "$build_dir/CMakeCache.txt")"
{
  date -u '+%Y-%m-%d %H:%M UTC'
  grep -m1 '^model name' /proc/cpuinfo | sed 's/^[^:]*: //'
  nproc
  "$cxx" --version | head -n1
  cut -d' ' -f1-3 /proc/loadavg
} >"$out/machine"

outbox=yes
stores=yes
for ((run = 1; run <= runs; run++)); do
  echo "report.sh: run $run of $runs" >&2
  "$bin/codec_bench" --rounds "$rounds" --millis "$millis" >"$out/codec.$run"
  "$bin/transport_bench" >"$out/transport.$run"
  "$bin/receiver_bench" --rounds "$rounds" --millis "$millis" >"$out/receiver.$run"
  if [[ "$stores" == yes ]]; then
    status=0
    "$bin/receiver_bench" --stores --rounds "$rounds" --millis "$millis" >"$out/stores.$run" ||
      status=$?
    if ((status == 77)); then
      stores=skipped  # No PostgreSQL or Redis server binaries: receiver_bench said why.
    elif ((status != 0)); then
      echo "report.sh: receiver_bench --stores failed (status $status)" >&2
      exit 1
    fi
  fi
  if [[ "$outbox" == yes ]]; then
    status=0
    "$bin/outbox_bench" --messages "$outbox_messages" >"$out/outbox.$run" || status=$?
    if ((status == 77)); then
      outbox=skipped  # No PostgreSQL server binaries: outbox_bench said why on stderr.
    elif ((status != 0)); then
      echo "report.sh: outbox_bench failed (status $status)" >&2
      exit 1
    fi
  fi
  "$bin/edge_bench" >"$out/edge.$run"
done

if [[ "$callgrind" == yes ]]; then
  echo "report.sh: counting instructions with callgrind" >&2
  while read -r payload _; do
    for op in sdk_decode rapidjson_parse sdk_encode rapidjson_write; do
      # callgrind reports "==pid== Collected : <Ir>" on stderr; only counted_loop is counted.
      valgrind --tool=callgrind --callgrind-out-file=/dev/null --toggle-collect='*counted_loop*' \
        "$bin/codec_bench" --count "$payload" "$op" "$count_iterations" </dev/null 2>&1 |
        awk -v p="$payload" -v o="$op" '/Collected :/ {print p, o, $NF}' >>"$out/callgrind"
    done
  done <"$out/codec.1"
fi

cut -d' ' -f1-3 /proc/loadavg >>"$out/machine"

python3 - "$out" "$runs" "$rounds" "$millis" "$callgrind" "$count_iterations" "$outbox" \
  "$outbox_messages" "$stores" <<'EOF'
import os
import re
import statistics
import sys

out, runs, rounds, millis, callgrind, count, outbox, outbox_messages, stores = sys.argv[1:]
runs = int(runs)


def fields(line):
    """The key=value tokens of a benchmark line, as a dict of strings (a rate's "/s" dropped)."""
    pairs = (token.split("=", 1) for token in line.split() if "=" in token)
    return {key: value[:-2] if value.endswith("/s") else value for key, value in pairs}


def read(name):
    """Per run, per payload (first token), "<store> <threads>" (receiver_bench --stores lines) or
    "" (lines of bare key=value), the fields."""
    per_run = []
    for run in range(1, runs + 1):
        rows = {}
        with open(os.path.join(out, f"{name}.{run}")) as f:
            for line in f:
                first = line.split()[0] if line.split() else ""
                key = "" if "=" in first else first
                if first.startswith("store="):
                    line_fields = fields(line)
                    key = f"{line_fields['store']} {line_fields['threads']}"
                rows.setdefault(key, {}).update(fields(line))
        per_run.append(rows)
    return per_run


def cell(per_run, payload, key, fmt, scale=1.0):
    """Median over the runs, then (min-max), each formatted with fmt."""
    values = [float(rows[payload][key]) * scale for rows in per_run]
    median = fmt.format(statistics.median(values))
    if runs == 1:
        return median
    return f"{median} ({fmt.format(min(values))}–{fmt.format(max(values))})"


def figure_table(per_run, payload, figures):
    """A | figure | value | target | table: per (key, format, target), the key's cell()."""
    print()
    print("| figure | value | target |")
    print("| --- | ---: | ---: |")
    for key, fmt, target in figures:
        print(f"| {key} | {cell(per_run, payload, key, fmt)} | {target} |")
    print()


with open(os.path.join(out, "machine")) as f:
    date, cpu, cores, compiler, load_before, load_after = f.read().splitlines()
print(f"Machine: {date}; CPU \"{cpu}\", {cores} cores; {compiler}; load average "
      f"(1, 5, 15 min) {load_before} before, {load_after} after.")
print()
spread = "the median of" if runs == 1 else "median (lowest–highest) of"

codec = read("codec")
counted = {}
if callgrind == "yes":
    with open(os.path.join(out, "callgrind")) as f:
        for line in f:
            payload, op, ir = line.split()
            counted[(payload, op)] = int(ir)
print(f"`codec_bench --rounds {rounds} --millis {millis}`, {spread} {runs} runs"
      + (f"; instructions: callgrind, {count} calls of each side:" if counted else ":"))
print()
header = "| payload | bytes | decode ratio | encode ratio |"
rule = "| --- | ---: | ---: | ---: |"
if counted:
    header += " decode ratio, instructions | encode ratio, instructions |"
    rule += " ---: | ---: |"
print(header)
print(rule)
for payload in codec[0]:
    row = (f"| {payload} | {codec[0][payload]['bytes']} "
           f"| {cell(codec, payload, 'decode_ratio', '{:.2f}')} "
           f"| {cell(codec, payload, 'encode_ratio', '{:.2f}')} |")
    if counted:
        def ratio(sdk, ref):
            return counted[(payload, sdk)] / counted[(payload, ref)]
        row += (f" {ratio('sdk_decode', 'rapidjson_parse'):.2f} "
                f"| {ratio('sdk_encode', 'rapidjson_write'):.2f} |")
    print(row)
print()

transport = read("transport")
print(f"`transport_bench`, {spread} {runs} runs:")
figure_table(transport, "", [
    ("sync_vs_bare_curl", "{:.3f}", ">= 0.9"),
    ("sync_cpu_vs_bare_curl", "{:.3f}", "higher is better"),
    ("async_slow_receiver_vs_ideal", "{:.3f}", "<= 1.15"),
    ("host_driven_vs_threaded", "{:.3f}", ">= 0.95"),
    ("observed_vs_plain", "{:.3f}", ">= 0.97"),
    ("peak_rss_mb", "{:.1f}", ""),
])

receiver = read("receiver")
keys = sorted({int(rows[p]["store_keys"]) for rows in receiver for p in rows if p})
print(f"`receiver_bench --rounds {rounds} --millis {millis}`, {spread} {runs} runs "
      f"(keys in the store at the end: {', '.join(f'{k:,}' for k in keys)}):")
print()
print("| payload | bytes | handle(), µs | requests/s | ratio | without deduplication |")
print("| --- | ---: | ---: | ---: | ---: | ---: |")
for payload in receiver[0]:
    if not payload:
        continue
    print(f"| {payload} | {receiver[0][payload]['bytes']} "
          f"| {cell(receiver, payload, 'handle_ns', '{:.1f}', 1e-3)} "
          f"| {cell(receiver, payload, 'handle_rps', '{:,.0f}')} "
          f"| {cell(receiver, payload, 'ratio', '{:.2f}')} "
          f"| {cell(receiver, payload, 'nodedupe_ratio', '{:.2f}')} |")
print()

print("Idempotency store cost:", end=" ")
if stores != "yes":
    print(f"`receiver_bench --stores --rounds {rounds} --millis {millis}`: not run (no PostgreSQL "
          "or Redis server binaries).")
else:
    store_runs = read("stores")
    print(f"`receiver_bench --stores --rounds {rounds} --millis {millis}` (flw_dispatch, "
          f"deduplication on; 8 threads on one receiver, 8 connections), {spread} {runs} runs:")
    print()
    print("| store | 1 thread, µs | store's cost, µs | 8 threads, requests/s | vs memory |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for store in ("memory", "sqlite", "postgres", "redis"):
        cost = "" if store == "memory" else cell(store_runs, "", f"{store}_store_us", "{:.1f}")
        print(f"| {store} | {cell(store_runs, f'{store} 1', 'ns', '{:.1f}', 1e-3)} | {cost} "
              f"| {cell(store_runs, f'{store} 8', 'rps', '{:,.0f}')} "
              f"| {cell(store_runs, f'{store} 8', 'vs_memory', '{:.3f}')} |")
print()

edge = read("edge")
print(f"`edge_bench` (`chathooks serve boticario-event`; slowloris: 256 connections sending a "
      f"header byte every 2 s, 200 signed POSTs per phase on fresh connections; throughput: 8 "
      f"keep-alive clients against a bare Boost.Beast server), {spread} {runs} runs:")
figure_table(edge, "", [
    ("slowloris_p99_vs_idle", "{:.2f}", "<= 3"),
    ("idle_p99_ms", "{:.2f}", "ms"),
    ("slowloris_p99_ms", "{:.2f}", "ms"),
    ("slowloris_408s", "{:.0f}", "408s the slow connections got (each reopened)"),
    ("serve_vs_bare", "{:.3f}", ">= 0.7"),
    ("serve_rps", "{:,.0f}", "requests/s"),
    ("bare_rps", "{:,.0f}", "requests/s"),
])

if outbox != "yes":
    print(f"`outbox_bench --messages {outbox_messages}`: not run (no PostgreSQL server binaries).")
else:
    outbox_runs = read("outbox")
    with open(os.path.join(out, "outbox.1")) as f:
        setup = re.search(r"\((median of [^)]*)\)", f.read())
    print(f"`outbox_bench --messages {outbox_messages}`, {spread} {runs} runs"
          + (f" (each the {setup.group(1)}):" if setup else ":"))
    figure_table(outbox_runs, "outbox_bench:", [
        ("memory", "{:,.0f}", "deliveries/s, the reference"),
        ("sqlite", "{:,.0f}", "deliveries/s"),
        ("postgres", "{:,.0f}", "deliveries/s"),
        ("sqlite_vs_memory", "{:.3f}", ">= 0.5"),
        ("postgres_vs_memory", "{:.3f}", ">= 0.3"),
        ("sqlite_enqueue_us", "{:.1f}", "µs per message"),
        ("postgres_enqueue_us", "{:.1f}", "µs per message"),
        ("sqlite_normal_vs_memory", "{:.3f}", "synchronous NORMAL, for comparison"),
        ("sqlite_normal_enqueue_us", "{:.1f}", "µs per message"),
    ])
EOF
