# common/: the leaf library every room links - the neutral call-control
# language (cc) and logging (log).  It includes nothing of the project
# outside itself (tests/build/rooms.sh checks it).
# SPDX-License-Identifier: GPL-2.0-or-later
noinst_LIBRARIES += common/libsipricommon.a
common_libsipricommon_a_SOURCES = common/cc.h common/cc.c \
	common/log.h common/log.c
