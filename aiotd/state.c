// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The state file of accepted operations (state.h). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "state.h"

static FILE *sf;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

void state_ops_free(struct state_op *ops, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(ops[i].trans_id);
		free(ops[i].uri);
	}
	free(ops);
}

int state_open(const char *path, struct state_op **ops, size_t *n)
{
	char line[4096], tmp[4096], *t, *u;
	struct state_op *v = NULL, *nv;
	size_t cnt = 0, cap = 0, i;
	FILE *f;

	*ops = NULL;
	*n = 0;
	if (!path)
		return 0;
	f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = 0;
		t = strtok(line + 1, " ");
		if (!t)
			continue;
		if (line[0] == 'A' && (u = strtok(NULL, " "))) {
			if (cnt == cap) {
				cap = cap ? cap * 2 : 16;
				nv = realloc(v, cap * sizeof(*v));
				if (!nv)
					break;
				v = nv;
			}
			v[cnt].trans_id = strdup(t);
			v[cnt].uri = strdup(u);
			if (!v[cnt].trans_id || !v[cnt].uri) {
				free(v[cnt].trans_id);
				free(v[cnt].uri);
				break;
			}
			cnt++;
		} else if (line[0] == 'D') {
			for (i = 0; i < cnt; i++) {
				if (!strcmp(v[i].trans_id, t)) {
					free(v[i].trans_id);
					free(v[i].uri);
					v[i] = v[--cnt];
					break;
				}
			}
		}
	}
	if (f)
		fclose(f);
	/* rewrite: only what is still unfinished */
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f) {
		perror(tmp);
		state_ops_free(v, cnt);
		return -1;
	}
	for (i = 0; i < cnt; i++)
		fprintf(f, "A %s %s\n", v[i].trans_id, v[i].uri);
	if (fclose(f) || rename(tmp, path)) {
		perror(path);
		state_ops_free(v, cnt);
		return -1;
	}
	sf = fopen(path, "a");
	if (!sf) {
		perror(path);
		state_ops_free(v, cnt);
		return -1;
	}
	*ops = v;
	*n = cnt;
	return 0;
}

void state_add(const char *trans_id, const char *uri)
{
	pthread_mutex_lock(&lock);
	if (sf) {
		fprintf(sf, "A %s %s\n", trans_id, uri);
		fflush(sf);
	}
	pthread_mutex_unlock(&lock);
}

void state_done(const char *trans_id)
{
	pthread_mutex_lock(&lock);
	if (sf) {
		fprintf(sf, "D %s\n", trans_id);
		fflush(sf);
	}
	pthread_mutex_unlock(&lock);
}

void state_close(void)
{
	pthread_mutex_lock(&lock);
	if (sf)
		fclose(sf);
	sf = NULL;
	pthread_mutex_unlock(&lock);
}
