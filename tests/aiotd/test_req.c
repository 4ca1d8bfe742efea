// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Host test of aiotd's request bodies (aiotd/req.c) and config
 * (conf.c) under ASan+UBSan: valid requests and their mapping onto device
 * IDs and application payloads, every refusal with the attribute it names,
 * base64 edge cases, reports and notifications as TS 29.569 shapes them.
 *   test_req DIR   (DIR: tests/aiotd, for the config files)
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include "../lib/tap.h"
#include "../../aiotd/aiotd.h"
#include "../../aiotd/conf.h"
#include "../../aiotd/dest.h"
#include "../../aiotd/req.h"
#include "../../aiotd/h2/uri.h"

static const struct req_limits lim = { .max_devices = 4 };

#define INV_HEAD "{\"afId\":\"af\",\"notifUri\":\"http://127.0.0.1:1/cb\","

static int parse(enum op_kind k, const char *body, struct op_req *r,
		 struct problem *p)
{
	return req_parse(k, body, strlen(body), &lim, r, p);
}

/* @body must be refused with 400 naming @param (NULL: none). */
static void refused(enum op_kind k, const char *body, const char *param,
		    const char *what)
{
	struct op_req r;
	struct problem p;
	char *js;
	int ret = parse(k, body, &r, &p);

	js = ret ? problem_json(&p) : NULL;
	if (!tap_ok(ret && p.status == 400 &&
		    (param ? p.ninv && !strcmp(p.inv[0].param, param) : !p.ninv) &&
		    js && strstr(js, "\"title\"") && strstr(js, "\"detail\""),
		    "refused: %s", what))
		tap_diag("got %d: %s", ret, js ? js : "(accepted)");
	if (!ret)
		op_req_free(&r);
	free(js);
}

static void test_valid(void)
{
	static const uint8_t id3[16] = { [13] = 1, 2, 3 };
	struct op_req r;
	struct problem p;
	int ret;

	ret = parse(OP_INV, INV_HEAD "\"targetDevices\":{\"devices\":[\"AQID\",\"4oARYGAAAgQAAKGy\"]},\"timeInterval\":2,\"unknownAttr\":1}",
		    &r, &p);
	tap_ok(!ret && r.ndev == 2 && !memcmp(r.ids[0], id3, 16) &&
	       r.ids[1][4] == 0xe2 && r.ids[1][15] == 0xb2 && !r.ids[1][3] &&
	       r.timeout_ms == 2000 && !strcmp(r.dev_str[1], "4oARYGAAAgQAAKGy"),
	       "inventory: IDs left-padded to 16 bytes, timeInterval, unknown attributes ignored");
	if (!ret)
		op_req_free(&r);
	ret = parse(OP_CMD, INV_HEAD "\"commandType\":\"READ\",\"offset\":8,\"length\":2,\"targetDevices\":{\"devices\":[\"AQ==\"]}}",
		    &r, &p);
	tap_ok(!ret && r.cmd == CT_READ && r.plen == 4 &&
	       !memcmp(r.payload, "\xad\x01\x08\x02", 4) && r.read_len == 2,
	       "READ offset 8 length 2 -> ad 01 08 02");
	if (!ret)
		op_req_free(&r);
	ret = parse(OP_CMD, INV_HEAD "\"commandType\":\"WRITE\",\"offset\":8,\"data\":\"aGk=\",\"targetDevices\":{\"devices\":[\"AQ==\"]}}",
		    &r, &p);
	tap_ok(!ret && r.cmd == CT_WRITE && r.plen == 5 &&
	       !memcmp(r.payload, "\xad\x02\x08hi", 5),
	       "WRITE offset 8 data 'hi' -> ad 02 08 68 69");
	if (!ret)
		op_req_free(&r);
	ret = parse(OP_CMD, INV_HEAD "\"commandType\":\"PERMANENT_DISABLE\",\"targetDevices\":{\"devices\":[\"AQ==\"]}}",
		    &r, &p);
	tap_ok(!ret && r.cmd == CT_DISABLE && r.plen == 2 &&
	       !memcmp(r.payload, "\xad\x03", 2), "PERMANENT_DISABLE -> ad 03");
	if (!ret)
		op_req_free(&r);
}

