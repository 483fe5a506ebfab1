# Helpers for the media cases (tones, echo, jitter): sourced after
# gw_lib.sh, inside the sandbox.
# SPDX-License-Identifier: GPL-2.0-or-later

RTPLEVEL="$top_builddir/tests/tools/rtplevel"

# gw_reload KEY VALUE [SECTION]: set a key in sipri.conf (in [general]
# unless SECTION is given) and SIGHUP sipri; wait for the reload
gw_reload() {
	n=$(grep -c "configuration reloaded" "$work/sipri.log")
	sed -i "/^$1 = /d" "$work/sipri.conf"
	sed -i "/^\[${3:-general}\]/a $1 = $2" "$work/sipri.conf"
	kill -HUP "$gw_pid"
	wait_for 5 sh -c "[ \$(grep -c 'configuration reloaded' \
		'$work/sipri.log') -gt $n ]"
}

# rtp_level NAME PORT FROM TO: the dBm0 level of the RTP audio to PORT
# between FROM and TO seconds after its first packet
rtp_level() {
	"$RTPLEVEL" "$work/$1.pcap" "$2" "$3" "$4" | awk '{ print $2 }'
}

# rtp_median NAME PORT FROM TO: the median level of its 0.25 s windows
rtp_median() {
	"$RTPLEVEL" "$work/$1.pcap" "$2" "$3" "$4" 0.25 | awk '{ print $7 }'
}

# rtp_median_hz NAME PORT FROM TO HZ: the same, of the HZ component only
rtp_median_hz() {
	"$RTPLEVEL" "$work/$1.pcap" "$2" "$3" "$4" 0.25 "$5" |
		awk '{ print $7 }'
}

# sipp_play NAME PCAP-ARGS...: SIPp calls sipri (R-URI user 4930777) and
# plays the audio mkpcap makes of PCAP-ARGS, then hangs up after 6 s
sipp_play() {
	name=$1
	shift
	"$MKPCAP" "$work/tone1004.pcap" "$@" || return 1
	sipp_start "$name" uac_call.xml -s 4930777 127.0.0.1:5060 \
		-key caller +495551234 -set play 1 -d "${PLAY_MS:-6000}" \
		-mp "${PLAY_PORT:-6100}"
}
