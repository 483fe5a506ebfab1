# A second network for the address cases (gw_addr*.sh): the namespace
# "far", joined to the case's own by a veth pair, 192.0.2.1/24 on this
# side and 192.0.2.7/24 on the far one (RFC 5737 TEST-NET-1).  A SIPp
# there runs with SIPP_NS="$far_ns" SIPP_IP=192.0.2.7 (gw_lib.sh).
# Sourced after gw_lib.sh, inside the sandbox.
# SPDX-License-Identifier: GPL-2.0-or-later

far_start() {
	ip link add addr0 type veth peer name addr1 || return 1
	unshare -n sleep 600 &
	far_pid=$!
	far_ns="nsenter -t $far_pid -n"
	wait_for 5 sh -c "[ \"\$(readlink /proc/$far_pid/ns/net)\" != \
		\"\$(readlink /proc/self/ns/net)\" ]" || return 1
	ip link set addr1 netns "$far_pid" &&
		ip addr add 192.0.2.1/24 dev addr0 &&
		ip link set addr0 up &&
		$far_ns ip link set lo up &&
		$far_ns ip addr add 192.0.2.7/24 dev addr1 &&
		$far_ns ip link set addr1 up &&
		wait_for 5 sh -c "ip link show addr0 | grep -q 'state UP'"
}

far_stop() {
	kill "$far_pid" 2>/dev/null
	wait "$far_pid" 2>/dev/null
	return 0
}

# addr_conf LISTEN [SIP-KEY-LINE...]: the loopback profile with sipri
# on LISTEN, the given [sip] lines, calls from 127.0.0.1 and 192.0.2.7,
# and PRI calls for 7... to the far trunk at 192.0.2.7:5062
addr_conf() {
	listen=$1
	shift
	{
		sed -e "s|^listen = udp:.*|listen = $listen|" \
			-e 's/^sources = 127\.0\.0\.1$/&, 192.0.2.7/' \
			-e '/^\[route pri-to-sip\]/,$d' \
			"$top_srcdir/conf/loopback.conf"
		cat <<-EOC
		[trunk far]
		host = 192.0.2.7
		port = 5062
		transport = udp
		options = 0
		sources = none

		[route far]
		direction = pri-to-sip
		match = prefix:7
		trunk = far

		[route pri-to-sip]
		direction = pri-to-sip
		match = any
		trunk = loopback

		[route sip-to-pri]
		direction = sip-to-pri
		match = any
		group = pbx
		EOC
	} > "$work/base.conf"
	# the [sip] lines go after the listen line
	for line in "$@"; do
		sed -i "/^listen = udp:/a $line" "$work/base.conf"
	done
	GW_CONF=$work/base.conf
}
