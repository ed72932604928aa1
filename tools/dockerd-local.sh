#!/bin/sh
# A private Docker daemon for the Docker-mode tests of the local endpoint
# (emulator/docker_test.go): its own socket, data and exec roots under one
# folder, no bridge and no iptables rules (containers get host networking
# or none, so no traffic leaves loopback), its own containerd namespace.
# Nothing is pulled; the tests build their images with `docker import`.
#
#	tools/dockerd-local.sh start   # starts it (if not running); prints export DOCKER_HOST=…
#	tools/dockerd-local.sh env     # prints export DOCKER_HOST=…
#	tools/dockerd-local.sh stop    # stops it and removes its folder
#
# SMCORE_DOCKER_DIR chooses the folder (default /tmp/smcore-docker). It
# needs dockerd (Debian: docker.io) and root, or sudo without a password;
# the socket is given to the caller's group (SMCORE_DOCKER_GROUP: another),
# so that tests running as the caller reach it. Typical use:
# eval "$(tools/dockerd-local.sh start)".
set -eu

dir=${SMCORE_DOCKER_DIR:-/tmp/smcore-docker}
sock=$dir/docker.sock
pidfile=$dir/docker.pid
log=$dir/dockerd.log

sudo=
if [ "$(id -u)" != 0 ]; then sudo=sudo; fi

say() { printf 'dockerd-local: %s\n' "$*" >&2; }

up() { DOCKER_HOST=unix://$sock docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }

daemon_pid() {
	if [ -r "$pidfile" ]; then
		pid=$(cat "$pidfile")
		case $pid in '' | *[!0-9]*) return 1 ;; esac
		# Only the daemon this script started: its command line names our socket.
		if tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "unix://$sock"; then
			echo "$pid"
			return 0
		fi
	fi
	return 1
}

start() {
	command -v dockerd >/dev/null 2>&1 || { say "dockerd not found (Debian: apt-get install docker.io)"; exit 1; }
	command -v docker >/dev/null 2>&1 || { say "the docker CLI not found (Debian: apt-get install docker.io)"; exit 1; }
	if up; then
		echo "export DOCKER_HOST=unix://$sock"
		return 0
	fi
	$sudo mkdir -p "$dir"
	for driver in "" vfs; do
		# The default storage driver (overlay2) fails on some filesystems,
		# an overlay inside a container among them; vfs works anywhere.
		$sudo sh -c 'cd / && exec setsid "$@" </dev/null >>"'"$log"'" 2>&1 &' dockerd \
			dockerd --bridge=none --iptables=false --ip-masq=false \
			--host "unix://$sock" --group "${SMCORE_DOCKER_GROUP:-$(id -g)}" \
			--data-root "$dir/root" --exec-root "$dir/exec" --pidfile "$pidfile" \
			--containerd-namespace smcore-docker --containerd-plugins-namespace smcore-docker-plugins \
			${driver:+--storage-driver "$driver"} --log-level warn
		i=0
		while [ $i -lt 60 ]; do
			if up; then
				say "dockerd ${driver:+(storage driver $driver) }listening on unix://$sock (log: $log)"
				echo "export DOCKER_HOST=unix://$sock"
				return 0
			fi
			if [ $i -gt 2 ] && ! daemon_pid >/dev/null; then break; fi
			sleep 0.5
			i=$((i + 1))
		done
		stop_daemon
		say "dockerd ${driver:+(storage driver $driver) }did not start; its log:"
		tail -n 20 "$log" >&2 || true
	done
	exit 1
}

stop_daemon() {
	pid=$(daemon_pid) || return 0
	$sudo kill -TERM "$pid" 2>/dev/null || true
	i=0
	while [ -e "/proc/$pid" ] && [ $i -lt 60 ]; do
		sleep 0.5
		i=$((i + 1))
	done
	if [ -e "/proc/$pid" ]; then
		say "dockerd ($pid) did not stop in 30 s; killing it"
		$sudo kill -KILL "$pid" 2>/dev/null || true
	fi
}

stop() {
	stop_daemon
	# What the daemon left mounted under its roots, then its folder.
	if [ -d "$dir" ]; then
		grep -o " $dir/[^ ]*" /proc/mounts 2>/dev/null | sort -r | while read -r m; do $sudo umount -l "$m" 2>/dev/null || true; done
		$sudo rm -rf "$dir"
	fi
}

case ${1:-} in
start) start ;;
stop) stop ;;
env) echo "export DOCKER_HOST=unix://$sock" ;;
*)
	say "usage: $0 start|stop|env"
	exit 2
	;;
esac
