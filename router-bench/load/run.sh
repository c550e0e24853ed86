#!/usr/bin/env bash
# SIPp load harness: sipvane and Kamailio's dispatcher doing the same job on the same
# machine in the same run. Three SIPp UAS on loopback (priority 1 weight 10, priority 1
# weight 20, priority 2), the system under test, and SIPp UAC(s) at each offered rate.
#
#   router-bench/load/run.sh [--systems sipvane,kamailio] [--rates 500,1000,2000]
#                            [--duration 15] [--warmup 10] [--warmup-rate R] [--hold 50] [--uacs 1]
#                            [--failover] [--tls] [--heap 1g] [--settle 0] [--mid-heap] [--jar PATH]
#
# --tls adds a "tls" mode: the caller leg is TLS. Debian's SIPp has no TLS, so the UAC sends
# UDP to a Kamailio TLS edge (kamailio-tls-edge.cfg) that relays over TLS to the system under
# test, which listens on TLS with a certificate made here by openssl; the PBX legs stay UDP.
# Only the system under test's CPU is counted, as in the other modes.
#
# Needs: sipp (Debian sip-tester), kamailio (Debian kamailio, with its dispatcher module; with
# --tls also kamailio-tls-modules, and openssl),
# java 17 with jcmd, and the built jar (mvn -B package -DskipTests). It installs nothing.
# sipvane runs through bin/sipvane, so with the JVM flags a user gets; --heap sets its -Xms/-Xmx.
# Only 127.0.0.1 is used. Every process it starts is killed on exit.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
systems="sipvane,kamailio"
rates="500,1000,2000"
duration=15
warmup=10
warmup_rate=""
hold=50
uacs=1
failover=0
tls=0
heap=1g
settle=0
mid_heap=0
jar="${SIPVANE_JAR:-$repo/router-server/target/sipvane.jar}"

while [ $# -gt 0 ]; do
  case "$1" in
    --systems) systems=$2; shift 2 ;;
    --rates) rates=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --warmup-rate) warmup_rate=$2; shift 2 ;;
    --hold) hold=$2; shift 2 ;;
    --uacs) uacs=$2; shift 2 ;;
    --failover) failover=1; shift ;;
    --tls) tls=1; shift ;;
    --heap) heap=$2; shift 2 ;;
    --settle) settle=$2; shift 2 ;;
    --mid-heap) mid_heap=1; shift ;;
    --jar) jar=$2; shift 2 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done

need() { command -v "$1" >/dev/null 2>&1 || { echo "missing $1: $2" >&2; exit 2; }; }
need sipp "apt-get install sip-tester"
need awk "apt-get install gawk"
case ",$systems," in *,kamailio,*) need kamailio "apt-get install kamailio" ;; esac
if [ "$tls" = 1 ]; then
  need kamailio "apt-get install kamailio kamailio-tls-modules"
  need openssl "apt-get install openssl"
fi
case ",$systems," in *,sipvane,*)
  need java "install a Java 17 runtime"
  need jcmd "install a Java 17 JDK (jcmd reads the heap after GC)"
  [ -f "$jar" ] || { echo "missing $jar: run mvn -B package -DskipTests" >&2; exit 2; } ;;
esac

work=$(mktemp -d /tmp/sipvane-load.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done
  sleep 0.5
  for p in "${pids[@]:-}"; do [ -n "$p" ] && kill -9 "$p" 2>/dev/null || true; done
  pkill -f "$work" 2>/dev/null || true
}
trap cleanup EXIT INT TERM

PROXY_PORT=35060
PROXY_TLS_PORT=35061
EDGE_PORT=35050
EDGE_TLS_PORT=35051
ADMIN_PORT=38080
UAS_PORTS=(35071 35072 35073)
TICKS=$(getconf CLK_TCK)
# SIPp's own socket buffers default to 64 KiB and drop datagrams in bursts; a SIPp UAS drops a
# call once it has answered, so a lost answer to a relayed BYE would fail the call whichever
# proxy is measured. The kernel caps this at net.core.rmem_max / wmem_max.
SIPP_BUF=4194304

# utime+stime (ticks) of a process and its children
cpu_ticks() {
  local total=0 p
  for p in "$1" $(pgrep -P "$1" || true); do
    [ -r "/proc/$p/stat" ] || continue
    total=$(( total + $(awk '{print $14 + $15}' "/proc/$p/stat") ))
  done
  echo "$total"
}

