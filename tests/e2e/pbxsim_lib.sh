# Helpers for the pbxsim end-to-end cases (sourced after common.sh, inside
# the sandbox).  Each pbxsim runs in the background with its log in $work.
# SPDX-License-Identifier: GPL-2.0-or-later

work=$(mktemp -d /tmp/pbxsim-test.XXXXXX)
trap 'rm -rf "$work"' EXIT

# pbx_start NAME ARGS...: run pbxsim in the background; status in NAME.rc
pbx_start() {
	name=$1
	shift
	( "$PBXSIM" "$@" > "$work/$name.log" 2>&1; echo $? > "$work/$name.rc" ) &
}

# pbx_wait NAME...: wait for every pbxsim started, show their logs
pbx_wait() {
	wait
	for n in "$@"; do
		diag "---- $n"
		diag "$(cat "$work/$n.log")"
	done
}

# pbx_passed NAME: its scenario passed (exit status 0)
pbx_passed() {
	[ "$(cat "$work/$1.rc" 2>/dev/null)" = 0 ]
}

# pbx_logged NAME PATTERN: its log holds a line matching PATTERN (grep -E)
pbx_logged() {
	grep -Eq -- "$2" "$work/$1.log"
}

# pbx_script NAME: the scenario on stdin, saved as $work/NAME.pbx
pbx_script() {
	cat > "$work/$1.pbx"
}
