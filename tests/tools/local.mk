# tests/tools/: the test peers' helpers - mkpcap writes the RTP pcaps SIPp
# plays (the README's demo needs it, so plain make builds these), rtpdtmf
# decodes RFC 4733 events from a capture, rtplevel measures RTP audio.
# SPDX-License-Identifier: GPL-2.0-or-later
noinst_PROGRAMS += tests/tools/mkpcap tests/tools/rtpdtmf tests/tools/rtplevel
TOOLS_CFLAGS = $(AM_CFLAGS) $(SPANDSP_CFLAGS)
TOOLS_LDADD = $(SPANDSP_LIBS) -lm
tests_tools_mkpcap_SOURCES = tests/tools/mkpcap.c tests/tools/impair.c \
	tests/tools/impair.h
tests_tools_mkpcap_CFLAGS = $(TOOLS_CFLAGS)
tests_tools_mkpcap_LDADD = $(TOOLS_LDADD)
tests_tools_rtpdtmf_SOURCES = tests/tools/rtpdtmf.c tests/tools/impair.c \
	tests/tools/impair.h
tests_tools_rtpdtmf_CFLAGS = $(TOOLS_CFLAGS)
tests_tools_rtpdtmf_LDADD = $(TOOLS_LDADD)
tests_tools_rtplevel_CFLAGS = $(TOOLS_CFLAGS)
tests_tools_rtplevel_LDADD = $(TOOLS_LDADD)
# rtpinject: a peer's RTP and rogue senders' (tests/e2e/gw_rtpguard.sh)
check_PROGRAMS += tests/tools/rtpinject
tests_tools_rtpinject_CFLAGS = $(TOOLS_CFLAGS)
tests_tools_rtpinject_LDADD = $(TOOLS_LDADD)
# tcpconn: TCP connections that idle, or ask OPTIONS (tests/e2e/gw_tcpgate.sh)
check_PROGRAMS += tests/tools/tcpconn
# notifyrecv: the service manager's end of sd_notify (tests/e2e/gw_sdnotify.sh)
check_PROGRAMS += tests/tools/notifyrecv