# memory of a process tree in MiB: proportional set size (shared memory counted once)
pss_mib() {
  local total=0 p
  for p in "$1" $(pgrep -P "$1" || true); do
    [ -r "/proc/$p/smaps_rollup" ] || continue
    total=$(( total + $(awk '/^Pss:/ {print $2}' "/proc/$p/smaps_rollup") ))
  done
  awk -v kb="$total" 'BEGIN {printf "%.0f", kb / 1024}'
}

# peak resident set of the proxy's largest process, MiB (VmHWM: what the kernel saw at most)
peak_rss_mib() {
  local best=0 p v
  for p in "$1" $(pgrep -P "$1" || true); do
    v=$(awk '/^VmHWM:/ {print $2}' "/proc/$p/status" 2>/dev/null || echo 0)
    [ "${v:-0}" -gt "$best" ] && best=$v
  done
  awk -v kb="$best" 'BEGIN {printf "%.0f", kb / 1024}'
}

# Java heap in use right after a full GC, MiB: what the proxy really keeps ("-" for Kamailio)
heap_after_gc_mib() { # system pid
  if [ "$1" != sipvane ]; then echo "-"; return; fi
  jcmd "$2" GC.run >/dev/null 2>&1 || { echo "-"; return; }
  jcmd "$2" GC.heap_info 2>/dev/null | awk '/^ [A-Za-z]+Gen|^ garbage-first heap/ {
      for (i = 1; i <= NF; i++) if ($i == "used") {v = $(i + 1); sub(/K,?$/, "", v); kb += v}}
      END {printf "%.0f", kb / 1024}'
}

# highest value of a column (by header name) of a SIPp -trace_stat file
stat_max() {
  awk -F';' -v col="$2" 'NR == 1 {for (i = 1; i <= NF; i++) if ($i == col) c = i; next} $c + 0 > m {m = $c + 0}
      END {print m + 0}' "$1"
}

# last value of a column (by header name) of a SIPp -trace_stat file
stat_col() {
  awk -F';' -v col="$2" 'NR == 1 {for (i = 1; i <= NF; i++) if ($i == col) c = i; next} {v = $c} END {print v + 0}' "$1"
}

start_uas() { # dir name port scenario
  (cd "$1" && exec sipp -sf "$here/$4" -i 127.0.0.1 -p "$3" -buff_size "$SIPP_BUF" -nostdin -trace_stat -stf "$2.csv" -fd 1 \
      >"$2.log" 2>&1) &
  pids+=($!)
}

# one certificate for every TLS peer of the run: a throwaway CA and a leaf for 127.0.0.1
make_certificates() { # dir
  local d=$1/pki
  mkdir -p "$d"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$d/ca.key" -out "$d/ca.crt" \
      -days 2 -subj "/CN=sipvane load CA" 2>/dev/null
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$d/host.key" -out "$d/host.csr" \
      -subj "/CN=127.0.0.1" 2>/dev/null
  printf "subjectAltName=IP:127.0.0.1\n" > "$d/san.ext"
  openssl x509 -req -in "$d/host.csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" -CAcreateserial -days 2 -out "$d/host.crt" \
      -extfile "$d/san.ext" 2>/dev/null
  cat > "$d/kamailio-tls.cfg" <<CFG
[server:default]
method = TLSv1.2+
certificate = $d/host.crt
private_key = $d/host.key
ca_list = $d/ca.crt

[client:default]
method = TLSv1.2+
verify_certificate = yes
require_certificate = yes
ca_list = $d/ca.crt
CFG
}

start_edge() { # dir
  sed -e "s|EDGE_PORT|$EDGE_PORT|; s|EDGE_TLS_PORT|$EDGE_TLS_PORT|; s|TARGET_TLS_PORT|$PROXY_TLS_PORT|;" \
      -e "s|TLS_CFG|$work/pki/kamailio-tls.cfg|" "$here/kamailio-tls-edge.cfg" > "$1/edge.cfg"
  kamailio -f "$1/edge.cfg" -DD -E -m 256 -M 16 -Y "$1" -P "$1/edge.pid" >"$1/edge.log" 2>&1 &
  pids+=($!)
  sleep 1.5
  kill -0 "$!" 2>/dev/null || { echo "the TLS edge did not start; see $1/edge.log" >&2; exit 1; }
}

