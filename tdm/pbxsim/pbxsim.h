/*
 * pbxsim: a scriptable ISDN PRI peer on DAHDI (private header).
 *
 * One process drives one D-channel through tdm/pri and runs one scenario
 * (tdm/pbxsim/README): commands that act (call, answer, hangup, tone...)
 * and expectations that wait, with a timeout, for what the far end does.
 * Everything runs in libre's single-threaded loop.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PBXSIM_H
#define PBXSIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <re.h>
/* spandsp states are embedded in their owners (DESIGN.md) */
#define SPANDSP_EXPOSE_INTERNAL_STRUCTURES
#include <spandsp.h>
#include "tdm/pri/tdmpri.h"

struct pbxsim;

/* ---- script.c: the scenario language -------------------------------- */

enum { CMD_MAXARGS = 16 };

struct cmd {
	int line;
	int argc;
	char *argv[CMD_MAXARGS];   /* argv[0] is the command */
};

struct script {
	struct cmd *cmds;
	size_t n;
	char *name;                /* file name or "-e" */
};

int  script_parse(struct script **sp, const char *text, const char *name);
const char *cmd_opt(const struct cmd *c, const char *key);
const char *cmd_pos(const struct cmd *c, int i);
int  cmd_npos(const struct cmd *c);
bool cmd_flag(const struct cmd *c, const char *key);
int  cmd_num(const struct cmd *c, const char *key, double *vp);
int  cmd_int(const struct cmd *c, const char *key, int *vp);

/* ---- log.c: timestamped log lines and Q.931 names ------------------- */

void sim_log(const struct pbxsim *p, const char *fmt, ...);
int  sim_ton_parse(int *tonp, const char *s);
int  sim_npi_parse(int *npip, const char *s);
int  sim_pres_parse(int *presp, const char *s);
const char *sim_ton_name(int plan);
const char *sim_npi_name(int plan);
const char *sim_pres_name(int pres);

/* ---- tone.c: pure DSP: measure a tone's frequency and level ---------- */

enum {
	TONE_RATE = 8000,
};

struct tone_meter {
	double thresh_dbm0;        /* onset above this level */
	unsigned skip;             /* samples skipped after onset */
	unsigned want;             /* samples to measure */
	unsigned skipped, count;
	double sumsq;
	double first_x, last_x;    /* first and last rising zero crossing */
	unsigned crossings;
	int16_t prev;
	bool started, done, ended_early;
	uint64_t pos;              /* samples seen since init */
};

void   tone_meter_init(struct tone_meter *m, double dur_s,
		       double thresh_dbm0);
void   tone_meter_feed(struct tone_meter *m, const int16_t *s, size_t n);
double tone_meter_freq(const struct tone_meter *m);
double tone_meter_level(const struct tone_meter *m);
double tone_dbm0(double rms);
double tone_block_dbm0(const int16_t *s, size_t n);

/* ---- audio.c: the B-channel: play queue, tone meter, DTMF receiver --- */

struct audio;

int  audio_alloc(struct audio **ap, struct pbxsim *p, int channo);
int  audio_play_tone(struct audio *a, double freq, double level,
		     double dur_s);
int  audio_play_dtmf(struct audio *a, const char *digits, double level,
		     int on_ms, int off_ms);
int  audio_play_silence(struct audio *a, double dur_s);
bool audio_playing(const struct audio *a);
void audio_measure_start(struct audio *a, double dur_s);
const struct tone_meter *audio_meter(const struct audio *a);
const char *audio_digits(const struct audio *a);
void audio_digits_consume(struct audio *a, size_t n);

/* ---- call.c: libpri events and call control -------------------------- */

enum sim_ev {
	EV_SETUP, EV_SETUP_ACK, EV_PROCEEDING, EV_ALERTING, EV_PROGRESS,
	EV_CONNECT, EV_CONNECT_ACK, EV_INFO, EV_DISCONNECT, EV_RELEASE,
	EV_CLEARED, EV_RESTART, EV_RESTART_ACK, EV_DCHAN_UP, EV_DCHAN_DOWN,
	EV_ALARM, EV_NOALARM, EV_BADFCS, EV_OTHER,
};

/* What one event said, copied out of libpri's pri_event */
struct sim_event {
	struct le le;
	enum sim_ev type;
	int cause;
	int chan;                  /* timeslot, -1 if none */
	int progress;              /* progress indicator value, -1 if none */
	int complete;
	int calledplan, callingplan, callingpres;
	char called[64], calling[64];
};

struct call {
	q931_call *c;
	bool incoming;
	bool answered;
	bool hungup;               /* we sent DISCONNECT */
	int chan;                  /* B-channel timeslot */
	char called[64];           /* including overlap digits */
	struct audio *audio;
};

const char *sim_ev_name(enum sim_ev ev);
int  sim_ev_parse(enum sim_ev *evp, const char *name);
void call_event(const pri_event *ev, void *arg);
void call_chan_open(struct pbxsim *p, struct call *call, int chan);
void call_destructor(void *data);
void call_cleared(struct pbxsim *p);
void call_dahdi_event(int event, void *arg);
int  call_place(struct pbxsim *p, const struct cmd *c);
int  call_respond(struct pbxsim *p, const struct cmd *c);
int  call_hangup(struct pbxsim *p, int cause);
int  call_info(struct pbxsim *p, const char *digits);
int  call_restart(struct pbxsim *p, int chan);

/* ---- expect.c: match queued events against an expectation ----------- */

int  expect_event_check(const struct cmd *c);
bool expect_event_match(struct pbxsim *p, const struct cmd *c, char *why,
			size_t whysz, bool *failp);

/* ---- run.c: the interpreter ----------------------------------------- */

struct pbxsim {
	char name[32];             /* "span1", used in every log line */
	struct prilink *link;
	struct script *script;
	size_t pc;                 /* next command */
	const struct cmd *waiting; /* the command being waited for */
	uint64_t wait_until;       /* tmr_jiffies() deadline, 0 = none */
	uint64_t t0;
	struct tmr tmr_run;        /* kicks the interpreter from the loop */
	struct tmr tmr_wait;       /* the current command's deadline */
	struct list events;        /* struct sim_event, oldest first */
	struct call *call;         /* one call at a time */
	bool cleared;              /* the last event cleared the call */
	bool up;                   /* D-channel up */
	uint64_t up_since;
	double settle;             /* seconds to wait after DCHAN_UP */
	int exit_code;             /* -1 while running */
	int nfail;
};

void run_kick(struct pbxsim *p);
int  run_start(struct pbxsim *p);
int  run_check(const struct script *s);
void run_fail(struct pbxsim *p, const struct cmd *c, const char *fmt, ...);

#endif