static void test_refused(void)
{
	struct op_req r;
	struct problem p;
	char *js;

	refused(OP_INV, "{\"afId\":", NULL, "not JSON");
	refused(OP_INV, "[1]", NULL, "not an object");
	refused(OP_INV, "{\"notifUri\":\"http://h/\",\"targetDevices\":{\"devices\":[\"AQ==\"]}}",
		"/afId", "afId missing");
	refused(OP_INV, "{\"afId\":\"a\",\"targetDevices\":{\"devices\":[\"AQ==\"]}}",
		"/notifUri", "notifUri missing");
	refused(OP_INV, "{\"afId\":\"a\",\"notifUri\":\"ftp://h/\",\"targetDevices\":{\"devices\":[\"AQ==\"]}}",
		"/notifUri", "notifUri not http(s)");
#define URI_BODY(u) "{\"afId\":\"a\",\"notifUri\":\"" u "\",\"targetDevices\":{\"devices\":[\"AQ==\"]}}"
	refused(OP_INV, URI_BODY("http://user:pw@h/cb"), "/notifUri",
		"notifUri with user information (credentials)");
	refused(OP_INV, URI_BODY("http://[fe80::1%25eth0]:80/cb"), "/notifUri",
		"notifUri with an IPv6 zone ID");
	refused(OP_INV, URI_BODY("http://h:0/cb"), "/notifUri", "notifUri port 0");
	refused(OP_INV, URI_BODY("http://h:65536/cb"), "/notifUri", "notifUri port 65536");
	refused(OP_INV, INV_HEAD "\"targetArea\":{\"areaIds\":[\"a\"]}}",
		"/targetArea/areaIds/0", "targetArea: an entry not an AiotAreaId (test_area: the rest)");
	refused(OP_CMD, INV_HEAD "\"commandType\":\"READ\",\"length\":1,\"targetDevices\":{\"filteringInfo\":\"AQ==\"}}",
		"/targetDevices/filteringInfo", "request-cmd: filteringInfo");
	refused(OP_INV, INV_HEAD "\"foo\":1}", "/targetDevices", "no target");
	refused(OP_INV, INV_HEAD "\"targetDevices\":{\"devices\":[]}}",
		"/targetDevices/devices", "empty device list");
	refused(OP_INV, INV_HEAD "\"targetDevices\":{\"devices\":[\"AQ==\",\"AQ=\"]}}",
		"/targetDevices/devices/1", "bad base64 names its index");
	refused(OP_INV, INV_HEAD "\"targetDevices\":{\"devices\":[\"AAECAwQFBgcICQoLDA0ODxA=\"]}}",
		"/targetDevices/devices/0", "17-byte ID");
	refused(OP_INV, INV_HEAD "\"targetDevices\":{\"devices\":[\"AQ==\",\"AAE=\"]}}",
		"/targetDevices/devices/1", "duplicate (after padding)");
	refused(OP_INV, INV_HEAD "\"targetDevices\":{\"devices\":[\"AQ==\",\"Ag==\",\"Aw==\",\"BA==\",\"BQ==\"]}}",
		"/targetDevices/devices", "over max_devices");
	refused(OP_INV, INV_HEAD "\"devLocReqInd\":true,\"targetDevices\":{\"devices\":[\"AQ==\"]}}",
		"/devLocReqInd", "devLocReqInd");
	refused(OP_INV, INV_HEAD "\"timeInterval\":-1,\"targetDevices\":{\"devices\":[\"AQ==\"]}}",
		"/timeInterval", "negative timeInterval");
	refused(OP_INV, INV_HEAD "\"timeInterval\":1.5,\"targetDevices\":{\"devices\":[\"AQ==\"]}}",
		"/timeInterval", "fractional timeInterval");
	refused(OP_INV, "{\"afId\":\"a\",\"afId\":\"b\"}", NULL, "duplicate key");
	refused(OP_CMD, INV_HEAD "\"targetDevices\":{\"devices\":[\"AQ==\"]}}",
		"/commandType", "commandType missing");
	refused(OP_CMD, INV_HEAD "\"commandType\":\"ERASE\",\"targetDevices\":{\"devices\":[\"AQ==\"]}}",
		"/commandType", "unknown commandType");
	refused(OP_CMD, INV_HEAD "\"commandType\":\"READ\",\"targetDevices\":{\"devices\":[\"AQ==\"]}}",
		"/length", "READ without length");
	refused(OP_CMD, INV_HEAD "\"commandType\":\"READ\",\"length\":256,\"targetDevices\":{\"devices\":[\"AQ==\"]}}",
		"/length", "READ length over 255");
	refused(OP_CMD, INV_HEAD "\"commandType\":\"WRITE\",\"targetDevices\":{\"devices\":[\"AQ==\"]}}",
		"/data", "WRITE without data");
	refused(OP_CMD, INV_HEAD "\"commandType\":\"WRITE\",\"data\":\"aGk=\",\"length\":3,\"targetDevices\":{\"devices\":[\"AQ==\"]}}",
		"/length", "WRITE length not data's");
	refused(OP_CMD, INV_HEAD "\"commandType\":\"PERMANENT_DISABLE\",\"offset\":1,\"targetDevices\":{\"devices\":[\"AQ==\"]}}",
		"/offset", "DISABLE with offset");

	/* several errors at once: all named */
	if (parse(OP_INV, "{\"targetDevices\":{\"devices\":[\"AQ==\"]}}", &r, &p) == 0)
		op_req_free(&r);
	js = problem_json(&p);
	tap_ok(p.ninv == 2 && js && strstr(js, "\"param\":\"/afId\"") &&
	       strstr(js, "\"param\":\"/notifUri\"") &&
	       strstr(js, "\"status\":400") && strstr(js, "\"invalidParams\""),
	       "two attributes missing: both in invalidParams");
	free(js);
}

