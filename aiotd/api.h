/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * aiotd's HTTP API: {apiRoot}/naiotf-aiot/v1/request-inv and request-cmd
 * (TS 29.569) and /metrics; every error a ProblemDetails.
 */
#ifndef _AIOTD_API_H
#define _AIOTD_API_H

#include "h2srv.h"

/* The HTTP/2 server's handler of every request. */
void api_handler(const struct h2_req *req, struct h2_resp *resp, void *arg);

#endif /* _AIOTD_API_H */
