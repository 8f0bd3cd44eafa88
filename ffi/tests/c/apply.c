/*
 * A C caller of the ABI: raises an IRO alert with the team manager on Monday
 * 21 December 2026, reads the new state, asks its status on Christmas Eve,
 * and shows an error. Prints one JSON object for tests/c_program.rs to check;
 * exits non-zero at the first thing that is not as expected.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escalation_ladder.h"

#define CHECK(cond)                                                            \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "apply.c:%d: failed: %s\n", __LINE__, #cond);            \
      return 1;                                                                \
    }                                                                          \
  } while (0)

/* The value of "key":"…" in json (a string), copied into buf. */
static int string_field(const char *json, const char *key, char *buf, size_t size) {
  char pattern[64];
  snprintf(pattern, sizeof pattern, "\"%s\":\"", key);
  const char *at = strstr(json, pattern);
  if (at == NULL) return 0;
  at += strlen(pattern);
  const char *end = strchr(at, '"');
  if (end == NULL || (size_t)(end - at) >= size) return 0;
  memcpy(buf, at, (size_t)(end - at));
  buf[end - at] = '\0';
  return 1;
}

int main(void) {
  const char *version = el_version(); /* static: not freed */
  CHECK(strstr(version, "\"abi\":2") != NULL);

  ElHandle *handle = NULL;
  char *out = NULL;
  CHECK(el_handle_new(NULL, NULL, NULL, &handle, &out) == EL_OK);
  CHECK(handle != NULL);
  el_string_free(out);

  const char *raise =
      "{\"on\":\"2026-12-21\",\"actor\":\"iro\",\"type\":\"raise\","
      "\"stage\":\"team-manager\",\"reason\":\"drift in permanence planning\"}";
  char *applied = NULL;
  int32_t status = el_apply(handle, "iro-dispute-resolution", NULL, raise, -1, &applied);
  if (status != EL_OK) fprintf(stderr, "%s\n", applied);
  CHECK(status == EL_OK);

  /* The new state: {"state":{…},"transitions":[…]}; its state comes first. */
  char respond_by[16], ceiling[16], phase[32];
  CHECK(string_field(applied, "respond_by", respond_by, sizeof respond_by));
  CHECK(string_field(applied, "ceiling", ceiling, sizeof ceiling));
  CHECK(string_field(applied, "phase", phase, sizeof phase));
  CHECK(strcmp(respond_by, "2026-12-30") == 0);
  CHECK(strcmp(ceiling, "2027-01-21") == 0);
  CHECK(strcmp(phase, "awaiting-response") == 0);

  /* The state to store is the object after "state": cut it out. */
  const char *start = strstr(applied, "\"state\":") + strlen("\"state\":");
  const char *end = strstr(start, ",\"transitions\":");
  CHECK(end != NULL);
  size_t length = (size_t)(end - start);
  char *state = malloc(length + 1);
  CHECK(state != NULL);
  memcpy(state, start, length);
  state[length] = '\0';

  char *now = NULL;
  CHECK(el_status(handle, "iro-dispute-resolution", state, "2026-12-24", &now) == EL_OK);
  CHECK(strstr(now, "\"working_days_left\":2") != NULL);

  /* An error: a NULL event is an error document, not a crash. */
  char *refused = NULL;
  CHECK(el_apply(handle, "iro-dispute-resolution", state, NULL, -1, &refused) == EL_ERROR);
  CHECK(strstr(refused, "\"code\":\"ffi.null-pointer\"") != NULL);
  /* NULL out_json: nothing written. */
  CHECK(el_apply(handle, "iro-dispute-resolution", state, raise, -1, NULL) == EL_NO_OUTPUT);

  /* Any operation through el_call: the working day after Christmas Eve. */
  char *added = NULL;
  CHECK(el_call(handle, "add-working-days", "{\"from\":\"2026-12-24\",\"working_days\":1}",
                NULL, 0, &added) == EL_OK);
  CHECK(strstr(added, "\"result\":\"2026-12-29\"") != NULL);

  /* The council closes 29 to 31 December: a handle with the closures
     re-bases the stored alert from its trail (the raise's audit entry, the
     last object of the answer) and says it moved to Tuesday 5 January. */
  const char *audit = strstr(applied, "\"audit\":") + strlen("\"audit\":");
  size_t audit_length = strlen(audit) - strlen("}]}");
  size_t size = strlen(state) + audit_length + 128;
  char *recompute = malloc(size);
  CHECK(recompute != NULL);
  snprintf(recompute, size, "{\"ladder\":\"iro-dispute-resolution\",\"state\":%s,\"trail\":[%.*s]}",
           state, (int)audit_length, audit);
  ElHandle *closed = NULL;
  char *made = NULL;
  CHECK(el_handle_new(NULL, NULL,
                      "{\"closures\":[{\"date\":\"2026-12-29\"},{\"date\":\"2026-12-30\"},"
                      "{\"date\":\"2026-12-31\"}]}",
                      &closed, &made) == EL_OK);
  el_string_free(made);
  char *rebased = NULL;
  status = el_call(closed, "recompute", recompute, NULL, 0, &rebased);
  if (status != EL_OK) fprintf(stderr, "%s\n", rebased);
  CHECK(status == EL_OK);
  CHECK(strstr(rebased, "\"moved\":true") != NULL);
  CHECK(strstr(rebased, "\"respond_by\":\"2027-01-05\"") != NULL);

  /* A report over a cases buffer (the payload), as CSV. */
  const char *cases =
      "{\"case\":\"IRO-1\",\"ladder\":\"iro-dispute-resolution\",\"events\":[" 
      "{\"on\":\"2026-12-21\",\"actor\":\"iro\",\"type\":\"raise\","
      "\"stage\":\"team-manager\",\"reason\":\"drift\"}]}\n";
  char *report = NULL;
  CHECK(el_call(handle, "report", "{\"as_of\":\"2026-12-24\",\"format\":\"summary-csv\"}",
                (const uint8_t *)cases, strlen(cases), &report) == EL_OK);
  CHECK(strstr(report, "cases,,,open,1,\n") != NULL);

  printf("{\"applied\":%s,\"status\":%s,\"refused\":%s,\"rebased\":%s}\n", applied, now,
         refused, rebased);

  free(recompute);
  el_string_free(added);
  el_string_free(rebased);
  el_string_free(report);
  el_handle_free(closed);
  free(state);
  el_string_free(applied);
  el_string_free(now);
  el_string_free(refused);
  el_handle_free(handle);
  return 0;
}