static void test_b64(void)
{
	uint8_t b[8];
	char s[16];

	tap_ok(b64_decode("aGk=", 4, b, 8) == 2 && b64_decode("aGk", 3, b, 8) < 0 &&
	       b64_decode("aG=k", 4, b, 8) < 0 && b64_decode("aGl=", 4, b, 8) < 0 &&
	       b64_decode("a-k=", 4, b, 8) < 0 && b64_decode("", 0, b, 8) == 0 &&
	       b64_decode("AAAAAAAAAAAA", 12, b, 8) < 0,
	       "base64: padding, non-zero trailing bits, alphabet, room");
	b64_encode((const uint8_t *)"\xad\x81\x00", 3, s);
	tap_ok(!strcmp(s, "rYEA"), "base64 encode");
}

static void test_results(void)
{
	const uint8_t *d;
	size_t dl;
	json_t *a = json_array();
	char *s;

	tap_ok(command_result(CT_READ, (const uint8_t *)"\xad\x81\x00hi", 5, &d, &dl) == DR_OK &&
	       dl == 2 && !memcmp(d, "hi", 2), "read reply: the bytes");
	tap_ok(command_result(CT_READ, (const uint8_t *)"\xad\x81\x01", 3, &d, &dl) == DR_PARAMS &&
	       command_result(CT_WRITE, (const uint8_t *)"\xad\x82\x01", 3, &d, &dl) == DR_PARAMS,
	       "status 01: COMMAND_TYPE_SPECIFIC_PARAMETERS_INVALID");
	tap_ok(command_result(CT_WRITE, (const uint8_t *)"\x69\x68\x08\x02\xad", 5, &d, &dl) == DR_NOTIMPL &&
	       command_result(CT_DISABLE, (const uint8_t *)"\xad\x83\x00", 3, &d, &dl) == DR_OK &&
	       command_result(CT_READ, (const uint8_t *)"\xad\x82\x00", 3, &d, &dl) == DR_NOTIMPL,
	       "other answers: MESSAGE_TYPE_NON_EXISTENT_OR_NOT_IMPLEMENTED");
	json_array_append_new(a, rep_entry("AQ==", DR_OK, (const uint8_t *)"hi", 2, true));
	json_array_append_new(a, rep_entry("Ag==", DR_TIMEOUT, NULL, 0, true));
	s = notif_json("t1", a, true, NULL);
	tap_ok(s && !strcmp(s, "{\"transId\":\"t1\",\"devicesRepData\":[{\"deviceId\":\"AQ==\",\"readCmdRep\":\"aGk=\"},{\"deviceId\":\"Ag==\",\"failCause\":\"ERROR_UNSPECIFIED\"}],\"lastRepInd\":true}"),
	       "AIoTNotif with reports and lastRepInd");
	free(s);
	json_decref(a);
	s = notif_json("t1", NULL, true, op_fail_cause(0, 1));
	tap_ok(s && !strcmp(s, "{\"transId\":\"t1\",\"lastRepInd\":true,\"failCause\":\"AUTH_FAILURE\"}") &&
	       !op_fail_cause(1, 3) && !strcmp(op_fail_cause(0, 0), "NO_SUCC_INV_RESP"),
	       "operation failCause: AUTH_FAILURE, NO_SUCC_INV_RESP, none after a success");
	free(s);
}

