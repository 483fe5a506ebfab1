# tdm/pri: DAHDI channels, a libpri instance in libre's loop, B-channel
# audio.  Shared by pbxsim and the gateway.
# SPDX-License-Identifier: GPL-2.0-or-later

# libre 1.1.0's headers only compile with the -D flags its own build used
# (/usr/share/re/re.mk); pkg-config gives just the -I.  HAVE_INET6 also
# fixes the layout of struct sa, so every user of libre must agree on it.
RE_DEFS = -DHAVE_INTTYPES_H -DHAVE_STDBOOL_H -DHAVE_INET6

noinst_LIBRARIES += tdm/pri/libtdmpri.a
tdm_pri_libtdmpri_a_SOURCES = \
	tdm/pri/tdmpri.h \
	tdm/pri/bchan.c tdm/pri/dahdi.c tdm/pri/fdtmr.c tdm/pri/link.c \
	tdm/pri/names.c
tdm_pri_libtdmpri_a_CPPFLAGS = $(AM_CPPFLAGS) $(RE_CFLAGS) $(RE_DEFS)
EXTRA_DIST += tdm/pri/local.mk
