#!/usr/bin/env bats
# The xenstored simulator, driven by the real xenstore-* tools and the
# real libxenstore (xs-probe), as the helpers will meet it.

load helpers

# memcheck watches the simulator itself here (helpers.bash, start_sim)
SIM_MEMCHECK=1

setup() {
	vp_setup
	start_sim --domain-socket 7:"$T/d7.sock"
}

probe() { XENSTORED_PATH=${XENSTORED:-$XS} "$BUILD/xs-probe" "$@"; }

@test "read, write, exists, list, ls and rm with the real tools" {
	xs write /a/b/c 1 /a/b/d 2
	assert_equal "$(xs read /a/b/c)" 1
	xs exists /a/b/d
	run xs exists /a/b/e
	assert_failure
	run xs list /a/b
	assert_output $'c\nd'
	run xs ls /a
	assert_output --partial 'c = "1"'
	xs rm /a/b/c
	run xs list /a/b
	assert_output d
	# removing what is gone, with its parent there, is fine (xenstored)
	xs rm /a/b/c
	run probe read /a/b/c
	assert_output ENOENT
}

@test "relative paths are the connection's domain's" {
	xs write data/x dom0
	assert_equal "$(xs read /local/domain/0/data/x)" dom0
	xs_as 7 write data/x guest
	assert_equal "$(xs read /local/domain/7/data/x)" guest
	assert_equal "$(xs_as 7 read domid)" 7
	assert_equal "$(probe domain-path 7)" /local/domain/7
}

@test "permissions: a guest reads and writes its own tree only, and owns what it creates" {
	xs write /local/domain/0/backend/vif/7/0/bridge xenbr0
	run xs_as 7 read /local/domain/0/backend/vif/7/0/bridge
	assert_failure
	XENSTORED=$T/d7.sock run probe read /local/domain/0/backend/vif/7/0/bridge
	assert_output EACCES
	run xs_as 7 write /local/domain/0/x y
	assert_failure
	xs_as 7 write /local/domain/7/device/vif/0/state 1
	run xs ls -p /local/domain/7/device/vif/0
	assert_output --partial "(n7)"
	# dom0 grants read; children inherit the parent's permissions
	xs chmod /local/domain/0/backend/vif/7 n0 r7
	xs write /local/domain/0/backend/vif/7/1/mac 00:16:3e:00:00:01
	assert_equal "$(xs_as 7 read /local/domain/0/backend/vif/7/1/mac)" 00:16:3e:00:00:01
	run xs_as 7 write /local/domain/0/backend/vif/7/1/mac evil
	assert_failure
	# a guest cannot give its node to someone else
	run xs_as 7 chmod /local/domain/7/device/vif/0/state n0
	assert_failure
}

@test "watches fire once on registration and for every change at or below" {
	xs write /w/a 1 /other 1
	xs watch -n 4 /w >"$T/events" &
	wpid=$!
	for _ in $(seq 1 50); do [ -s "$T/events" ] && break; sleep 0.05; done
	xs write /other 2
	xs write /w/a 2
	xs write /w/b/c 3
	xs rm /w/a
	wait "$wpid"
	run cat "$T/events"
	assert_output $'/w\n/w/a\n/w/b/c\n/w/a'
}

@test "a watch below a removed node fires for its own path; relative watches hear relative paths" {
	xs_as 7 write data/a/b 1
	xs_as 7 watch -n 3 data/a/b >"$T/events" &
	wpid=$!
	for _ in $(seq 1 50); do [ -s "$T/events" ] && break; sleep 0.05; done
	xs_as 7 write data/a/b 2
	xs rm /local/domain/7/data/a
	wait "$wpid"
	run cat "$T/events"
	assert_output $'data/a/b\ndata/a/b\ndata/a/b'
}

@test "transactions see a snapshot and fail with EAGAIN when what they read changed" {
	xs write /t/x 1
	mkfifo "$T/go"
	probe txn /t/x /t/y 3 <"$T/go" >"$T/out" &
	pid=$!
	exec 8>"$T/go"
	for _ in $(seq 1 50); do grep -q read "$T/out" && break; sleep 0.05; done
	xs write /t/x 2
	echo go >&8
	exec 8>&-
	st=0
	wait "$pid" || st=$?
	assert_equal "$st" 3
	run cat "$T/out"
	assert_output $'read 1\nread again 1\ncommit EAGAIN'
	# nothing of the failed transaction was applied
	run xs exists /t/y
	assert_failure
}

@test "a transaction whose reads did not change commits, and its writes appear at once" {
	xs write /t/x 1 /u/z 1
	mkfifo "$T/go"
	probe txn /t/x /t/y 3 <"$T/go" >"$T/out" &
	pid=$!
	exec 8>"$T/go"
	for _ in $(seq 1 50); do grep -q read "$T/out" && break; sleep 0.05; done
	xs write /u/z 2
	run xs exists /t/y
	assert_failure
	echo go >&8
	exec 8>&-
	wait "$pid"
	assert_equal "$(xs read /t/y)" 3
}

@test "a directory larger than one message is listed whole (DIRECTORY_PART)" {
	for i in $(seq 1 700); do echo "/big/node-with-a-long-name-$i = \"v\""; done >"$T/seed"
	stop_sim
	start_sim --seed "$T/seed"
	run xs list /big
	assert_equal "${#lines[@]}" 700
	assert_line --index 699 node-with-a-long-name-700
}

@test "@introduceDomain and @releaseDomain fire on introduce and release" {
	xs watch -n 3 @introduceDomain >"$T/intro" &
	w1=$!
	xs watch -n 2 @releaseDomain >"$T/release" &
	w2=$!
	for _ in $(seq 1 50); do [ -s "$T/intro" ] && [ -s "$T/release" ] && break; sleep 0.05; done
	assert_equal "$(probe is-introduced 9)" F
	probe introduce 9
	assert_equal "$(probe is-introduced 9)" T
	probe introduce 10
	probe release 9
	wait "$w1" "$w2"
	assert_equal "$(probe is-introduced 9)" F
	run cat "$T/intro"
	assert_output $'@introduceDomain\n@introduceDomain\n@introduceDomain'
	# a guest may not introduce domains
	XENSTORED=$T/d7.sock run probe introduce 11
	assert_output EACCES
}

@test "paths xenstored refuses are EINVAL: .., spaces, too long" {
	run probe read /a/../b
	assert_output EINVAL
	run probe read "/a b"
	assert_output EINVAL
	run probe read "/$(printf 'x%.0s' $(seq 1 3100))"
	assert_output EINVAL
	run probe read /a//b
	assert_output EINVAL
}

@test "the seed file loads with permissions, and the tree is dumped at exit" {
	cat >"$T/seed" <<-'SEED'
		# a comment
		/local/domain/7 [n0,r7]
		/local/domain/7/name = "guest \"seven\"" [n0,r7]
		/vm/x
	SEED
	stop_sim
	start_sim --seed "$T/seed"
	assert_equal "$(xs read /local/domain/7/name)" 'guest "seven"'
	run xs ls -p /local/domain/7
	assert_output --partial "(n0,r7)"
	xs write /local/domain/7/extra "a
b"
	stop_sim
	run grep -F '/local/domain/7/name = "guest \"seven\"" [n0,r7]' "$T/dump"
	assert_success
	run grep -F '/local/domain/7/extra = "a\nb" [n0,r7]' "$T/dump"
	assert_success
}
