#!/bin/bash
# vifctl-scale.sh BUILD NTAPS NBACKENDS CMD...: how long vifctl CMD takes on a
# dom0 with NTAPS taps and NBACKENDS backend vifs (VIFS=1: each with its
# vifD.N link too), in a throwaway namespace with the simulator as
# xenstored; WRAP="strace -c" ERR=FILE to see where the time goes.
# HOLD=1: the NTAPS taps held by NTAPS/4 processes (vifbench hold), as
# QEMUs hold theirs; each command then runs five times.
B=$1 NT=$2 NB=$3; shift 3
D=$(mktemp -d); NS=scale$$
export XENSTORED_PATH=$D/xs.sock VIFPLUG_CONF=$D/c.conf
printf 'log_file = %s/h.log\nsyslog = no\nlock_dir = %s/lock\n' $D $D > $VIFPLUG_CONF
$B/xenstored-sim $XENSTORED_PATH 2>/dev/null & SIM=$!
while [ ! -S $XENSTORED_PATH ]; do sleep 0.05; done
ip netns add $NS; ip -n $NS link set lo up
{ [ -n "${HOLD:-}" ] || for i in $(seq 1 $NT); do echo "tuntap add dev tap$i mode tap"; done; [ -z "${VIFS:-}" ] || for i in $(seq 1 $NB); do echo "tuntap add dev vif$((i+100)).0 mode tap"; done; } > $D/batch; ip -n $NS -batch $D/batch
be=/local/domain/0/backend/vif
for i in $(seq 1 $NB); do echo "$be/$((i+100))/0/hotplug-status connected $be/$((i+100))/0/mac 00:16:3e:00:00:01"; done | xargs -n 400 xenstore-write
xenstore-write /local/domain/0/domid 0
mkdir -p $D/root
for c in "$@"; do
  if [ -n "${HOLD:-}" ]; then
    echo "vifctl $c: $(ip netns exec $NS $B/vifbench hold $((NT / 4)) 4 ${WRAP:-} $B/vifctl $c 2>${ERR:-/dev/null} | awk '{ printf "%d ", $1 / 1e6 }')ms"
    continue
  fi
  s=$(date +%s%N); ip netns exec $NS timeout 600 ${WRAP:-} $B/vifctl $c >/dev/null 2>${ERR:-/dev/null}; rc=$?; e=$(date +%s%N)
  echo "vifctl $c: $(( (e-s)/1000000 )) ms (rc $rc)"
done
kill $SIM; ip netns del $NS; rm -rf $D