start_sipvane() { # dir mode
  local listen="\"udp:127.0.0.1:$PROXY_PORT\"" tls_section=""
  if [ "$2" = tls ]; then
    listen="$listen, \"tls:127.0.0.1:$PROXY_TLS_PORT\""
    tls_section="tls: { certificate: \"$work/pki/host.crt\", key: \"$work/pki/host.key\", ca: \"$work/pki/ca.crt\" }"
  fi
  # a directory of its own, as /etc/sipvane is: the store watches the config file's directory,
  # and the logs and SIPp statistics written beside it would wake the watcher all run long
  mkdir -p "$1/conf"
  cat > "$1/conf/sipvane.yaml" <<YAML
$tls_section
sip:
  listen: [$listen]
  allow_from: ["127.0.0.0/8"]
  failover: { on_codes: [408, 480, 500, 502, 503, 504], attempt_timeout_ms: 2000, max_attempts: 10 }
  max_in_flight: 100000
admin: { listen: "127.0.0.1:$ADMIN_PORT" }
health: { probing: false }
accounts: [ { auth_id: MALOAD00000000000000, auth_token: "load" } ]
trunks:
  - { id: 7f0c1f5e-0000-4000-8000-000000000001, account_id: MALOAD00000000000000, name: load, match: { default: true } }
origination_uris:
  - { id: aabbccdd-0000-4000-8000-000000000001, account_id: MALOAD00000000000000, trunk_id: 7f0c1f5e-0000-4000-8000-000000000001, uri: "sip:127.0.0.1:${UAS_PORTS[0]}", priority: 1, weight: 10 }
  - { id: aabbccdd-0000-4000-8000-000000000002, account_id: MALOAD00000000000000, trunk_id: 7f0c1f5e-0000-4000-8000-000000000001, uri: "sip:127.0.0.1:${UAS_PORTS[1]}", priority: 1, weight: 20 }
  - { id: aabbccdd-0000-4000-8000-000000000003, account_id: MALOAD00000000000000, trunk_id: 7f0c1f5e-0000-4000-8000-000000000001, uri: "sip:127.0.0.1:${UAS_PORTS[2]}", priority: 2, weight: 10 }
YAML
  SIPVANE_JAR="$jar" SIPVANE_JAVA_OPTS="-Xms$heap -Xmx$heap ${SIPVANE_JAVA_OPTS:-}" \
      "$repo/bin/sipvane" --config "$1/conf/sipvane.yaml" >"$1/proxy.log" 2>&1 &
  proxy_pid=$!
  pids+=($proxy_pid)
  for _ in $(seq 1 150); do
    curl -sf "http://127.0.0.1:$ADMIN_PORT/readyz" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  echo "sipvane did not start; see $1/proxy.log" >&2
  exit 1
}

start_kamailio() { # dir mode
  cat > "$1/dispatcher.list" <<LIST
1 sip:127.0.0.1:${UAS_PORTS[0]} 0 0 weight=33
1 sip:127.0.0.1:${UAS_PORTS[1]} 0 0 weight=67
2 sip:127.0.0.1:${UAS_PORTS[2]} 0 0
LIST
  sed -e "s|LISTEN_PORT|$PROXY_PORT|; s|DISPATCHER_LIST|$1/dispatcher.list|; s|FR_TIMER_MS|2000|" \
      "$here/kamailio.cfg" > "$1/kamailio.cfg"
  if [ "$2" = tls ]; then
    # the same job with a TLS listener for the edge: Kamailio's tls module, the run's certificate
    sed -i -e "/^listen=udp/a enable_tls=yes\nlisten=tls:127.0.0.1:$PROXY_TLS_PORT" \
        -e "/^loadmodule \"kex.so\"/i loadmodule \"tls.so\"\nmodparam(\"tls\", \"config\", \"$work/pki/kamailio-tls.cfg\")" \
        "$1/kamailio.cfg"
  fi
  kamailio -f "$1/kamailio.cfg" -DD -E -m 1024 -M 16 -P "$1/kamailio.pid" >"$1/proxy.log" 2>&1 &
  proxy_pid=$!
  pids+=($proxy_pid)
  sleep 1.5
  kill -0 "$proxy_pid" 2>/dev/null || { echo "kamailio did not start; see $1/proxy.log" >&2; exit 1; }
}

stop_all() {
  for p in "${pids[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done
  for _ in $(seq 1 50); do
    alive=0
    for p in "${pids[@]:-}"; do [ -n "$p" ] && kill -0 "$p" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.1
  done
  for p in "${pids[@]:-}"; do [ -n "$p" ] && kill -9 "$p" 2>/dev/null || true; done
  for p in "${pids[@]:-}"; do [ -n "$p" ] && wait "$p" 2>/dev/null || true; done
  pids=()
}

