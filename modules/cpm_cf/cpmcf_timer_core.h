/*
 * cpm_cf: session timer (RFC 4028) and in-dialog failures (RFC 5057), pure
 * code, for issue 7 item 7: "a participant who stops answering (no ACK,
 * failed in-dialog request, session timer) is removed".
 *
 * Header values (RFC 4028 4, the ABNF):
 *
 *   Session-Expires  = ("Session-Expires" / "x") HCOLON delta-seconds
 *                      *(SEMI se-params)
 *   se-params        = refresher-param / generic-param
 *   refresher-param  = "refresher" EQUAL ("uas" / "uac")
 *   Min-SE           = "Min-SE" HCOLON delta-seconds *(SEMI generic-param)
 *   delta-seconds    = 1*DIGIT                          (RFC 3261 25.1)
 *   generic-param    = token [ EQUAL gen-value ]        (RFC 3261 25.1)
 *
 * The parsers take the header's value (after HCOLON), keep the delta and
 * the refresher and skip other parameters; the printers write the value
 * (no generic parameter).
 */
#ifndef CPMCF_TIMER_CORE_H
#define CPMCF_TIMER_CORE_H

/* delta-seconds above this are refused (no session lasts 31 years
 * between refreshes; keeps the arithmetic in unsigned int) */
#define CPMCF_SE_MAX 1000000000u
/* RFC 4028 4: the smallest Min-SE anyone may ask for */
#define CPMCF_MIN_SE_FLOOR 90

typedef enum cpmcf_refresher {
	CPMCF_RF_NONE = 0, /* not given */
	CPMCF_RF_UAC,
	CPMCF_RF_UAS
} cpmcf_refresher_t;

typedef struct cpmcf_se {
	unsigned int delta;
	cpmcf_refresher_t refresher;
} cpmcf_se_t;

/* 0, -EINVAL */
int cpmcf_se_parse(const char *s, int len, cpmcf_se_t *se);
/* "<delta>[;refresher=uac|uas]": length, -ENOSPC */
int cpmcf_se_print(const cpmcf_se_t *se, char *buf, int size);
/* Min-SE: 0, -EINVAL */
int cpmcf_minse_parse(const char *s, int len, unsigned int *v);

/* what a participant's INVITE / UPDATE asked for (RFC 4028 9) */
typedef struct cpmcf_st_req {
	int has_se;
	cpmcf_se_t se;
	int has_minse;
	unsigned int minse;
	int supported; /* Supported: timer */
} cpmcf_st_req_t;

/* what the focus answers, as UAS */
typedef struct cpmcf_st_ans {
	unsigned int delta;	  /* Session-Expires of the 2xx */
	cpmcf_refresher_t refresher; /* its refresher (UAC: the participant) */
	int require;		  /* Require: timer in the 2xx (RFC 4028 9) */
} cpmcf_st_ans_t;

/* RFC 4028 9, the focus as UAS with its own interval `local_se` and
 * `local_min` (its Min-SE): a Session-Expires below local_min is refused
 * (-ERANGE: 422 with Min-SE: local_min); otherwise the interval is the
 * smaller of the request's and local_se, never below the request's Min-SE
 * nor local_min; the refresher is the request's, else the participant
 * when it supports the timer, else the focus (a UAC without timer support
 * cannot be asked to refresh).  0, -ERANGE */
int cpmcf_st_uas(const cpmcf_st_req_t *rq, unsigned int local_se,
		unsigned int local_min, cpmcf_st_ans_t *out);

/* RFC 4028 10: the side that does not refresh ends the session (BYE) when
 * no refresh came by expiry minus the smaller of 32 s and a third of the
 * interval; the refresher refreshes at half the interval.  Seconds after
 * the last refresh */
unsigned int cpmcf_st_deadline(unsigned int delta);
unsigned int cpmcf_st_refresh_at(unsigned int delta);

/* RFC 5057 5.1: whether a final answer `code` (408 for a transaction that
 * timed out) to a request the focus sent in a participant's dialog means
 * the participant is gone: 481 (the dialog is gone), 404, 410, 416, 480,
 * 482..485 (usage terminated), and 408 / a timeout (the participant does
 * not answer any more, issue 7 item 7); 489 only outside a NOTIFY (for a
 * NOTIFY it ends the REFER's subscription, not the participant's session).
 * 2xx and the transaction-only failures (400, 403, 405, 491, 5xx, ...): 0 */
int cpmcf_usage_gone(int code, int is_notify);

#endif
