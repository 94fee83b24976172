/*
 * sipsend: send one file, byte for byte, to a SIP server over UDP or TCP and
 * print the first final status line that comes back, or "none".
 *
 *   sipsend udp|tcp <ipv4 address> <port> <file> <timeout ms>
 *
 * The socket is bound (to an ephemeral port of the source address the kernel
 * picks) before sending, so an answer sent back to the packet's source (rport,
 * RFC 3581) reaches it; over TCP the answer comes on the same connection.
 * Provisional responses (1xx) are skipped; the wait for a final one ends at
 * the timeout, counted from the moment the file was sent.  Used by the
 * torture cases (tests/integration/t_torture.sh), where bash's /dev/udp
 * cannot receive.
 *
 * Exit status: 0 when it printed a status line or "none", 2 on a usage or
 * system error (message on stderr).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_FILE (256 * 1024)
#define MAX_RECV (256 * 1024)

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* A status line at buf[0..len): "SIP/2.0 " 3DIGIT SP ... CRLF|LF.  Returns
 * the status code, 0 when the bytes do not start with one. */
static int status_code(const char *buf, size_t len)
{
	if (len < 12 || memcmp(buf, "SIP/2.0 ", 8) != 0)
		return 0;
	if (buf[8] < '1' || buf[8] > '6' || buf[9] < '0' || buf[9] > '9'
			|| buf[10] < '0' || buf[10] > '9' || buf[11] != ' ')
		return 0;
	return (buf[8] - '0') * 100 + (buf[9] - '0') * 10 + (buf[10] - '0');
}

/* Prints the status line starting at buf (without its line end). */
static void print_line(const char *buf, size_t len)
{
	size_t n = 0;

	while (n < len && buf[n] != '\r' && buf[n] != '\n')
		n++;
	fwrite(buf, 1, n, stdout);
	fputc('\n', stdout);
}

/* Scans a TCP stream received so far for a final status line at the start
 * of a line.  Returns its offset, -1 when none yet. */
static long find_final(const char *buf, size_t len)
{
	size_t i;
	int code;

	for (i = 0; i < len; i++) {
		if (i > 0 && buf[i - 1] != '\n')
			continue;
		code = status_code(buf + i, len - i);
		if (code >= 200 && memchr(buf + i, '\n', len - i) != NULL)
			return (long)i;
	}
	return -1;
}

int main(int argc, char **argv)
{
	struct sockaddr_in dst;
	struct stat st;
	struct pollfd pfd;
	char *msg = NULL, *rbuf = NULL;
	size_t msg_len, got = 0;
	long deadline, left, off;
	int tcp, fd = -1, port, timeout, ret = 2, code;
	ssize_t n;
	FILE *f;

	if (argc != 6 || (strcmp(argv[1], "udp") && strcmp(argv[1], "tcp"))) {
		fprintf(stderr, "usage: sipsend udp|tcp <ipv4> <port> <file> "
				"<timeout ms>\n");
		return 2;
	}
	tcp = strcmp(argv[1], "tcp") == 0;
	port = atoi(argv[3]);
	timeout = atoi(argv[5]);
	memset(&dst, 0, sizeof(dst));
	dst.sin_family = AF_INET;
	dst.sin_port = htons((unsigned short)port);
	if (port <= 0 || port > 65535 || timeout <= 0
			|| inet_pton(AF_INET, argv[2], &dst.sin_addr) != 1) {
		fprintf(stderr, "sipsend: bad address, port or timeout\n");
		return 2;
	}

	f = fopen(argv[4], "rb");
	if (f == NULL || fstat(fileno(f), &st) < 0 || st.st_size > MAX_FILE) {
		fprintf(stderr, "sipsend: cannot read %s (or over %d bytes)\n",
				argv[4], MAX_FILE);
		goto done;
	}
	msg_len = (size_t)st.st_size;
	msg = malloc(msg_len + 1);
	rbuf = malloc(MAX_RECV + 1);
	if (msg == NULL || rbuf == NULL
			|| fread(msg, 1, msg_len, f) != msg_len) {
		fprintf(stderr, "sipsend: cannot read %s\n", argv[4]);
		goto done;
	}

	fd = socket(AF_INET, tcp ? SOCK_STREAM : SOCK_DGRAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&dst, sizeof(dst)) < 0) {
		/* A refused TCP connection is an answer too: nobody listens. */
		if (tcp && errno == ECONNREFUSED) {
			printf("none\n");
			ret = 0;
		} else {
			perror("sipsend: socket/connect");
		}
		goto done;
	}
	for (off = 0; (size_t)off < msg_len; off += n) {
		n = send(fd, msg + off, msg_len - (size_t)off, MSG_NOSIGNAL);
		if (n < 0) {
			/* The peer closed the connection or refused the datagram:
			 * nothing will be answered. */
			printf("none\n");
			ret = 0;
			goto done;
		}
	}

	deadline = now_ms() + timeout;
	for (;;) {
		left = deadline - now_ms();
		if (left <= 0)
			break;
		pfd.fd = fd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, (int)left) <= 0)
			break;
		n = recv(fd, rbuf + (tcp ? got : 0), MAX_RECV - (tcp ? got : 0), 0);
		if (n <= 0)
			break; /* closed, or ICMP port unreachable (UDP) */
		if (!tcp) {
			code = status_code(rbuf, (size_t)n);
			if (code >= 200) {
				print_line(rbuf, (size_t)n);
				ret = 0;
				goto done;
			}
			continue;
		}
		got += (size_t)n;
		off = find_final(rbuf, got);
		if (off >= 0) {
			print_line(rbuf + off, got - (size_t)off);
			ret = 0;
			goto done;
		}
		if (got == MAX_RECV)
			break;
	}
	printf("none\n");
	ret = 0;

done:
	if (fd >= 0)
		close(fd);
	if (f != NULL)
		fclose(f);
	free(msg);
	free(rbuf);
	return ret;
}
