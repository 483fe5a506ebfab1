/*
 * vdahdi's audio ioctls, those Asterisk's chan_dahdi uses on every call:
 * GETGAINS returns what SETGAINS set and the tables act on the audio
 * (transmit toward the line, receive from it); SETCONF / GETCONF round
 * trip with dahdi-base's rules, DIGITALMON relays a channel's received
 * audio, CONFLINK keeps its links; SENDTONE sends the tone zone's tones
 * (de, loaded by dahdi_cfg) out to the line, where the far end hears
 * them, a write or tone -1 stops them; TONEDETECT reports a DTMF digit
 * as DTMFDOWN / DTMFUP events and mutes it.  Each tone check also looks
 * for a frequency that must be absent.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <dahdi/tonezone.h>
#include "tests/unit/vdtest.h"

enum { BS = 160 };

static int blocksize(int fd)
{
	return ioctl(fd, DAHDI_SET_BLOCKSIZE, &(int){BS});
}

/* true when one of the next n blocks of fd is all byte v */
static bool block_of(int fd, uint8_t v, int n)
{
	uint8_t buf[BS];

	for (int k = 0; k < n; k++) {
		int same = 0;

		if (read(fd, buf, BS) != BS)
			return false;
		for (int i = 0; i < BS; i++)
			same += buf[i] == v;
		if (same == BS)
			return true;
	}
	return false;
}

static int set_gains(int fd, int chan, int rx, int tx)
{
	struct dahdi_gains g = {.chan = chan};

	for (int i = 0; i < 256; i++) {
		g.rxgain[i] = rx < 0 ? i : rx;
		g.txgain[i] = tx < 0 ? i : tx;
	}
	return ioctl(fd, DAHDI_SETGAINS, &g);
}

/* power of f Hz in 4 blocks of 16-bit linear audio (Goertzel) */
static double power_at(const int16_t *s, int n, double f)
{
	double c = 2 * cos(2 * M_PI * f / 8000), q1 = 0, q2 = 0;

	for (int i = 0; i < n; i++) {
		double q0 = c * q1 - q2 + s[i];

		q2 = q1;
		q1 = q0;
	}
	return (q1 * q1 + q2 * q2 - c * q1 * q2) / n;
}

static int listen(int fd, int16_t *s, int blocks)
{
	ioctl(fd, DAHDI_FLUSH, &(int){DAHDI_FLUSH_READ});
	for (int k = 0; k < blocks; k++)
		if (read(fd, s + k * BS, 2 * BS) != 2 * BS)
			return -1;
	return 0;
}

/* the far end hears f1 (and f2) well above the absent frequency */
static bool hears(int fd, double f1, double f2, double absent)
{
	int16_t s[4 * BS];
	double p1, p2, pa;

	if (listen(fd, s, 4))
		return false;
	p1 = power_at(s, 4 * BS, f1);
	p2 = f2 ? power_at(s, 4 * BS, f2) : p1;
	pa = power_at(s, 4 * BS, absent);
	tap_diag("%.0f Hz: %.3g, %.0f Hz: %.3g, %.0f Hz (absent): %.3g",
	     f1, p1, f2, p2, absent, pa);
	return p1 > 100 * pa && p2 > 100 * pa && p1 > 1e5;
}

static void test_gains(int ctl, int a, int b, int d)
{
	struct dahdi_gains g = {0};
	bool unity = true;

	ok(!ioctl(a, DAHDI_GETGAINS, &g) && g.chan == 1,
	   "GETGAINS on channel 1");
	for (int i = 0; i < 256; i++)
		unity = unity && g.rxgain[i] == i && g.txgain[i] == i;
	ok(unity, "a channel opens with unity gains");
	ok(!set_gains(a, 0, -1, 0x2a), "SETGAINS: transmit table all 0x2a");
	memset(&g, 0, sizeof(g));
	g.chan = 1;
	ok(!ioctl(ctl, DAHDI_GETGAINS, &g) && g.txgain[0] == 0x2a &&
	   g.txgain[255] == 0x2a && g.rxgain[7] == 7,
	   "GETGAINS (through ctl, channel 1) returns what SETGAINS set");
	g.chan = 0;
	ok(ioctl(ctl, DAHDI_GETGAINS, &g) < 0 && errno == EINVAL,
	   "GETGAINS on ctl without a channel: EINVAL");
	ok(ioctl(d, DAHDI_GETGAINS, &g) < 0 && errno == EINVAL,
	   "GETGAINS on a D-channel: EINVAL");
	ok(block_of(b, 0x2a, 10), "the far end receives the transmit gain's "
	   "0x2a");
	ok(!set_gains(b, 0, 0x55, -1) && block_of(b, 0x55, 10),
	   "a receive table all 0x55 on channel 32: it reads 0x55");
	ok(!set_gains(a, 0, -1, -1) && !set_gains(b, 0, -1, -1) &&
	   block_of(b, 0xd5, 10), "unity again: the idle code 0xd5 arrives");
}