static void test_conf(const char *dir)
{
	struct aiotd_conf c;
	char path[4096];
	int ret;

	snprintf(path, sizeof(path), "%s/conf-ok", dir);
	ret = conf_load(&c, path, true);
	tap_ok(!ret && c.port == 9000 && !strcmp(c.listen, "::1") &&
	       c.max_body == 4096 && !c.state_file && c.report_batch == 7 &&
	       c.metrics_listen && !strcmp(c.metrics_listen, "[::1]:9100"),
	       "config: values, 'none'");
	conf_free(&c);
	snprintf(path, sizeof(path), "%s/conf-bad", dir);
	ret = conf_load(&c, path, true);
	tap_ok(ret == -1, "config: unknown key, range, unpaired tls_cert refused");
	conf_free(&c);
	snprintf(path, sizeof(path), "%s/../../aiotd/aiotd.conf.example", dir);
	ret = conf_load(&c, path, true);
	tap_ok(!ret && c.port == 8089 && c.max_inflight == 256 && c.cb_retries == 60,
	       "config: the example file is valid and gives the defaults");
	conf_free(&c);
	snprintf(path, sizeof(path), "%s/conf-bad-limits", dir);
	ret = conf_load(&c, path, true);
	tap_ok(ret == -1, "config: a body budget below max_body, a bad notif_allow refused");
	conf_free(&c);
	ret = conf_load(&c, "/nonexistent/aiotd.conf", false);
	tap_ok(!ret && c.port == 8089 && !strcmp(c.listen, "127.0.0.1") &&
	       c.metrics_listen && !strcmp(c.metrics_listen, "127.0.0.1:9089"),
	       "config: a missing default file means the defaults");
	conf_free(&c);
	/* the device table is aiotsec.service's: aiotd takes no key store */
	snprintf(path, sizeof(path), "%s/conf-keystore", dir);
	ret = conf_load(&c, path, true);
	tap_ok(ret == -1, "config: keystore refused (aiotsec.service owns the device table)");
	conf_free(&c);
}

/* notifUri's parts as the callback client uses them (uri.c) */
static void test_uri(void)
{
	struct uri u;
	const char *why;

	tap_ok(!uri_parse("https://[2001:db8::1]/n/cb?x=1", &u, &why) && u.tls &&
	       !strcmp(u.host, "2001:db8::1") && !strcmp(u.port, "443") &&
	       !strcmp(u.authority, "[2001:db8::1]") && !strcmp(u.path, "/n/cb?x=1"),
	       "uri: IPv6 literal (no brackets to connect, kept in :authority), default port, query");
	tap_ok(!uri_parse("http://af.example:8080", &u, &why) && !u.tls &&
	       !strcmp(u.host, "af.example") && !strcmp(u.port, "8080") &&
	       !strcmp(u.authority, "af.example:8080") && !strcmp(u.path, "/"),
	       "uri: explicit port, empty path is /");
	tap_ok(uri_parse("http://a@h/", &u, &why) && strstr(why, "credentials"),
	       "uri: user information refused, the reason says why (%s)", why);
}