# one measurement: prints a result row
run_one() { # system rate mode
  local system=$1 rate=$2 mode=$3
  local dir="$work/$system-$rate-$mode"
  mkdir -p "$dir"
  local p1=uas.xml
  [ "$mode" = failover ] && p1=uas_503.xml
  start_uas "$dir" a "${UAS_PORTS[0]}" "$p1"
  start_uas "$dir" b "${UAS_PORTS[1]}" "$p1"
  start_uas "$dir" c "${UAS_PORTS[2]}" uas.xml
  if [ "$system" = sipvane ]; then start_sipvane "$dir" "$mode"; else start_kamailio "$dir" "$mode"; fi
  local target_port=$PROXY_PORT
  if [ "$mode" = tls ]; then
    start_edge "$dir"
    target_port=$EDGE_PORT
  fi
  local calls=$(( rate * duration ))
  local per_uac_rate per_uac_calls
  per_uac_rate=$(awk -v r="$rate" -v n="$uacs" 'BEGIN {printf "%.2f", r / n}')
  per_uac_calls=$(( calls / uacs ))
  calls=$(( per_uac_calls * uacs ))
  local cpu0 t0 t1 cpu1
  if [ "$warmup" -gt 0 ]; then
    # JIT and caches warm before measuring: the same load, not counted
    (cd "$dir" && mkdir -p warmup && cd warmup && exec timeout $(( warmup * 4 + 60 )) sipp -sf "$here/uac.xml" \
        "127.0.0.1:$target_port" -i 127.0.0.1 -p 35099 -buff_size "$SIPP_BUF" -s 14155550100 -r "${warmup_rate:-$rate}" \
        -m $(( ${warmup_rate:-$rate} * warmup )) \
        -d "$hold" -l 100000 -nostdin -default_behaviors all,-abortunexp >warmup.log 2>&1) || true
  fi
  local heap0 heap1 heapmid
  # the warm-up's lingering state gone too, so that heap0 and heap1 compare like with like
  [ "$settle" -gt 0 ] && sleep "$settle"
  heap0=$(heap_after_gc_mib "$system" "$proxy_pid")
  cpu0=$(cpu_ticks "$proxy_pid")
  t0=$(date +%s.%N)
  local uac_pids=()
  for i in $(seq 1 "$uacs"); do
    (cd "$dir" && mkdir -p "uac$i" && cd "uac$i" && exec timeout $(( duration * 4 + 60 )) sipp -sf "$here/uac.xml" \
        "127.0.0.1:$target_port" -i 127.0.0.1 -p $(( 35100 + i )) -buff_size "$SIPP_BUF" -s 14155550100 -r "$per_uac_rate" -m "$per_uac_calls" \
        -d "$hold" -l 100000 -nostdin -default_behaviors all,-abortunexp -trace_stat -stf uac.csv -fd 1 \
        -trace_rtt -rtt_freq 1 >uac.log 2>&1) &
    uac_pids+=($!)
  done
  # the heap with calls in progress, halfway through: a full GC inside the measured run, whose
  # pause shows in p99, so only when asked for
  local mid_pid=""
  if [ "$mid_heap" = 1 ]; then
    (sleep $(( duration / 2 )); heap_after_gc_mib "$system" "$proxy_pid" > "$dir/heap_mid") &
    mid_pid=$!
  fi
  for p in "${uac_pids[@]}"; do wait "$p" || true; done
  [ -n "$mid_pid" ] && { wait "$mid_pid" || true; }
  t1=$(date +%s.%N)
  cpu1=$(cpu_ticks "$proxy_pid")
  local mem peak
  mem=$(pss_mib "$proxy_pid")
  peak=$(peak_rss_mib "$proxy_pid")
  # state that outlives its call (lingering transactions, up to 40 s) has gone after --settle
  [ "$settle" -gt 0 ] && sleep "$settle"
  heap1=$(heap_after_gc_mib "$system" "$proxy_pid")
  heapmid=$(cat "$dir/heap_mid" 2>/dev/null || echo "-")
  sleep 2 # let the UAS write their last statistics
  local ok=0 failed=0 concurrent=0
  for i in $(seq 1 "$uacs"); do
    ok=$(( ok + $(stat_col "$dir/uac$i/uac.csv" "SuccessfulCall(C)") ))
    failed=$(( failed + $(stat_col "$dir/uac$i/uac.csv" "FailedCall(C)") ))
    concurrent=$(( concurrent + $(stat_max "$dir/uac$i/uac.csv" "CurrentCall") ))
  done
  local a b c
  a=$(stat_col "$dir/a.csv" "SuccessfulCall(C)"); b=$(stat_col "$dir/b.csv" "SuccessfulCall(C)")
  c=$(stat_col "$dir/c.csv" "SuccessfulCall(C)")
  local pcts
  pcts=$({ cat "$dir"/uac*/*_rtt.csv 2>/dev/null || true; } | awk -F';' '$2 ~ /^[0-9.]+$/ {print $2}' | sort -n | awk '
      {v[NR] = $1} END {if (NR == 0) {print "- -"; exit} p50 = v[int(NR * 0.50) > 0 ? int(NR * 0.50) : 1];
      p99 = v[int(NR * 0.99) > 0 ? int(NR * 0.99) : 1]; print p50, p99}')
  local limit="-"
  # below 95% of the offered rate: the UAC could not send faster, or calls queued at the proxy
  # (the last calls' hold time is not sending time)
  if awk -v ok="$ok" -v t0="$t0" -v t1="$t1" -v r="$rate" -v h="$hold" \
      'BEGIN {s = t1 - t0 - h / 1000; exit !(ok / (s > 1 ? s : 1) < 0.95 * r)}'; then
    limit="rate-not-reached"
  fi
  stop_all
  awk -v s="$system" -v m="$mode" -v r="$rate" -v ok="$ok" -v f="$failed" -v t0="$t0" -v t1="$t1" \
      -v c0="$cpu0" -v c1="$cpu1" -v hz="$TICKS" -v mem="$mem" -v a="$a" -v b="$b" -v c="$c" -v pc="$pcts" \
      -v lim="$limit" -v peak="$peak" -v h0="$heap0" -v h1="$heap1" -v hm="$heapmid" -v cc="$concurrent" \
      -v hold="$hold" 'BEGIN {
        split(pc, p, " "); secs = t1 - t0 - hold / 1000; if (secs < 1) secs = 1; cpu = (c1 - c0) / hz;
        per1000 = ok > 0 ? cpu * 1000 / ok : 0; ab = a + b;
        split_ = sprintf("%.1f/%.1f/%.1f", (ab + c) ? 100 * a / (ab + c) : 0, (ab + c) ? 100 * b / (ab + c) : 0,
          (ab + c) ? 100 * c / (ab + c) : 0);
        printf "%-8s %-8s %6d %8.0f %8d %6d %8.3f %7s %8s %6s %6s %14s %9s %5s %5s %5s %s\n", s, m, r, ok / secs, ok, f,
          per1000, mem, peak, p[1], p[2], split_, cc, h0, hm, h1, lim }' | tee -a "$work/results.txt"
}

echo "sipvane load harness: $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, ${warmup}s warm-up + ${duration}s per rate, hold ${hold} ms, $uacs UAC(s)"
echo "work dir: $work"
printf "%-8s %-8s %6s %8s %8s %6s %8s %7s %8s %6s %6s %14s %9s %5s %5s %5s %s\n" system mode offered achieved ok failed \
    "cpu_s/1k" "mem_MiB" "peak_MiB" p50_ms p99_ms "split_a/b/c_%" max_calls heap0 heapM heap1 limit
modes="normal"
[ "$failover" = 1 ] && modes="$modes failover"
[ "$tls" = 1 ] && { modes="$modes tls"; make_certificates "$work"; }
for rate in ${rates//,/ }; do
  for mode in $modes; do
    for system in ${systems//,/ }; do
      run_one "$system" "$rate" "$mode"
    done
  done
done

# sipvane/kamailio ratios per rate and mode
awk '{key = $3 " " $2; cpu[$1 " " key] = $7; p99[$1 " " key] = $11; p50[$1 " " key] = $10; keys[key] = 1}
  END {
    for (k in keys) if (("sipvane " k) in cpu && ("kamailio " k) in cpu && cpu["kamailio " k] > 0)
      printf "ratio sipvane/kamailio at %s: cpu per call %.2fx, p50 %s vs %s ms, p99 %s vs %s ms\n", k,
        cpu["sipvane " k] / cpu["kamailio " k], p50["sipvane " k], p50["kamailio " k], p99["sipvane " k], p99["kamailio " k]
  }' "$work/results.txt"
if [ "$failover" = 1 ]; then
  awk '{k = $1 " " $3; if ($2 == "normal") n[k] = $11; else if ($2 == "failover") f[k] = $11}
    END {for (k in f) if (k in n) printf "failover adds to p99 for %s cps: %d ms (%s -> %s)\n", k, f[k] - n[k], n[k], f[k]}' \
    "$work/results.txt"
fi
if [ "$tls" = 1 ]; then
  awk '{k = $1 " " $3; if ($2 == "normal") n[k] = $7; else if ($2 == "tls") t[k] = $7}
    END {for (k in t) if (k in n && n[k] > 0) printf "tls caller leg for %s cps: cpu per call %.3f vs %.3f ms over udp (%.2fx)\n", k, t[k], n[k], t[k] / n[k]}' \
    "$work/results.txt"
fi