static int setconf(int fd, int chan, int confno, int mode,
		   struct dahdi_confinfo *ci)
{
	ci->chan = chan;
	ci->confno = confno;
	ci->confmode = mode;
	return ioctl(fd, DAHDI_SETCONF, ci);
}

static void test_conf(int a, int b, int c, int d, int dch)
{
	const int cf = DAHDI_CONF_CONF | DAHDI_CONF_TALKER |
		DAHDI_CONF_LISTENER;
	struct dahdi_confinfo ci = {0}, cj = {0}, g = {0};
	int rc = setconf(a, 0, -1, cf, &ci);

	ok(!rc && ci.chan == 1 && ci.confno >= 1,
	   "SETCONF confno -1 picks conference %d", ci.confno);
	ok(!ioctl(a, DAHDI_GETCONF, &g) && g.chan == 1 &&
	   g.confno == ci.confno && g.confmode == cf,
	   "GETCONF returns what SETCONF set");
	rc = setconf(b, 0, -1, cf, &cj);
	ok(!rc && cj.confno != ci.confno,
	   "the next -1 is another conference (%d)", cj.confno);
	ok(setconf(a, 0, 0, cf, &ci) < 0 && errno == EINVAL,
	   "a mode without a conference: EINVAL");
	ok(setconf(a, 0, 5, 0, &ci) < 0 && errno == EINVAL,
	   "a conference without a mode: EINVAL");
	ok(setconf(a, 0, 9999, DAHDI_CONF_DIGITALMON, &ci) < 0 &&
	   errno == EINVAL, "monitoring a channel that does not exist: EINVAL");
	ok(setconf(dch, 0, 1, cf, &ci) < 0 && errno == EINVAL,
	   "SETCONF on a D-channel: EINVAL");
	memset(&g, 0, sizeof(g));
	ok(!setconf(a, 0, 0, 0, &ci) && !setconf(b, 0, 0, 0, &ci) &&
	   !ioctl(a, DAHDI_GETCONF, &g) && !g.confno && !g.confmode,
	   "mode 0, conference 0: out of it");

	/* native bridge: 33 sends what 32 receives, so 2 hears 1 */
	ok(!set_gains(a, 0, -1, 0x33) && block_of(c, 0xd5, 10),
	   "before DIGITALMON channel 2 hears its idle far end");
	ok(!setconf(d, 0, 32, DAHDI_CONF_DIGITALMON, &ci) && ci.chan == 33 &&
	   block_of(c, 0x33, 10),
	   "33 in DIGITALMON of 32: channel 2 receives what 1 sends");
	ok(!setconf(d, 0, 0, 0, &ci) && !set_gains(a, 0, -1, -1) &&
	   block_of(c, 0xd5, 10), "and no more once it leaves");
}

static void test_conflink(int a)
{
	const int cf = DAHDI_CONF_CONF | DAHDI_CONF_TALKER |
		DAHDI_CONF_LISTENER;
	struct dahdi_confinfo ci;

	ci = (struct dahdi_confinfo){.chan = 1, .confno = 2, .confmode = cf};
	ok(!ioctl(a, DAHDI_CONFLINK, &ci), "CONFLINK links conference 1 "
	   "into 2");
	ok(ioctl(a, DAHDI_CONFLINK, &ci) < 0 && errno == EEXIST,
	   "the same link again: EEXIST");
	ci.confmode = 0;
	ok(!ioctl(a, DAHDI_CONFLINK, &ci), "mode 0 removes it");
	ok(ioctl(a, DAHDI_CONFLINK, &ci) < 0 && errno == ENOENT,
	   "removing it again: ENOENT");
	ci = (struct dahdi_confinfo){.chan = 3, .confno = 3, .confmode = cf};
	ok(ioctl(a, DAHDI_CONFLINK, &ci) < 0 && errno == EINVAL,
	   "a conference linked to itself: EINVAL");
	ci = (struct dahdi_confinfo){0};
	ok(!ioctl(a, DAHDI_CONFLINK, &ci), "0 and 0 clear every link");
}

static int sendtone(int fd, int tone)
{
	return ioctl(fd, DAHDI_SENDTONE, &tone);
}