/* notifUri's destination policy (dest.c): at request time, and at connect time */
static void test_dest(void)
{
	static const char *const internal[] = {
		"http://169.254.169.254/cb", "http://[fe80::1]/cb", "http://0.0.0.0/cb",
		"http://0.1.2.3/cb", "http://224.0.0.1/cb", "http://[ff02::1]/cb",
		"http://255.255.255.255/cb", "http://240.0.0.1/cb", "http://[::]/cb",
		"http://[::ffff:169.254.1.1]/cb",
	};
	static const char *const ordinary[] = {
		"http://127.0.0.1:9/cb", "http://[::1]/cb", "http://10.1.2.3/cb",
		"http://192.0.2.7/cb", "http://af.example/cb", "https://[2001:db8::1]/cb",
	};
	struct sockaddr_in a4 = { .sin_family = AF_INET };
	struct op_req r;
	struct problem p;
	struct uri u;
	const char *why;
	char err[256], body[256], *js;
	size_t i, bad = 0;

	tap_ok(!dest_set(NULL, err, sizeof(err)), "policy: none");
	for (i = 0; i < sizeof(internal) / sizeof(internal[0]); i++)
		if (!uri_parse(internal[i], &u, &why) || !strstr(why, "notif_allow")) {
			tap_diag("%s: accepted", internal[i]);
			bad++;
		}
	tap_ok(!bad, "policy: link-local, unspecified, multicast, broadcast and reserved refused by default");
	for (i = bad = 0; i < sizeof(ordinary) / sizeof(ordinary[0]); i++)
		if (uri_parse(ordinary[i], &u, &why)) {
			tap_diag("%s: %s", ordinary[i], why);
			bad++;
		}
	tap_ok(!bad, "policy: loopback, private, public addresses and names allowed by default");
	snprintf(body, sizeof(body), "{\"afId\":\"a\",\"notifUri\":\"%s\",\"targetDevices\":{\"devices\":[\"AQ==\"]}}",
		 internal[0]);
	if (parse(OP_INV, body, &r, &p) == 0)
		op_req_free(&r);
	js = problem_json(&p);
	tap_ok(p.status == 400 && js && strstr(js, "\"param\":\"/notifUri\"") &&
	       strstr(js, "link-local"),
	       "policy: a metadata-service notifUri is 400 naming /notifUri: %s", js ? js : "");
	free(js);

	tap_ok(!dest_set("10.0.0.0/8, af.example *.corp.example 169.254.10.0/24 2001:db8::/32",
			 err, sizeof(err)), "policy: notif_allow with networks, a host, a domain");
	tap_ok(!uri_parse("http://10.9.8.7/cb", &u, &why) &&
	       !uri_parse("http://169.254.10.1/cb", &u, &why) &&
	       !uri_parse("http://[2001:db8::5]/cb", &u, &why) &&
	       uri_parse("http://169.254.11.1/cb", &u, &why) &&
	       uri_parse("http://127.0.0.1/cb", &u, &why) &&
	       uri_parse("http://11.0.0.1/cb", &u, &why),
	       "policy: only listed networks (a link-local one only when listed)");
	inet_pton(AF_INET, "127.0.0.1", &a4.sin_addr);
	tap_ok(dest_addr((struct sockaddr *)&a4, "af.example") == NULL &&
	       dest_addr((struct sockaddr *)&a4, "other.example") != NULL &&
	       dest_addr((struct sockaddr *)&a4, "x.corp.example") == NULL,
	       "policy at connect: a listed name may resolve anywhere allowed, another name only into the networks");
	inet_pton(AF_INET, "169.254.169.254", &a4.sin_addr);
	tap_ok(dest_addr((struct sockaddr *)&a4, "af.example") != NULL,
	       "policy at connect: a listed name resolving to link-local refused");
	tap_ok(!dest_set("af.example", err, sizeof(err)) &&
	       !uri_parse("http://AF.example/cb", &u, &why) &&
	       uri_parse("http://other.example/cb", &u, &why) && strstr(why, "notif_allow"),
	       "policy: names only: another name refused at request time");
	tap_ok(dest_set("10.0.0.0/33", err, sizeof(err)) && strstr(err, "10.0.0.0/33") &&
	       dest_set("a_b", err, sizeof(err)) && dest_set("10.0.0.0/", err, sizeof(err)),
	       "policy: a bad entry refused, named (%s)", err);
	dest_set(NULL, err, sizeof(err));
}

/*
 * The journal's priorities: "<N>" before a line only when stderr is the
 * journal (JOURNAL_STREAM), plain lines on a terminal or in a file.
 */
static void test_log(void)
{
	FILE *f = tmpfile();
	char buf[256] = "";
	int saved;
	size_t n;

	if (!tap_ok(f != NULL, "log: a temporary file"))
		return;
	fflush(stderr);
	saved = dup(2);
	dup2(fileno(f), 2);
	setenv("JOURNAL_STREAM", "8:12345", 1);
	logp(LOG_ERR, "sync failed: %d", 7);
	logm("connected");
	unsetenv("JOURNAL_STREAM");
	logp(LOG_WARNING, "on a terminal");
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = 0;
	fclose(f);
	tap_ok(!strcmp(buf, "<3>aiotd: sync failed: 7\n<6>aiotd: connected\n"
			    "aiotd: on a terminal\n"),
	       "log: journal priorities only for the journal ('%s')", buf);
}

int main(int argc, char **argv)
{
	test_log();
	test_valid();
	test_uri();
	test_refused();
	test_b64();
	test_results();
	test_conf(argc > 1 ? argv[1] : "tests/aiotd");
	test_dest();
	return tap_done();
}