static void test_tones(int a, int b)
{
	struct tone_zone *de = tone_zone_find("de");
	int16_t s[60 * BS];
	int zone = -1, on = 0, off = 0, rc;

	rc = ioctl(a, DAHDI_GETTONEZONE, &zone);
	ok(!rc && de && zone == de->zone, "GETTONEZONE: the default zone, de "
	   "(%d)", zone);
	ok(!sendtone(a, DAHDI_TONE_DIALTONE) && hears(b, 425, 0, 1000),
	   "SENDTONE dial tone: the far end hears 425 Hz");
	memset(s, 0xd5, BS);
	ok(write(a, s, BS) == BS && !listen(b, s, 2) &&
	   power_at(s, 2 * BS, 425) < 1e3, "a write stops the tone");
	ok(!sendtone(a, DAHDI_TONE_DTMF_5) && hears(b, 770, 1336, 697),
	   "SENDTONE DTMF 5: 770 + 1336 Hz, no 697 Hz");
	ok(!sendtone(a, -1), "SENDTONE -1 stops it");
	ok(!listen(b, s, 2) && power_at(s, 2 * BS, 770) < 1e3,
	   "... the far end hears it stop");

	/* busy, 425 Hz 480 ms on, 480 ms off: both within 1.2 s */
	ok(!sendtone(a, DAHDI_TONE_BUSY) && !listen(b, s, 60),
	   "SENDTONE busy");
	for (int k = 0; k < 60; k++) {
		if (power_at(s + k * BS, BS, 425) > 1e5)
			on++;
		else
			off++;
	}
	ok(on >= 15 && off >= 15, "busy goes on and off (%d blocks of tone, "
	   "%d of silence)", on, off);
	sendtone(a, -1);
	/* the driver says ENOSYS, which FUSE turns into ENOTTY */
	ok(sendtone(a, DAHDI_TONE_CUST1) < 0 && errno == ENOTTY,
	   "a tone the zone lacks: ENOTTY");
	ok(sendtone(a, 200) < 0 && errno == EINVAL, "tone 200: EINVAL");
}

/* the next event of fd, waiting for POLLPRI up to 2 s; meanwhile a
 * read must fail with ELAST, as with any event */
static int next_event(int fd, bool *elast)
{
	int16_t s[BS];
	int ev = -1;

	if (!(vt_poll(fd, POLLPRI, 2000) & POLLPRI))
		return -1;
	*elast = read(fd, s, sizeof(s)) < 0 && errno == ELAST;
	ioctl(fd, DAHDI_GETEVENT, &ev);
	return ev;
}

static void test_detect(int a, int b, int dch)
{
	int16_t s[BS];
	bool elast = false;
	int ev;

	ok(!ioctl(b, DAHDI_TONEDETECT, &(int){DAHDI_TONEDETECT_ON |
		DAHDI_TONEDETECT_MUTE}), "TONEDETECT ON | MUTE on channel 32");
	ok(!sendtone(a, DAHDI_TONE_DTMF_5), "the far end sends DTMF 5");
	ev = next_event(b, &elast);
	ok(ev == (DAHDI_EVENT_DTMFDOWN | '5'), "DTMFDOWN | '5' (0x%x)", ev);
	ok(elast, "a read before GETEVENT fails with ELAST, as with any "
	   "event");
	ok(!listen(b, s, 1) && power_at(s, BS, 770) < 1e3,
	   "MUTE: the digit is silence to the reader");
	sendtone(a, -1);
	ev = next_event(b, &elast);
	ok(ev == (DAHDI_EVENT_DTMFUP | '5'), "DTMFUP | '5' once it ends "
	   "(0x%x)", ev);

	ok(!ioctl(b, DAHDI_TONEDETECT, &(int){0}), "TONEDETECT 0: off");
	sendtone(a, DAHDI_TONE_DTMF_5);
	ok(hears(b, 770, 1336, 697), "the digit is heard, not muted");
	ok(!(vt_poll(b, POLLPRI, 0) & POLLPRI), "and no event comes");
	sendtone(a, -1);
	ok(ioctl(dch, DAHDI_TONEDETECT, &(int){1}) < 0 && errno == EINVAL,
	   "TONEDETECT on a D-channel: EINVAL");
}

int main(void)
{
	int ctl = open(DEV "/ctl", O_RDWR), a, b, c, d, dch, zone;

	ok(vt_wait_span_ok(1, 2), "span 1 out of alarm");
	a = vt_open_chan(1, O_NONBLOCK);
	b = vt_open_chan(32, 0);
	c = vt_open_chan(2, 0);
	d = vt_open_chan(33, O_NONBLOCK);
	dch = vt_open_chan(16, O_NONBLOCK);
	ok(ctl >= 0 && a >= 0 && b >= 0 && c >= 0 && d >= 0 && dch >= 0 &&
	   !blocksize(a) && !blocksize(b) && !blocksize(c) && !blocksize(d),
	   "open channels 1, 2, 32, 33 and D-channel 16");

	test_gains(ctl, a, b, dch);
	test_conf(a, b, c, d, dch);
	test_conflink(a);
	ok(!ioctl(b, DAHDI_SETLINEAR, &(int){1}), "32 reads 16-bit linear");
	test_tones(a, b);
	test_detect(a, b, dch);

	/* without a zone there is no tone: ENODATA, as the driver says */
	zone = tone_zone_find("de")->zone;
	close(c);
	ok(!ioctl(ctl, DAHDI_FREEZONE, &zone), "FREEZONE de");
	c = vt_open_chan(2, 0);
	ok(c >= 0 && sendtone(c, DAHDI_TONE_DIALTONE) < 0 && errno == ENODATA,
	   "a channel opened with no zone loaded: SENDTONE gives ENODATA");
	close(a);
	close(b);
	close(c);
	close(d);
	close(dch);
	close(ctl);
	return tap_done();
}
